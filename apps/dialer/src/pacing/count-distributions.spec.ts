import { addTrial, binomialPmf, convolve, poissonBinomialPmf, shift, successCountPmf } from './count-distributions';

const sum = (pmf: readonly number[]) => pmf.reduce((a, b) => a + b, 0);
const mean = (pmf: readonly number[]) => pmf.reduce((a, p, k) => a + p * k, 0);
const variance = (pmf: readonly number[]) => pmf.reduce((a, p, k) => a + p * k * k, 0) - mean(pmf) ** 2;

describe('count distributions', () => {
  it('binomialPmf: exact small cases, and sane for many trials of a likely event', () => {
    expect(binomialPmf(2, 0.5)).toEqual([0.25, 0.5, 0.25]);
    expect(binomialPmf(0, 0.3)).toEqual([1]);
    expect(binomialPmf(3, 0)).toEqual([1]);
    expect(binomialPmf(3, 1)).toEqual([0, 0, 0, 1]);
    const many = binomialPmf(400, 0.99);
    expect(sum(many)).toBeCloseTo(1, 9);
    expect(mean(many)).toBeCloseTo(396, 6);
    const rare = binomialPmf(300, 0.02);
    expect(sum(rare)).toBeCloseTo(1, 9);
    expect(mean(rare)).toBeCloseTo(6, 6);
    expect(rare.length).toBeLessThan(60); // negligible tail cut
  });

  it('poissonBinomialPmf equals the binomial when all chances are equal', () => {
    const a = poissonBinomialPmf([0.3, 0.3, 0.3, 0.3]);
    binomialPmf(4, 0.3).forEach((p, k) => expect(a[k]).toBeCloseTo(p, 12));
    expect(poissonBinomialPmf([])).toEqual([1]);
  });

  it('successCountPmf keeps mean and variance when it approximates many trials', () => {
    const chances = Array.from({ length: 200 }, (_, i) => 0.01 + (i % 10) * 0.03);
    const exact = poissonBinomialPmf(chances);
    const approx = successCountPmf(chances);
    expect(mean(approx)).toBeCloseTo(mean(exact), 6);
    expect(variance(approx)).toBeCloseTo(variance(exact), 0);
    expect(sum(approx)).toBeCloseTo(1, 9);
  });

  it('convolve, addTrial and shift', () => {
    expect(convolve([0.5, 0.5], [0.5, 0.5])).toEqual([0.25, 0.5, 0.25]);
    expect(addTrial([0.5, 0.5], 0.5)).toEqual([0.25, 0.5, 0.25]);
    expect(shift([0.5, 0.5], 2)).toEqual([0, 0, 0.5, 0.5]);
  });
});
