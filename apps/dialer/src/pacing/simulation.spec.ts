import { callFate, DEFAULT_TRAFFIC, simulate } from './simulation';

describe('pacing simulation', () => {
  it('the same seed gives the same calls and the same results', () => {
    expect(callFate(DEFAULT_TRAFFIC, 42)).toEqual(callFate(DEFAULT_TRAFFIC, 42));
    const a = simulate({ mode: 'predictive', agents: 20, hours: 2, traffic: DEFAULT_TRAFFIC, maxAbandonRate: 0.03 });
    const b = simulate({ mode: 'predictive', agents: 20, hours: 2, traffic: DEFAULT_TRAFFIC, maxAbandonRate: 0.03 });
    expect(a).toEqual(b);
  });

  it('progressive never abandons', () => {
    const r = simulate({ mode: 'progressive', agents: 20, hours: 4, traffic: DEFAULT_TRAFFIC, maxAbandonRate: 0.03 });
    expect(r.abandoned).toBe(0);
    expect(r.liveAnswers).toBeGreaterThan(500);
  });

  it.each([20, 100])('predictive keeps %i agents under the 3%% cap and gives them more talk time than progressive', (agents) => {
    const options = { agents, hours: 8, traffic: DEFAULT_TRAFFIC, maxAbandonRate: 0.03 };
    const predictive = simulate({ ...options, mode: 'predictive' });
    const progressive = simulate({ ...options, mode: 'progressive' });
    expect(predictive.abandonRate).toBeLessThanOrEqual(0.03);
    expect(predictive.talkMinutesPerAgentHour).toBeGreaterThan(progressive.talkMinutesPerAgentHour);
  });

  it('a tighter cap gives fewer abandons', () => {
    const options = { agents: 20, hours: 8, traffic: DEFAULT_TRAFFIC, mode: 'predictive' as const };
    const loose = simulate({ ...options, maxAbandonRate: 0.05 });
    const tight = simulate({ ...options, maxAbandonRate: 0.01 });
    expect(tight.abandonRate).toBeLessThanOrEqual(0.01);
    expect(tight.abandoned).toBeLessThan(loose.abandoned);
  });
});
