import { planPredictiveCalls, PredictiveSituation } from './predictive.model';

/** Answers arrive after almost exactly 9.5 s (all within one step); nobody is on a call or in wrap-up. */
const QUIET: PredictiveSituation = {
  readyAgents: 0,
  onCallElapsedSeconds: [],
  wrapUpRemainingSeconds: [],
  unmatchedCallAgesSeconds: [],
  callsWaitingForAgent: 0,
  liveAnswerRate: 0.5,
  machineRate: 0,
  timeToAnswer: { mu: Math.log(9.5), sigma: 0.001 },
  talk: { mu: Math.log(120), sigma: 0.8 },
  meanWrapUpSeconds: 20,
  agentWaitSeconds: 2,
};

describe('planPredictiveCalls', () => {
  it('matches a hand computation: one free agent, two calls answered half the time', () => {
    // Both answered (1/4) loses one customer: 0.25 abandons for 2 × 0.5 live answers = 25 %.
    const situation = { ...QUIET, readyAgents: 1 };
    const at = planPredictiveCalls(situation, 0, 10, 0.25);
    expect(at.calls).toBe(2);
    expect(at.predictedAbandonRate).toBeCloseTo(0.25, 6);
    expect(planPredictiveCalls(situation, 0, 10, 0.24).calls).toBe(1);
  });

  it('charges new calls only with the abandons they add, not those already coming', () => {
    // Three ringing calls for one agent already mean losses; a fourth call adds its own.
    const situation = { ...QUIET, readyAgents: 1, unmatchedCallAgesSeconds: [0, 0, 0] };
    const plan = planPredictiveCalls(situation, 0, 1, 1);
    // E[(X-1)+] is 10/16 for X ~ Bin(3, .5) and 17/16 for Bin(4, .5): the new call adds 7/16 abandons
    // for its 0.5 live answers.
    expect(plan.calls).toBe(1);
    expect(plan.predictedAbandonRate).toBeCloseTo(7 / 16 / 0.5, 6);
  });

  it('places the progressive count even at a zero target: each of those calls has a free agent', () => {
    const plan = planPredictiveCalls({ ...QUIET, readyAgents: 3 }, 3, 20, 0);
    expect(plan.calls).toBe(3);
    expect(plan.predictedAbandonRate).toBe(0);
  });

  it('places more calls for a higher target and never more than allowed', () => {
    const situation = { ...QUIET, readyAgents: 5, liveAnswerRate: 0.2 };
    const counts = [0.005, 0.01, 0.02, 0.05, 0.2].map((target) => planPredictiveCalls(situation, 5, 40, target).calls);
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThanOrEqual(counts[i - 1]);
    expect(counts[0]).toBeGreaterThan(5);
    expect(planPredictiveCalls(situation, 5, 7, 1).calls).toBe(7);
  });

  it('counts an agent whose wrap-up ends before the answers arrive, not one whose wrap-up ends after', () => {
    const soon = planPredictiveCalls({ ...QUIET, wrapUpRemainingSeconds: [5] }, 0, 10, 0.02);
    const late = planPredictiveCalls({ ...QUIET, wrapUpRemainingSeconds: [60] }, 0, 10, 0.02);
    expect(soon.expectedFreeAgents).toBe(1);
    expect(late.expectedFreeAgents).toBe(0);
    expect(soon.calls).toBeGreaterThan(0);
    expect(late.calls).toBe(0);
  });

  it('does not dial for a wrap-up ending after an early answer could come', () => {
    // Answers spread (sigma 0.45 around 9 s): a call for an agent free only in 12 s risks an early answer.
    const spread = { ...QUIET, timeToAnswer: { mu: Math.log(9), sigma: 0.45 }, liveAnswerRate: 0.25 };
    const inTwo = planPredictiveCalls({ ...spread, wrapUpRemainingSeconds: [2] }, 0, 10, 0.02).calls;
    const inTwelve = planPredictiveCalls({ ...spread, wrapUpRemainingSeconds: [12] }, 0, 10, 0.02).calls;
    expect(inTwo).toBeGreaterThan(inTwelve);
  });

  it('expects agents long into their call to free up less readily than the talk-time mean suggests', () => {
    const noWrap = { ...QUIET, meanWrapUpSeconds: 0 };
    const justStarted = planPredictiveCalls({ ...noWrap, onCallElapsedSeconds: [110] }, 0, 0, 0.02).expectedFreeAgents;
    const veryLong = planPredictiveCalls({ ...noWrap, onCallElapsedSeconds: [3600] }, 0, 0, 0.02).expectedFreeAgents;
    expect(justStarted).toBeGreaterThan(veryLong);
    expect(veryLong).toBeGreaterThan(0);
  });
});
