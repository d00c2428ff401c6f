/**
 * Distributions of counts (answers, freed agents) as plain arrays: index k holds P(count = k).
 * Upper tails below NEGLIGIBLE are cut off, which keeps the arrays short where the mass is.
 */

// Math's functions under local names: a global look-up per call is slow where code runs in a vm
// context (jest), and these run millions of times in a simulation.
const { exp, log, max, min, pow, round } = Math;

export const NEGLIGIBLE = 1e-13;

const logFactorials: number[] = [0];

function logFactorial(n: number): number {
  for (let k = logFactorials.length; k <= n; k++) logFactorials.push(logFactorials[k - 1] + log(k));
  return logFactorials[n];
}

/** Binomial(n, p), its negligible upper tail cut off. */
export function binomialPmf(n: number, p: number): number[] {
  if (n <= 0 || p <= 0) return [1];
  if (p >= 1) return [...new Array<number>(n).fill(0), 1];
  const first = pow(1 - p, n);
  if (first < 1e-250) {
    // Many trials of a likely event: the recurrence would start from an underflowed zero.
    const lp = log(p);
    const lq = log(1 - p);
    const pmf = new Array<number>(n + 1);
    for (let k = 0; k <= n; k++) pmf[k] = exp(logFactorial(n) - logFactorial(k) - logFactorial(n - k) + k * lp + (n - k) * lq);
    return trim(pmf);
  }
  const odds = p / (1 - p);
  const pmf = [first];
  for (let k = 0; k < n; k++) {
    const next = (pmf[k] * (n - k) * odds) / (k + 1);
    if (k + 1 > n * p && next < NEGLIGIBLE) break;
    pmf.push(next);
  }
  return pmf;
}

/** The number of successes among independent trials of the given chances, exactly. O(n²). */
export function poissonBinomialPmf(chances: readonly number[]): number[] {
  let pmf = [1];
  for (const q of chances) pmf = addTrial(pmf, q);
  return pmf;
}

/**
 * The same, exact for up to `exactUpTo` trials and otherwise a binomial with the same mean and
 * variance (close for many trials, and O(n) instead of O(n²)).
 */
export function successCountPmf(chances: readonly number[], exactUpTo = 48): number[] {
  if (chances.length <= exactUpTo) return poissonBinomialPmf(chances);
  let mean = 0;
  let variance = 0;
  for (const q of chances) {
    mean += q;
    variance += q * (1 - q);
  }
  if (mean <= 0) return [1];
  const p = max(1e-9, 1 - variance / mean);
  const n = min(chances.length, max(1, round(mean / p)));
  return binomialPmf(n, min(1, mean / n));
}

/** The distribution of a count plus one more independent trial of chance q. */
export function addTrial(pmf: readonly number[], q: number): number[] {
  const next = new Array<number>(pmf.length + 1);
  next[0] = pmf[0] * (1 - q);
  for (let k = 1; k < pmf.length; k++) next[k] = pmf[k] * (1 - q) + pmf[k - 1] * q;
  next[pmf.length] = pmf[pmf.length - 1] * q;
  return trim(next);
}

/** The distribution of the sum of two independent counts. */
export function convolve(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array<number>(a.length + b.length - 1).fill(0);
  for (let i = 0; i < a.length; i++) {
    if (a[i] === 0) continue;
    for (let j = 0; j < b.length; j++) out[i + j] += a[i] * b[j];
  }
  return trim(out);
}

/** A count plus a constant. */
export function shift(pmf: readonly number[], by: number): number[] {
  return by > 0 ? [...new Array<number>(by).fill(0), ...pmf] : [...pmf];
}

/** Drops the negligible upper tail (the lower one keeps its zeros: the index is the count). */
export function trim(pmf: number[]): number[] {
  let end = pmf.length;
  while (end > 1 && pmf[end - 1] < NEGLIGIBLE) end -= 1;
  return end === pmf.length ? pmf : pmf.slice(0, end);
}
