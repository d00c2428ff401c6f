import { simulateCampaign, SimulationOptions } from './simulation';

// Whole simulated hours of a campaign take a few seconds each: more than jest's default 5 s.
jest.setTimeout(120_000);

const SEED = 20261121;

describe('simulateCampaign', () => {
  it('gives identical results for the same seed, and different ones for another', () => {
    const options: SimulationOptions = { mode: 'predictive', agents: 20, hours: 1, seed: SEED };
    const a = simulateCampaign(options);
    expect(simulateCampaign(options)).toEqual(a);
    expect(simulateCampaign({ ...options, seed: SEED + 1 })).not.toEqual(a);
  });

  it('progressive never abandons: each call has its agent reserved before it is placed', () => {
    const r = simulateCampaign({ mode: 'progressive', agents: 20, hours: 4, seed: SEED });
    expect(r.abandoned).toBe(0);
    expect(r.abandonRate).toBe(0);
    expect(r.liveAnswers).toBeGreaterThan(500);
    expect(r.connected).toBe(r.liveAnswers);
    expect(r.predictiveShare).toBe(0);
  });

  it.each([
    [20, 8],
    [100, 4],
  ])('predictive keeps %i agents at or under the 3 %% cap over %i hours, with more talk time than progressive', (agents, hours) => {
    const predictive = simulateCampaign({ mode: 'predictive', agents, hours, seed: SEED, maxAbandonRate: 0.03 });
    const progressive = simulateCampaign({ mode: 'progressive', agents, hours, seed: SEED });
    expect(predictive.abandonRate).toBeLessThanOrEqual(0.03);
    expect(predictive.abandoned).toBeGreaterThan(0); // it did overdial, and the 2-second rule did bite
    expect(predictive.predictiveShare).toBeGreaterThan(0.8);
    expect(predictive.talkMinutesPerHour).toBeGreaterThan(progressive.talkMinutesPerHour * 1.15);
    expect(predictive.callsPlaced).toBeGreaterThan(progressive.callsPlaced);
  });

  it('a tighter cap gives fewer abandons and stays under it', () => {
    const options: SimulationOptions = { mode: 'predictive', agents: 20, hours: 4, seed: SEED };
    const tight = simulateCampaign({ ...options, maxAbandonRate: 0.01 });
    const loose = simulateCampaign({ ...options, maxAbandonRate: 0.05 });
    expect(tight.abandonRate).toBeLessThanOrEqual(0.01);
    expect(loose.abandonRate).toBeLessThanOrEqual(0.05);
    expect(tight.abandoned).toBeLessThan(loose.abandoned);
  });

  it('counts talk time within the simulated hours only, and agents are never busier than the clock', () => {
    const r = simulateCampaign({ mode: 'predictive', agents: 5, hours: 2, seed: SEED });
    expect(r.talkMinutesPerAgentHour).toBeLessThanOrEqual(60);
    expect(r.utilisation).toBeLessThanOrEqual(1);
    expect(r.talkMinutesPerAgentHour / 60).toBeLessThanOrEqual(r.utilisation);
    expect(r.hourlyAbandonRates).toHaveLength(2);
  });
});
