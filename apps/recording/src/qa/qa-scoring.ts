import { Answer, Criterion } from './qa.repository';

/** What is wrong with a scorecard's answers, or null. Every criterion is answered once, within its range. */
export function answersProblem(criteria: readonly Criterion[], answers: readonly Answer[]): string | null {
  const keys = new Set(criteria.map((c) => c.key));
  const seen = new Set<string>();
  for (const a of answers) {
    if (!keys.has(a.key)) return 'an answer names a criterion the scorecard does not have';
    if (seen.has(a.key)) return 'a criterion is answered twice';
    seen.add(a.key);
    const c = criteria.find((x) => x.key === a.key)!;
    if (a.points < 0 || a.points > c.maxPoints) return 'points must be between 0 and the criterion maximum';
  }
  return seen.size === keys.size ? null : 'every criterion must be answered';
}

/** The weighted score out of 100, two decimals: Σ weight × points/max over Σ weight. */
export function weightedTotal(criteria: readonly Criterion[], answers: readonly Answer[]): number {
  const weights = criteria.reduce((sum, c) => sum + c.weight, 0);
  const earned = criteria.reduce((sum, c) => sum + (c.weight * (answers.find((a) => a.key === c.key)?.points ?? 0)) / c.maxPoints, 0);
  return Math.round((earned / weights) * 10_000) / 100;
}
