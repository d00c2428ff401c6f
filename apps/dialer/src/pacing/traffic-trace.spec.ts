import { SeededRandom } from './prng';
import { DEFAULT_TRAFFIC, TrafficTrace } from './traffic-trace';

describe('SeededRandom', () => {
  it('repeats itself for a seed and differs between seeds', () => {
    const draw = (seed: number) => {
      const r = new SeededRandom(seed);
      return Array.from({ length: 5 }, () => r.next());
    };
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
    for (const x of draw(0)) expect(x >= 0 && x < 1).toBe(true);
  });

  it('draws normals with mean 0 and variance 1', () => {
    const r = new SeededRandom(5);
    const xs = Array.from({ length: 20000 }, () => r.normal());
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.03);
  });
});

describe('TrafficTrace', () => {
  it('gives the n-th call the same fate for a seed, whatever order calls are asked for', () => {
    const a = new TrafficTrace(42);
    const b = new TrafficTrace(42);
    const late = a.call(500);
    expect(b.call(3)).toEqual(a.call(3));
    expect(b.call(500)).toEqual(late);
    expect(new TrafficTrace(43).call(3)).not.toEqual(a.call(3));
  });

  it('follows the profile: shares of outcomes, answer within the ring timeout', () => {
    const trace = new TrafficTrace(7);
    const counts = { live: 0, machine: 0, busy: 0, no_answer: 0 };
    for (let i = 0; i < 20000; i++) {
      const call = trace.call(i);
      counts[call.outcome] += 1;
      if (call.outcome === 'live') expect(call.answerOrEndSeconds).toBeLessThan(DEFAULT_TRAFFIC.ringTimeoutSeconds);
      if (call.outcome === 'no_answer') expect(call.answerOrEndSeconds).toBe(DEFAULT_TRAFFIC.ringTimeoutSeconds);
    }
    expect(Math.abs(counts.live / 20000 - DEFAULT_TRAFFIC.liveAnswerProbability)).toBeLessThan(0.015);
    expect(Math.abs(counts.machine / 20000 - DEFAULT_TRAFFIC.machineProbability)).toBeLessThan(0.015);
    expect(Math.abs(counts.busy / 20000 - DEFAULT_TRAFFIC.busyProbability)).toBeLessThan(0.01);
  });
});
