import { Env } from '@app/config';

export type ActivityKind = 'lead_read' | 'reveal' | 'export' | 'recording_play';

export interface AnomalyRule {
  kind: ActivityKind;
  /** More than this many in the window breaches the rule. */
  threshold: number;
  windowSeconds: number;
}

const DEFAULT_RULES: AnomalyRule[] = [
  { kind: 'lead_read', threshold: 100, windowSeconds: 300 },
  { kind: 'reveal', threshold: 20, windowSeconds: 3600 },
  { kind: 'export', threshold: 5, windowSeconds: 3600 },
  { kind: 'recording_play', threshold: 200, windowSeconds: 3600 },
];

const KINDS: readonly ActivityKind[] = ['lead_read', 'reveal', 'export', 'recording_play'];

export class AnomalyConfig {
  /** JSON list of {kind, threshold, windowSeconds}; replaces the defaults. */
  @Env('ANOMALY_RULES', { kind: 'json', default: DEFAULT_RULES, check: rulesProblem })
  rules!: AnomalyRule[];

  /** Optional https URL that receives a JSON POST per alert (no personal data in it). */
  @Env('ANOMALY_WEBHOOK_URL', { default: '', check: (v) => (v === '' || /^https:\/\//.test(String(v)) ? null : 'must be an https:// URL') })
  webhookUrl!: string;
}

function rulesProblem(value: unknown): string | null {
  if (!Array.isArray(value)) return 'must be a JSON list of rules';
  for (const rule of value as Array<Partial<AnomalyRule>>) {
    if (!KINDS.includes(rule.kind as ActivityKind)) return `has an unknown kind (use ${KINDS.join(', ')})`;
    if (!Number.isInteger(rule.threshold) || (rule.threshold as number) < 1) return 'needs a positive integer threshold per rule';
    if (!Number.isInteger(rule.windowSeconds) || (rule.windowSeconds as number) < 1) return 'needs a positive integer windowSeconds per rule';
  }
  return null;
}
