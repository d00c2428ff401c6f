/** The continuous distributions the predictive model needs: lognormal durations, fitted and queried. */

// Math's functions under local names: a global look-up per call is slow where code runs in a vm
// context (jest), and these run millions of times in a simulation.
const { PI, SQRT2, abs, exp, log, max, min, sqrt } = Math;

/**
 * Complementary error function (Numerical Recipes' Chebyshev fit, relative error below 1.2e-7 over
 * the whole range). Survival probabilities are computed from it directly rather than as 1 - cdf, so
 * an agent far into a long call still gets a meaningful, non-zero tail.
 */
export function erfc(x: number): number {
  const z = abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Inverse of the standard normal cdf (Acklam's rational approximation, relative error ~1e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  if (p > 0.97575) return -normalQuantile(1 - p);
  if (p < 0.02425) {
    const q = sqrt(-2 * log(p));
    return (
      (((((-0.007784894002430293 * q - 0.3223964580411365) * q - 2.400758277161838) * q - 2.549732539343734) * q + 4.374664141464968) * q +
        2.938163982698783) /
      ((((0.007784695709041462 * q + 0.3224671290700398) * q + 2.445134137142996) * q + 3.754408661907416) * q + 1)
    );
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((-39.69683028665376 * r + 220.9460984245205) * r - 275.9285104469687) * r + 138.357751867269) * r - 30.66479806614716) * r +
      2.506628277459239) *
      q) /
    (((((-54.47609879822406 * r + 161.5858368580409) * r - 155.6989798598866) * r + 66.80131188771972) * r - 13.28068155288572) * r + 1)
  );
}

/** A lognormal: the logarithm is normal with mean mu and standard deviation sigma. */
export interface Lognormal {
  mu: number;
  sigma: number;
}

/** The lognormal with a given mean and standard deviation (moment matching). */
export function lognormalFromMoments(mean: number, sd: number): Lognormal {
  // Without a usable spread, assume the coefficient of variation of an exponential (1).
  const cv = sd > 0 && Number.isFinite(sd) ? sd / mean : 1;
  const sigma2 = log(1 + cv * cv);
  return { mu: log(mean) - sigma2 / 2, sigma: sqrt(sigma2) };
}

/** P(T > t). */
export function lognormalSurvival(t: number, d: Lognormal): number {
  if (t <= 0) return 1;
  return 0.5 * erfc((log(t) - d.mu) / (d.sigma * SQRT2));
}

/** P(T <= t). */
export function lognormalCdf(t: number, d: Lognormal): number {
  return 1 - lognormalSurvival(t, d);
}

export function lognormalQuantile(q: number, d: Lognormal): number {
  return exp(d.mu + d.sigma * normalQuantile(q));
}

/**
 * P(T <= elapsed + within | T > elapsed): the chance that a call already `elapsed` seconds long ends
 * within the next `within` seconds. Call lengths are close to lognormal, whose hazard falls for long
 * calls: an agent 20 minutes into a call is less likely to be free soon than one 2 minutes in, which
 * the exponential (memoryless) model would miss.
 */
export function lognormalEndsWithin(elapsed: number, within: number, d: Lognormal): number {
  if (within <= 0) return 0;
  const alive = lognormalSurvival(elapsed, d);
  if (alive < 1e-300) return 0;
  return min(1, max(0, 1 - lognormalSurvival(elapsed + within, d) / alive));
}

/** Durations that have ended, summarised by the (weighted) count, mean and sd of their logarithms. */
export interface LogSample {
  weight: number;
  logMean: number;
  logSd: number;
}

/**
 * Lognormal fit from ended durations plus durations still running (known only to be at least so
 * long), by expectation-maximisation on the censored logarithms (the Tobit model).
 *
 * Why: right after a campaign starts, the only calls that have ended are the short ones, so a fit
 * on ended calls alone believes calls are short, expects agents back soon and overdials (in the
 * simulation, 100 agents abandoned 7 % in the first hour that way). The calls still running say how
 * long calls are at least. Once the campaign has run a while the ended calls dominate and this
 * changes little (slightly longer, as running calls are the longer ones: the safe side).
 */
export function fitLognormalWithRunning(ended: LogSample, runningSeconds: readonly number[], iterations = 30): Lognormal {
  let mu = ended.logMean;
  let sigma = max(0.05, ended.logSd);
  const censored = runningSeconds.map((s) => log(max(1, s)));
  const total = ended.weight + censored.length;
  if (censored.length === 0 || total <= 0) return { mu, sigma };
  if (ended.weight <= 0) {
    // Nothing has ended yet: all one can say is that calls last longer than the longest running one.
    return { mu: max(...censored), sigma };
  }
  const endedSquares = ended.weight * (ended.logSd * ended.logSd + ended.logMean * ended.logMean);
  for (let i = 0; i < iterations; i++) {
    let sum = ended.weight * ended.logMean;
    let squares = endedSquares;
    for (const c of censored) {
      // Moments of the normal log-duration given that it exceeds c (inverse Mills ratio).
      const alpha = (c - mu) / sigma;
      const lambda = millsRatio(alpha);
      sum += mu + sigma * lambda;
      squares += mu * mu + 2 * mu * sigma * lambda + sigma * sigma * (1 + alpha * lambda);
    }
    const nextMu = sum / total;
    const nextSigma = max(0.05, sqrt(max(0, squares / total - nextMu * nextMu)));
    const done = abs(nextMu - mu) < 1e-7 && abs(nextSigma - sigma) < 1e-7;
    mu = nextMu;
    sigma = nextSigma;
    if (done) break;
  }
  return { mu, sigma };
}

/** phi(a) / (1 - Phi(a)): the mean of a standard normal truncated to values above a. */
function millsRatio(a: number): number {
  const tail = 0.5 * erfc(a / SQRT2);
  if (tail < 1e-300) return a + 1 / a;
  return exp(-0.5 * a * a) / sqrt(2 * PI) / tail;
}
