import { CallObservation, PacingStatistics } from './pacing-statistics';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const call = (outcome: CallObservation['outcome'], extra: Partial<CallObservation> = {}): CallObservation => ({
  outcome,
  ringSeconds: 10,
  talkSeconds: 0,
  wrapUpSeconds: 0,
  ...extra,
});

describe('PacingStatistics', () => {
  it('starts empty', () => {
    const s = new PacingStatistics().snapshot(at(0));
    expect(s).toMatchObject({ callsEnded: 0, liveAnswers: 0, liveAnswerRate: 0, meanTalkSeconds: 0, talkSamples: 0 });
  });

  it('counts live answers (answered and abandoned) and machines per ended call; cancelled calls say nothing', () => {
    const stats = new PacingStatistics();
    stats.callEnded(at(0), call('answered', { ringSeconds: 8, talkSeconds: 100, wrapUpSeconds: 20 }));
    stats.callEnded(at(0), call('abandoned', { ringSeconds: 12 }));
    stats.callEnded(at(0), call('machine'));
    stats.callEnded(at(0), call('no_answer', { ringSeconds: 30 }));
    stats.callEnded(at(0), call('canceled'));
    const s = stats.snapshot(at(0));
    expect(s).toMatchObject({ callsEnded: 4, liveAnswers: 2, liveAnswerRate: 0.5, machineRate: 0.25 });
    expect(s.meanTimeToAnswerSeconds).toBeCloseTo(10, 9);
    expect(s.timeToAnswerSdSeconds).toBeCloseTo(2, 9);
    // Talk and wrap-up come only from calls that reached an agent.
    expect(s).toMatchObject({ talkSamples: 1, meanTalkSeconds: 100, meanWrapUpSeconds: 20, recentAbandonRate: 0.5 });
    expect(s.talkLogMean).toBeCloseTo(Math.log(100), 9);
  });

  it('fits talk times in log space, and a call of no length counts as one second', () => {
    const stats = new PacingStatistics();
    for (const talkSeconds of [10, 1000, 0]) stats.callEnded(at(0), call('answered', { talkSeconds }));
    const s = stats.snapshot(at(0));
    expect(s.talkLogMean).toBeCloseTo((Math.log(10) + Math.log(1000) + 0) / 3, 9);
    expect(s.meanTalkSeconds).toBeCloseTo(1010 / 3, 9);
  });

  it('lets old observations fade: an hour-old call weighs half by default', () => {
    const stats = new PacingStatistics();
    for (let i = 0; i < 10; i++) stats.callEnded(at(0), call('no_answer'));
    expect(stats.snapshot(at(3600)).callsEnded).toBeCloseTo(5, 9);
    for (let i = 0; i < 10; i++) stats.callEnded(at(7200), call('answered', { talkSeconds: 60 }));
    const s = stats.snapshot(at(7200));
    // 10 answers now against 10 no-answers two half-lives ago (weight 2.5).
    expect(s.liveAnswerRate).toBeCloseTo(10 / 12.5, 9);
    expect(s.liveAnswers).toBeCloseTo(10, 9);
  });

  it('weighs an observation reported late as old as it is', () => {
    const stats = new PacingStatistics({ halfLifeSeconds: 60 });
    stats.callEnded(at(120), call('no_answer'));
    stats.callEnded(at(60), call('answered', { talkSeconds: 30 }));
    const s = stats.snapshot(at(120));
    expect(s.callsEnded).toBeCloseTo(1.5, 9);
    expect(s.liveAnswers).toBeCloseTo(0.5, 9);
  });

  it('never decays with a half-life of 0, and counts placed calls', () => {
    const stats = new PacingStatistics({ halfLifeSeconds: 0 });
    stats.callPlaced(at(0));
    stats.callEnded(at(0), call('busy'));
    expect(stats.snapshot(at(1e6))).toMatchObject({ callsPlaced: 1, callsEnded: 1 });
  });

  it('gives the same figures for the same observations, whenever it runs', () => {
    const feed = (s: PacingStatistics) => {
      s.callPlaced(at(0));
      s.callEnded(at(40), call('answered', { talkSeconds: 33, wrapUpSeconds: 7 }));
      return s.snapshot(at(100));
    };
    expect(feed(new PacingStatistics())).toEqual(feed(new PacingStatistics()));
  });
});
