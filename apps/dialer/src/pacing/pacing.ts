import { expectedAbandonShare } from './binomial';
import { PacingDecision, PacingInput } from './pacing.types';

const DEFAULT_MAX_LINES_PER_AGENT = 3;
const DEFAULT_MIN_LIVE_ANSWERS = 50;

/**
 * How many calls to place now.
 *
 * Preview places nothing (the agent dials). Progressive places one call per ready agent (the runner
 * reserves the agent first, so an answer always finds one: it cannot abandon).
 *
 * Predictive overdials: it counts the agents who will be free by the time a call placed now is
 * answered (ready ones, those in wrap-up ending within the ring time, and those on a call with the
 * chance, under exponential handle times, of finishing within it), then chooses the largest number of
 * lines whose expected share of answers finding no agent, E[(A − agents)+] / E[A] with A binomial,
 * stays under a target. The target is a fraction of the cap that shrinks as the measured 30-day or
 * 24-hour rate approaches the cap, so a bad day is paid back with gentler pacing; at or over the cap,
 * or before enough answers have been measured, it falls back to progressive.
 */
export function decideCallsToPlace(input: PacingInput): PacingDecision {
  if (input.mode === 'preview') return { calls: 0, mode: 'preview', reason: 'agents dial themselves' };
  const progressive = (reason: string): PacingDecision => ({ calls: Math.max(0, input.readyAgents), mode: 'progressive', reason });
  if (input.mode === 'progressive') return progressive('one call per ready agent');

  const minAnswers = input.minLiveAnswers ?? DEFAULT_MIN_LIVE_ANSWERS;
  if (input.stats.liveAnswers < minAnswers) return progressive(`learning: ${input.stats.liveAnswers} of ${minAnswers} answers measured`);
  const worst = Math.max(input.abandonRate30d, input.abandonRate24h);
  if (input.maxAbandonRate <= 0 || input.abandonRate30d >= input.maxAbandonRate) {
    return progressive('abandon rate at the cap over 30 days');
  }
  const p = clamp(input.stats.answerRate, 0.01, 1);
  const agents = agentsFreeSoon(input);
  if (agents === 0) return { calls: 0, mode: 'predictive', reason: 'no agent free soon' };

  // Half the cap while far from it, less as the measured rate closes in: headroom 1 → 0.5·cap, 0 → 0.
  const headroom = clamp((input.maxAbandonRate - worst) / input.maxAbandonRate, 0, 1);
  const target = input.maxAbandonRate * 0.5 * headroom;
  const maxLines = agents * (input.maxLinesPerAgent ?? DEFAULT_MAX_LINES_PER_AGENT);
  let lines = agents;
  while (lines < maxLines && expectedAbandonShare(lines + 1, p, agents) <= target) lines += 1;
  const calls = Math.max(0, lines - input.callsInFlight);
  return { calls, mode: 'predictive', reason: `${agents} agents free soon, ${lines} lines at answer rate ${p.toFixed(2)}` };
}

/** Agents expected to be free when a call placed now is answered (whole agents, rounded down). */
export function agentsFreeSoon(input: PacingInput): number {
  const horizon = Math.max(1, input.stats.meanRingSeconds);
  const handle = Math.max(1, input.stats.meanTalkSeconds);
  let expected = input.readyAgents;
  for (const remaining of input.wrapUpRemainingSeconds) if (remaining <= horizon) expected += 1;
  // Exponential talk time: the chance of finishing within the horizon, then the wrap-up on top.
  const wrap = input.stats.meanWrapUpSeconds;
  for (const elapsed of input.onCallElapsedSeconds) {
    if (elapsed < 0) continue;
    const window = horizon - wrap;
    if (window > 0) expected += 1 - Math.exp(-window / handle);
  }
  return Math.floor(expected + 1e-9);
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
