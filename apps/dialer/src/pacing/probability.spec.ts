import { SeededRandom } from './prng';
import {
  erfc,
  fitLognormalWithRunning,
  lognormalCdf,
  lognormalEndsWithin,
  lognormalFromMoments,
  lognormalQuantile,
  lognormalSurvival,
  normalQuantile,
} from './probability';

describe('probability', () => {
  it('erfc matches tabulated values', () => {
    expect(erfc(0)).toBeCloseTo(1, 7);
    expect(erfc(1)).toBeCloseTo(0.157299207, 7);
    expect(erfc(-1)).toBeCloseTo(1.842700793, 7);
    expect(erfc(3) / 2.209049699858544e-5).toBeCloseTo(1, 5);
  });

  it('normalQuantile matches tabulated values', () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963985, 7);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306, 6);
    expect(normalQuantile(0)).toBe(-Infinity);
  });

  it('a lognormal from mean and sd has that mean and sd, and its quantiles invert its cdf', () => {
    const d = lognormalFromMoments(165, 156);
    expect(Math.exp(d.mu + (d.sigma * d.sigma) / 2)).toBeCloseTo(165, 6);
    expect(Math.sqrt((Math.exp(d.sigma * d.sigma) - 1) * Math.exp(2 * d.mu + d.sigma * d.sigma))).toBeCloseTo(156, 6);
    for (const q of [0.01, 0.3, 0.5, 0.9, 0.995]) expect(lognormalCdf(lognormalQuantile(q, d), d)).toBeCloseTo(q, 6);
    expect(lognormalSurvival(0, d)).toBe(1);
  });

  it('without a spread, a lognormal gets that of an exponential (coefficient of variation 1)', () => {
    const d = lognormalFromMoments(100, 0);
    expect(Math.sqrt(Math.exp(d.sigma * d.sigma) - 1)).toBeCloseTo(1, 9);
  });

  it('the chance that a call ends soon is conditional on how long it has lasted', () => {
    const d = { mu: Math.log(120), sigma: 0.8 };
    expect(lognormalEndsWithin(0, 60, d)).toBeCloseTo(lognormalCdf(60, d), 9);
    expect(lognormalEndsWithin(100, 0, d)).toBe(0);
    expect(lognormalEndsWithin(100, 1e9, d)).toBeCloseTo(1, 6);
    // Falling hazard: a call 30 minutes long is less likely to end in the next minute than one at 3.
    expect(lognormalEndsWithin(1800, 60, d)).toBeLessThan(lognormalEndsWithin(180, 60, d));
  });

  it('recovers talk times from a campaign start, where only the short calls have ended', () => {
    const random = new SeededRandom(11);
    const ended: number[] = [];
    const running: number[] = [];
    for (let i = 0; i < 4000; i++) {
      const duration = random.lognormal(120, 0.8);
      const observedFor = random.next() * 240; // calls started at different moments of the last 4 minutes
      if (duration <= observedFor) ended.push(Math.log(duration));
      else running.push(observedFor);
    }
    const mean = ended.reduce((a, b) => a + b, 0) / ended.length;
    const sd = Math.sqrt(ended.reduce((a, b) => a + (b - mean) ** 2, 0) / ended.length);
    const fit = fitLognormalWithRunning({ weight: ended.length, logMean: mean, logSd: sd }, running);
    expect(Math.exp(mean)).toBeLessThan(70); // the naive median, from ended calls only
    expect(Math.exp(fit.mu)).toBeGreaterThan(110);
    expect(Math.exp(fit.mu)).toBeLessThan(130);
    expect(fit.sigma).toBeGreaterThan(0.7);
    expect(fit.sigma).toBeLessThan(0.9);
  });

  it('leaves the fit alone when nothing is running, and says "longer than that" when nothing has ended', () => {
    expect(fitLognormalWithRunning({ weight: 10, logMean: 4, logSd: 0.5 }, [])).toEqual({ mu: 4, sigma: 0.5 });
    expect(fitLognormalWithRunning({ weight: 0, logMean: 0, logSd: 0 }, [30, 90]).mu).toBeCloseTo(Math.log(90), 9);
  });
});
