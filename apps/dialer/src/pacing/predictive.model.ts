import { binomialPmf, NEGLIGIBLE, shift, successCountPmf, trim } from './count-distributions';
import { Lognormal, lognormalCdf, lognormalQuantile, lognormalSurvival } from './probability';

// Math's functions under local names: a global look-up per call is slow where code runs in a vm
// context (jest), and these run millions of times in a simulation.
const { floor, max, min } = Math;

/** One campaign's agents and calls at the moment of a predictive decision. */
export interface PredictiveSituation {
  readyAgents: number;
  onCallElapsedSeconds: readonly number[];
  wrapUpRemainingSeconds: readonly number[];
  /** Seconds since each ringing call without a reserved agent was placed (each may need a free agent). */
  unmatchedCallAgesSeconds: readonly number[];
  callsWaitingForAgent: number;
  /** Chance that a placed call is answered by a person. */
  liveAnswerRate: number;
  /** Chance that it is answered by a machine (which resolves a ringing call without needing an agent). */
  machineRate: number;
  /** Seconds from placing a call to its live answer. */
  timeToAnswer: Lognormal;
  talk: Lognormal;
  meanWrapUpSeconds: number;
  /** How long an answered customer waits for an agent before the call is abandoned. */
  agentWaitSeconds: number;
}

export interface PredictivePlan {
  calls: number;
  /** Abandons the new calls are expected to add, per live answer they are expected to bring. */
  predictedAbandonRate: number;
  /** Agents expected free by the time half the new calls are answered. */
  expectedFreeAgents: number;
  /** That time, in seconds from now (the median time to answer plus the customer's wait). */
  horizonSeconds: number;
}

const MAX_RING_SECONDS = 120;

interface Step {
  /** Agents freed during the step (the first step: ready now, or freed within the customer's wait). */
  agents: number[];
  /** Live answers of calls already ringing (the first step: customers already waiting). */
  ringingAnswers: number[];
  /** Chance that a call placed now, to be answered live and not answered yet, is answered during the step. */
  newCallHazard: number;
}

/**
 * Predictive pacing as a small probabilistic model, re-evaluated at every pacing tick.
 *
 * Why this shape. The cap is a ratio over many calls (abandoned / live answered). So each decision
 * charges the calls it places with the abandons they are expected to *add* (their own, and those of
 * ringing calls whose agents they take) and places as many as keep that charge within the target
 * per live answer they bring. The charges of successive decisions add up to the expected abandons
 * of the whole campaign, so the measured rate lands on the target. (Keeping instead the expected
 * ratio of everything in flight at the target ratchets upwards: served answers leave that pool and
 * the risky ones stay, so the next ticks see it over target and can only stop, never take back;
 * in the simulation 100 agents ran at twice the target that way.) An average overdial ratio would
 * know nothing of which agents are about to free up, and Erlang formulas assume a steady state,
 * which a team of 5 never is in, so supply is modelled agent by agent and in time:
 *  - agents: ready now, wrap-ups ending at known times, and each agent on a call freed when the call
 *    ends plus the mean wrap-up, the call's remaining length depending on how long it has lasted
 *    (talk time as a lognormal: a long call is less likely to end in the next seconds);
 *  - answers: each ringing call answered live given how long it has rung already, and each new call
 *    after a lognormal time to answer;
 *  - abandons: a queue whose customers wait only the 2 seconds, run over the next ~25 s in 1-second
 *    steps. Agents freed join a free pool, answers take from it, answers finding it empty are lost.
 *    The pool is carried from step to step as a distribution (a small Markov chain), so losses add
 *    up when answers bunch. In the simulation, a single "answers vs agents at the mean time to
 *    answer" count put 5-agent teams at the cap (an answer at second 4 cannot use an agent free at
 *    second 10), and checking each moment separately still put 100-agent teams near it.
 * New calls are followed exactly (each answers once at most: for a small team one extra call is
 * the whole decision). Ringing calls and agents on calls are summarised per step, as independent
 * from one step to the next, which overstates their spread (a call answers in one step at most)
 * and errs on the side of fewer calls; an agent on a call is freed exactly the mean wrap-up after
 * the call ends. At least the progressive count is placed (a free agent for each). Calls placed now
 * are ringing at the next tick, so no agent is promised twice. What the model leaves out (agents
 * pausing, statistics drifting) is what the safety margin and the feedback from the measured
 * 24-hour and 30-day rates in pacing.policy.ts are for.
 */
export function planPredictiveCalls(s: PredictiveSituation, minCalls: number, maxCalls: number, targetRate: number): PredictivePlan {
  const steps = buildSteps(s);
  const p = s.liveAnswerRate;
  // Abandons the new calls add (their own, and those of ringing calls they take agents from), per
  // live answer they bring.
  const lostAlready = expectedLost(steps, 0, p);
  const addedRate = (newCalls: number): number =>
    newCalls > 0 && p > 0 ? max(0, expectedLost(steps, newCalls, p) - lostAlready) / (newCalls * p) : 0;

  // Added abandons grow faster than the calls (each finds fewer agents left), so the counts within
  // the target run from 0 to some n. Gallop up from the progressive count, then bisect: the answer
  // is usually a few calls above it, and large counts cost the most to evaluate.
  let good = max(0, min(minCalls, maxCalls));
  let predicted = addedRate(good);
  let bad = maxCalls + 1;
  for (let probe = 1; good + probe <= maxCalls; probe *= 2) {
    const r = addedRate(good + probe);
    if (r > targetRate) {
      bad = good + probe;
      break;
    }
    good += probe;
    predicted = r;
  }
  while (bad - good > 1) {
    const mid = floor((good + bad) / 2);
    const r = addedRate(mid);
    if (r <= targetRate) {
      good = mid;
      predicted = r;
    } else bad = mid;
  }

  const horizonSeconds = lognormalQuantile(0.5, s.timeToAnswer) + s.agentWaitSeconds;
  let expectedFreeAgents = s.readyAgents + s.wrapUpRemainingSeconds.filter((left) => left <= horizonSeconds).length;
  const talkWithin = horizonSeconds - s.meanWrapUpSeconds;
  for (const e of s.onCallElapsedSeconds) {
    const alive = lognormalSurvival(e, s.talk);
    if (talkWithin > 0 && alive > 1e-300) expectedFreeAgents += 1 - lognormalSurvival(e + talkWithin, s.talk) / alive;
  }
  return { calls: good, predictedAbandonRate: predicted, expectedFreeAgents, horizonSeconds };
}

/**
 * Expected customers lost over the steps with `newCalls` more calls placed now. The state is the
 * distribution of (free agents, new calls still to be answered live): whether each new call will be
 * answered by a person is drawn first (Binomial(newCalls, p)), then at each step each of those left
 * answers with the step's share of the remaining answer-time distribution, so a new call answers
 * once at most. (Ringing calls are summarised per step, independently across steps.)
 */
function expectedLost(steps: readonly Step[], newCalls: number, p: number): number {
  // pending[r][f]: P(r new calls still to answer live, f agents free). The inner loops are written
  // out rather than built from convolve and friends: this is the hot path.
  let pending: number[][] = binomialPmf(newCalls, p).map((pr) => [pr]);
  let lost = 0;
  for (const step of steps) {
    const agents = step.agents;
    const ringing = step.ringingAnswers;
    let width = 0;
    for (const row of pending) width = max(width, row.length);
    width += agents.length - 1;
    const next = pending.map(() => new Array<number>(width).fill(0));
    const pool = new Array<number>(width);
    const left = new Array<number>(width);
    for (let r = 0; r < pending.length; r++) {
      const row = pending[r];
      let mass = 0;
      for (let f = 0; f < row.length; f++) mass += row[f];
      if (mass < NEGLIGIBLE) continue;
      // Agents freed during the step join the pool.
      const size = row.length + agents.length - 1;
      pool.fill(0, 0, size);
      for (let f = 0; f < row.length; f++) {
        if (row[f] === 0) continue;
        for (let a = 0; a < agents.length; a++) pool[f + a] += row[f] * agents[a];
      }
      // Answers of calls already ringing take agents; those finding none are lost.
      left.fill(0, 0, size);
      for (let f = 0; f < size; f++) {
        if (pool[f] === 0) continue;
        for (let d = 0; d < ringing.length; d++) {
          const pr = pool[f] * ringing[d];
          if (d <= f) left[f - d] += pr;
          else {
            left[0] += pr;
            lost += pr * (d - f);
          }
        }
      }
      // Then those of the new calls.
      const answering = r > 0 && step.newCallHazard > 0 ? binomialPmf(r, step.newCallHazard) : [1];
      for (let c = 0; c < answering.length; c++) {
        const into = next[r - c];
        const weight = answering[c];
        for (let f = 0; f < size; f++) {
          const pr = left[f] * weight;
          if (pr === 0) continue;
          if (c <= f) into[f - c] += pr;
          else {
            into[0] += pr;
            lost += pr * (c - f);
          }
        }
      }
    }
    pending = next.map(trim);
  }
  return lost;
}

/**
 * Step k covers answers in (times[k-1], times[k]] and agents freed in (times[k-1] + wait, times[k] + wait]:
 * 1-second steps until nine answers in ten have come, then 2-second steps until all but 1 in 200.
 * Whole seconds, so that an answer time known exactly falls within one step.
 */
function buildSteps(s: PredictiveSituation): Step[] {
  const wait = s.agentWaitSeconds;
  // No dialler lets a call ring for minutes: the cap keeps a wild spread estimate from costing
  // hundreds of steps.
  const last = min(MAX_RING_SECONDS, lognormalQuantile(0.995, s.timeToAnswer));
  const dense = min(last, lognormalQuantile(0.9, s.timeToAnswer));
  const times = [0];
  for (let t = 1; times[times.length - 1] < last; t += t < dense ? 1 : 2) times.push(t);
  const p = s.liveAnswerRate;
  const resolved = min(1, p + s.machineRate);
  const answerCdf = (t: number) => (t <= 0 ? 0 : lognormalCdf(t, s.timeToAnswer));

  // Cumulative chances per step, computed once per call and per agent (one cdf each per step).
  const ringing = s.unmatchedCallAgesSeconds.map((age) => {
    const base = answerCdf(age);
    const scale = p / max(1e-9, 1 - resolved * base);
    return times.map((t) => min(1, scale * (answerCdf(age + t) - base)));
  });
  const longest = times[times.length - 1] + wait - s.meanWrapUpSeconds;
  const onCall = s.onCallElapsedSeconds
    .map((e) => ({ e, alive: lognormalSurvival(e, s.talk) }))
    .filter(({ alive }) => longest > 0 && alive > 1e-300)
    .map(({ e, alive }) => times.map((t) => {
      const within = t + wait - s.meanWrapUpSeconds;
      return within <= 0 ? 0 : min(1, max(0, 1 - lognormalSurvival(e + within, s.talk) / alive));
    }));

  return times.map((t, k): Step => {
    const before = k === 0 ? -Infinity : times[k - 1];
    let certainAgents = k === 0 ? s.readyAgents : 0;
    for (const left of s.wrapUpRemainingSeconds) if (left > before + wait && left <= t + wait) certainAgents += 1;
    const increments = (cumulative: number[][]) =>
      cumulative.map((c) => c[k] - (k === 0 ? 0 : c[k - 1])).filter((q) => q > NEGLIGIBLE);
    const answers = successCountPmf(increments(ringing));
    return {
      agents: shift(trim(successCountPmf(increments(onCall))), certainAgents),
      ringingAnswers: k === 0 ? shift(answers, s.callsWaitingForAgent) : answers,
      newCallHazard: k === 0 ? 0 : min(1, (answerCdf(t) - answerCdf(before)) / max(1e-12, 1 - answerCdf(before))),
    };
  });
}
