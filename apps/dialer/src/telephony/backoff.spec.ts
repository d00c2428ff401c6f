import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  const options = { initialMs: 100, maxMs: 1000 };

  it('doubles the ceiling per attempt and caps it at maxMs', () => {
    const top = () => 0.999999;
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffDelay(a, options, top))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('never waits less than half the ceiling (jitter draws from the upper half)', () => {
    const bottom = () => 0;
    expect([0, 1, 2, 3, 4].map((a) => backoffDelay(a, options, bottom))).toEqual([50, 100, 200, 400, 500]);
  });

  it('spreads delays with the random source', () => {
    expect(backoffDelay(2, options, () => 0.5)).toBe(300);
  });

  it('treats negative or huge attempt counts sanely', () => {
    expect(backoffDelay(-3, options, () => 0)).toBe(50);
    expect(backoffDelay(10_000, options, () => 0)).toBe(500);
  });
});
