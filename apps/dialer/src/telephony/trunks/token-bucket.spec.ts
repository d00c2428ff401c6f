import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  let t = 0;
  const clock = () => t;
  beforeEach(() => {
    t = 1_000;
  });

  it('starts full, with capacity equal to the rate', () => {
    const bucket = new TokenBucket(3, clock);
    expect(bucket.capacity).toBe(3);
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([true, true, true, false]);
  });

  it('refills at the rate and never past capacity', () => {
    const bucket = new TokenBucket(2, clock);
    bucket.tryTake();
    bucket.tryTake();
    expect(bucket.tryTake()).toBe(false);
    t += 499;
    expect(bucket.tryTake()).toBe(false);
    t += 1;
    expect(bucket.tryTake()).toBe(true);
    t += 60_000;
    expect(bucket.available()).toBe(2);
  });

  it('gives a fractional rate a capacity of one call', () => {
    const bucket = new TokenBucket(0.5, clock);
    expect(bucket.capacity).toBe(1);
    expect(bucket.tryTake()).toBe(true);
    expect(bucket.tryTake()).toBe(false);
    expect(bucket.msUntilNext()).toBe(2000);
    t += 1999;
    expect(bucket.tryTake()).toBe(false);
    t += 1;
    expect(bucket.tryTake()).toBe(true);
  });

  it('is not fooled by a clock that goes backwards', () => {
    const bucket = new TokenBucket(1, clock);
    bucket.tryTake();
    t -= 10_000;
    expect(bucket.tryTake()).toBe(false);
    t += 1000;
    expect(bucket.tryTake()).toBe(true);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new TokenBucket(0, clock)).toThrow(RangeError);
    expect(() => new TokenBucket(Number.NaN, clock)).toThrow(RangeError);
  });
});
