/** P(X = k) for X ~ Binomial(n, p), for every k in 0..n (computed iteratively, stable for n ≤ a few hundred). */
export function binomialPmf(n: number, p: number): number[] {
  const pmf = new Array<number>(n + 1).fill(0);
  if (p <= 0) {
    pmf[0] = 1;
    return pmf;
  }
  if (p >= 1) {
    pmf[n] = 1;
    return pmf;
  }
  // log-space start avoids underflow of (1-p)^n for large n.
  let logP = n * Math.log1p(-p);
  pmf[0] = Math.exp(logP);
  for (let k = 1; k <= n; k++) {
    logP += Math.log((n - k + 1) / k) + Math.log(p) - Math.log1p(-p);
    pmf[k] = Math.exp(logP);
  }
  return pmf;
}

/**
 * Expected share of live answers that find no agent, when `lines` calls are out with answer
 * probability `p` and `agents` agents will be free to take them: E[(A − agents)+] / E[A].
 */
export function expectedAbandonShare(lines: number, p: number, agents: number): number {
  if (lines <= 0 || p <= 0) return 0;
  const pmf = binomialPmf(lines, p);
  let excess = 0;
  for (let k = agents + 1; k <= lines; k++) excess += (k - agents) * pmf[k];
  return excess / (lines * p);
}
