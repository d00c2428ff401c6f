import { DEFAULT_MAX_ABANDON_RATE, DEFAULT_PACING_TUNING, PacingDecision, PacingInput, PacingTuning } from './pacing.types';
import { planPredictiveCalls } from './predictive.model';
import { fitLognormalWithRunning, lognormalFromMoments } from './probability';
import { progressiveCalls } from './progressive.policy';

/**
 * How many calls one campaign should place now, and in which mode. Pure: the caller brings the
 * agents' states, the calls in flight, the statistics and the abandon rates.
 *
 * Predictive falls back to progressive (one reserved agent per call, which cannot abandon) whenever
 * it cannot be trusted or must not take risks: too few live answers to estimate from, or the
 * 30-day or 24-hour abandon rate at or over the cap. As either rate approaches the cap, the target
 * of the model shrinks linearly to zero, so overdial tapers off before the cap instead of flapping
 * between full overdial and none at the line.
 */
export function decideCallsToPlace(input: PacingInput): PacingDecision {
  const tuning: PacingTuning = { ...DEFAULT_PACING_TUNING, ...input.tuning };
  const ready = count(input.readyAgents);
  const reserved = count(input.reservedAgents ?? 0);
  const inFlight = count(input.callsInFlight);
  const waiting = count(input.callsWaitingForAgent ?? 0);
  if (input.mode === 'preview') return { calls: 0, mode: 'preview', reason: 'preview: agents place their own calls' };

  const unmatched = input.unmatchedCallAgesSeconds?.length ?? Math.max(0, inFlight - reserved);
  const progressive = progressiveCalls({ readyAgents: ready, unmatchedCallsInFlight: unmatched, callsWaitingForAgent: waiting });
  const fallback = (why: string): PacingDecision => ({
    calls: progressive,
    mode: 'progressive',
    reason: `${why}: ${progressive} call(s) for ${ready} ready agent(s), ${inFlight} in flight`,
  });
  if (input.mode === 'progressive') return fallback('progressive');

  const cap = Number.isFinite(input.maxAbandonRate) && input.maxAbandonRate >= 0 ? input.maxAbandonRate : DEFAULT_MAX_ABANDON_RATE;
  const rate30d = rate(input.abandonRate30d);
  const rate24h = rate(input.abandonRate24h);
  const stats = input.stats;
  if (cap === 0) return fallback('no abandon allowed (cap 0 %)');
  if (rate30d >= cap) return fallback(`30-day abandon rate ${pct(rate30d)} at or over the ${pct(cap)} cap`);
  if (rate24h >= cap) return fallback(`24-hour abandon rate ${pct(rate24h)} at or over the ${pct(cap)} cap`);
  if (!(stats.liveAnswers >= tuning.minLiveAnswers)) {
    return fallback(`learning (${Math.floor(stats.liveAnswers)} of ${tuning.minLiveAnswers} live answers)`);
  }
  if (!(stats.liveAnswerRate > 0) || !(stats.meanTalkSeconds > 0) || stats.talkSamples < 1) return fallback('no answer or talk statistics yet');

  const onCall = input.onCallElapsedSeconds;
  const wrapUps = input.wrapUpRemainingSeconds;
  const working = ready + reserved + onCall.length + wrapUps.length;
  const maxCalls = Math.max(0, Math.floor(tuning.maxLinesPerAgent * working) - inFlight);

  const slowdown = Math.min(approach(rate30d, cap, tuning), approach(rate24h, cap, tuning));
  const target = cap * tuning.targetFractionOfCap * slowdown;
  // Calls being talked or waiting for an agent are live answers the statistics only learn when they
  // end; counting them keeps the answer rate from being underestimated (and overdialled) early on.
  const unrecorded = onCall.length + waiting;
  const liveAnswerRate = Math.min(1, (stats.liveAnswerRate * stats.callsEnded + unrecorded) / (stats.callsEnded + unrecorded));
  const talk = fitLognormalWithRunning({ weight: stats.talkSamples, logMean: stats.talkLogMean, logSd: stats.talkLogSd }, onCall);
  const timeToAnswer = lognormalFromMoments(Math.max(0.5, stats.meanTimeToAnswerSeconds), stats.timeToAnswerSdSeconds);
  const unknownAge = Math.exp(timeToAnswer.mu) / 2;
  const plan = planPredictiveCalls(
    {
      readyAgents: ready,
      onCallElapsedSeconds: onCall,
      wrapUpRemainingSeconds: wrapUps,
      unmatchedCallAgesSeconds: input.unmatchedCallAgesSeconds ?? new Array<number>(unmatched).fill(unknownAge),
      callsWaitingForAgent: waiting,
      liveAnswerRate,
      machineRate: Math.max(0, stats.machineRate),
      timeToAnswer,
      talk,
      meanWrapUpSeconds: Math.max(0, stats.meanWrapUpSeconds),
      agentWaitSeconds: tuning.agentWaitSeconds,
    },
    progressive,
    maxCalls,
    target,
  );
  const limited = plan.calls === maxCalls && maxCalls > progressive ? `, at ${tuning.maxLinesPerAgent} lines per agent` : '';
  const tapered = slowdown < 1 ? `overdial reduced (abandon rate near the ${pct(cap)} cap), ` : '';
  return {
    calls: plan.calls,
    mode: 'predictive',
    reason:
      `predictive: ${tapered}${plan.calls} call(s), ${inFlight} in flight, ${pct(liveAnswerRate)} live answers, ` +
      `${plan.expectedFreeAgents.toFixed(1)} agent(s) free within ${Math.round(plan.horizonSeconds)} s, ` +
      `predicted abandon ${pct(plan.predictedAbandonRate)} (target ${pct(target)})${limited}`,
  };
}

/** 1 below the approach threshold, falling linearly to 0 at the cap. */
function approach(rate: number, cap: number, tuning: PacingTuning): number {
  const from = cap * tuning.approachFractionOfCap;
  if (rate <= from) return 1;
  return Math.max(0, Math.min(1, (cap - rate) / (cap - from)));
}

function count(n: number): number {
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}

/** An unknown rate is taken as 0: with no live answers there is nothing abandoned either. */
function rate(r: number): number {
  return Number.isFinite(r) && r > 0 ? r : 0;
}

function pct(r: number): string {
  return `${(r * 100).toFixed(r < 0.1 ? 2 : 1)} %`;
}
