import { expectedAbandonShare } from './binomial';
import { agentsFreeSoon, decideCallsToPlace } from './pacing';
import { PacingInput } from './pacing.types';

function input(overrides: Partial<PacingInput> = {}): PacingInput {
  return {
    mode: 'predictive',
    readyAgents: 10,
    onCallElapsedSeconds: [],
    wrapUpRemainingSeconds: [],
    callsInFlight: 0,
    stats: { answerRate: 0.25, meanRingSeconds: 12, meanTalkSeconds: 150, meanWrapUpSeconds: 20, liveAnswers: 500 },
    maxAbandonRate: 0.03,
    abandonRate30d: 0,
    abandonRate24h: 0,
    ...overrides,
  };
}

describe('decideCallsToPlace', () => {
  it('preview places nothing', () => {
    expect(decideCallsToPlace(input({ mode: 'preview' })).calls).toBe(0);
  });

  it('progressive places one call per ready agent', () => {
    expect(decideCallsToPlace(input({ mode: 'progressive', readyAgents: 7, callsInFlight: 3 }))).toMatchObject({ calls: 7, mode: 'progressive' });
  });

  it('predictive overdials when the answer rate is low and the cap far', () => {
    const d = decideCallsToPlace(input());
    expect(d.mode).toBe('predictive');
    expect(d.calls).toBeGreaterThan(10);
  });

  it('never exceeds the lines allowed per agent', () => {
    const d = decideCallsToPlace(input({ stats: { ...input().stats, answerRate: 0.01 }, maxLinesPerAgent: 3 }));
    expect(d.calls).toBeLessThanOrEqual(30);
  });

  it('counts calls already in flight against the lines', () => {
    const free = decideCallsToPlace(input()).calls;
    expect(decideCallsToPlace(input({ callsInFlight: 5 })).calls).toBe(Math.max(0, free - 5));
  });

  it('falls back to progressive until enough answers are measured', () => {
    expect(decideCallsToPlace(input({ stats: { ...input().stats, liveAnswers: 10 } }))).toMatchObject({ mode: 'progressive', calls: 10 });
  });

  it('falls back to progressive at or over the cap over 30 days', () => {
    expect(decideCallsToPlace(input({ abandonRate30d: 0.03 }))).toMatchObject({ mode: 'progressive' });
  });

  it('paces more gently as the measured rate approaches the cap', () => {
    const relaxed = decideCallsToPlace(input()).calls;
    const near = decideCallsToPlace(input({ abandonRate24h: 0.025 })).calls;
    expect(near).toBeLessThan(relaxed);
    expect(near).toBeGreaterThanOrEqual(10);
  });

  it('keeps the expected abandon share of the chosen lines under half the cap', () => {
    const d = decideCallsToPlace(input());
    expect(expectedAbandonShare(d.calls, 0.25, 10)).toBeLessThanOrEqual(0.015);
    expect(expectedAbandonShare(d.calls + 1, 0.25, 10)).toBeGreaterThan(0.015);
  });

  it('counts agents about to finish wrap-up as free soon, not those with long wrap-ups', () => {
    expect(agentsFreeSoon(input({ readyAgents: 1, wrapUpRemainingSeconds: [3, 60] }))).toBe(2);
  });
});

describe('expectedAbandonShare', () => {
  it('is zero when there are at least as many agents as lines', () => {
    expect(expectedAbandonShare(5, 0.9, 5)).toBe(0);
  });
  it('matches a hand computation for two lines and one agent', () => {
    // A ~ Bin(2, 0.5): P(A=2) = 0.25, excess 1, E[A] = 1.
    expect(expectedAbandonShare(2, 0.5, 1)).toBeCloseTo(0.25, 10);
  });
});
