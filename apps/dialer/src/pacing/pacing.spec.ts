import { decideCallsToPlace } from './pacing.policy';
import { PacingInput, PacingStats } from './pacing.types';

/** A campaign that has run a while: a quarter of calls reach a person after ~10 s, calls ~2.5 min. */
const STATS: PacingStats = {
  callsPlaced: 2000,
  callsEnded: 2000,
  liveAnswers: 500,
  liveAnswerRate: 0.25,
  machineRate: 0.15,
  meanTimeToAnswerSeconds: 10,
  timeToAnswerSdSeconds: 4.5,
  talkSamples: 480,
  meanTalkSeconds: 165,
  talkLogMean: Math.log(120),
  talkLogSd: 0.8,
  meanWrapUpSeconds: 20,
  recentAbandonRate: 0.01,
};

function input(overrides: Partial<PacingInput> = {}): PacingInput {
  return {
    mode: 'predictive',
    readyAgents: 10,
    onCallElapsedSeconds: [],
    wrapUpRemainingSeconds: [],
    callsInFlight: 0,
    stats: STATS,
    maxAbandonRate: 0.03,
    abandonRate30d: 0.01,
    abandonRate24h: 0.01,
    ...overrides,
  };
}

const progressiveCount = (i: PacingInput) => decideCallsToPlace({ ...i, mode: 'progressive' }).calls;

describe('decideCallsToPlace', () => {
  it('preview places nothing: the agent dials', () => {
    expect(decideCallsToPlace(input({ mode: 'preview', readyAgents: 20 }))).toMatchObject({ calls: 0, mode: 'preview' });
  });

  it.each([
    [7, 3, 4],
    [10, 0, 10],
    [3, 5, 0],
    [0, 0, 0],
  ])('progressive with %i ready agents and %i calls in flight places %i', (readyAgents, callsInFlight, calls) => {
    expect(decideCallsToPlace(input({ mode: 'progressive', readyAgents, callsInFlight }))).toMatchObject({ calls, mode: 'progressive' });
  });

  it('progressive does not count calls that already have their reserved agent, and counts customers waiting', () => {
    expect(decideCallsToPlace(input({ mode: 'progressive', readyAgents: 5, callsInFlight: 4, reservedAgents: 4 })).calls).toBe(5);
    expect(decideCallsToPlace(input({ mode: 'progressive', readyAgents: 5, callsInFlight: 4, reservedAgents: 1 })).calls).toBe(2);
    expect(decideCallsToPlace(input({ mode: 'progressive', readyAgents: 5, callsWaitingForAgent: 2 })).calls).toBe(3);
  });

  it('predictive places more calls than progressive when few calls are answered and the cap is far', () => {
    const low = { ...STATS, liveAnswerRate: 0.1 };
    const d = decideCallsToPlace(input({ stats: low, abandonRate30d: 0, abandonRate24h: 0 }));
    expect(d.mode).toBe('predictive');
    expect(d.calls).toBeGreaterThan(progressiveCount(input()));
  });

  it('predictive never has more calls out than the lines allowed per working agent', () => {
    const situations: Partial<PacingInput>[] = [
      { readyAgents: 10 },
      { readyAgents: 2, onCallElapsedSeconds: [5, 60, 300], wrapUpRemainingSeconds: [1, 2] },
      { readyAgents: 4, callsInFlight: 3, unmatchedCallAgesSeconds: [0, 3, 20] },
      { readyAgents: 0, wrapUpRemainingSeconds: [0, 0, 1, 1] },
    ];
    for (const maxLinesPerAgent of [1, 1.5, 2, 3]) {
      for (const s of situations) {
        for (const liveAnswerRate of [0.01, 0.05, 0.25]) {
          const i = input({ ...s, stats: { ...STATS, liveAnswerRate }, tuning: { maxLinesPerAgent }, maxAbandonRate: 0.5 });
          const working = i.readyAgents + i.onCallElapsedSeconds.length + i.wrapUpRemainingSeconds.length;
          const d = decideCallsToPlace(i);
          expect(d.mode).toBe('predictive');
          expect(d.calls + i.callsInFlight).toBeLessThanOrEqual(Math.floor(maxLinesPerAgent * working));
        }
      }
    }
  });

  it('says when the lines per agent are what limits it', () => {
    const d = decideCallsToPlace(input({ stats: { ...STATS, liveAnswerRate: 0.01 }, tuning: { maxLinesPerAgent: 3 } }));
    expect(d.calls).toBe(30);
    expect(d.reason).toContain('3 lines per agent');
  });

  it('falls back to progressive until 50 live answers have been measured', () => {
    const d = decideCallsToPlace(input({ stats: { ...STATS, liveAnswers: 49 }, callsInFlight: 2 }));
    expect(d).toMatchObject({ mode: 'progressive', calls: 8 });
    expect(d.reason).toContain('learning (49 of 50 live answers)');
    expect(decideCallsToPlace(input({ stats: { ...STATS, liveAnswers: 50 } })).mode).toBe('predictive');
    expect(decideCallsToPlace(input({ stats: { ...STATS, liveAnswers: 80 }, tuning: { minLiveAnswers: 100 } })).mode).toBe('progressive');
  });

  it('falls back to progressive at or over the cap, over 30 days or over 24 hours', () => {
    for (const rates of [
      { abandonRate30d: 0.03, abandonRate24h: 0 },
      { abandonRate30d: 0.05, abandonRate24h: 0.01 },
      { abandonRate30d: 0.01, abandonRate24h: 0.03 },
    ]) {
      const d = decideCallsToPlace(input({ ...rates, readyAgents: 6, callsInFlight: 1 }));
      expect(d).toMatchObject({ mode: 'progressive', calls: 5 });
      expect(d.reason).toMatch(/abandon rate .* at or over the 3\.00 % cap/);
    }
    // The campaign's own cap counts, not 3 %.
    expect(decideCallsToPlace(input({ maxAbandonRate: 0.05, abandonRate30d: 0.035, abandonRate24h: 0.035 })).mode).toBe('predictive');
    expect(decideCallsToPlace(input({ maxAbandonRate: 0 })).mode).toBe('progressive');
  });

  it('overdials less as the measured rate approaches the cap, and never less than progressive', () => {
    const far = decideCallsToPlace(input({ abandonRate30d: 0.01 }));
    const near = decideCallsToPlace(input({ abandonRate30d: 0.027 }));
    const nearer = decideCallsToPlace(input({ abandonRate30d: 0.01, abandonRate24h: 0.0295 }));
    expect(near.calls).toBeLessThan(far.calls);
    expect(nearer.calls).toBeLessThan(near.calls);
    expect(nearer.calls).toBeGreaterThanOrEqual(10);
    expect(near.reason).toContain('overdial reduced');
  });

  it('dials ahead for agents whose wrap-up ends in a moment, not for those with a long wrap-up left', () => {
    const soon = decideCallsToPlace(input({ readyAgents: 0, wrapUpRemainingSeconds: [1, 1, 2, 2] }));
    const late = decideCallsToPlace(input({ readyAgents: 0, wrapUpRemainingSeconds: [120, 120, 120, 120] }));
    expect(soon.mode).toBe('predictive');
    expect(soon.calls).toBeGreaterThan(0);
    expect(late.calls).toBe(0);
  });

  it('counts ringing calls that may still be answered, less so once they have rung long', () => {
    const base = { readyAgents: 3, wrapUpRemainingSeconds: [5, 5], callsInFlight: 4 };
    const fresh = decideCallsToPlace(input({ ...base, unmatchedCallAgesSeconds: [0, 0, 0, 0] }));
    const stale = decideCallsToPlace(input({ ...base, unmatchedCallAgesSeconds: [28, 28, 28, 28] }));
    const none = decideCallsToPlace(input({ ...base, callsInFlight: 0, unmatchedCallAgesSeconds: [] }));
    expect(fresh.calls).toBeLessThan(none.calls);
    expect(stale.calls).toBeGreaterThan(fresh.calls);
  });

  it('is a pure function of its input', () => {
    const i = input({ readyAgents: 3, onCallElapsedSeconds: [10, 100, 400], wrapUpRemainingSeconds: [4], callsInFlight: 2 });
    expect(decideCallsToPlace(i)).toEqual(decideCallsToPlace(structuredClone(i)));
  });

  it('treats nonsense counts as zero rather than dialling on them', () => {
    expect(decideCallsToPlace(input({ mode: 'progressive', readyAgents: -3 })).calls).toBe(0);
    expect(decideCallsToPlace(input({ mode: 'progressive', readyAgents: Number.NaN })).calls).toBe(0);
  });
});
