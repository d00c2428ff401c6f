import { createHash } from 'node:crypto';
import { AuditDetailValue } from './audit.types';

/** prev_hash of the first entry, and last_hash of an empty chain's head. */
export const GENESIS_HASH = '0'.repeat(64);

/** Everything an entry's hash covers, in the form it is stored in. */
export interface AuditHashInput {
  seq: string;
  /** A JS Date holds milliseconds, exactly what DATETIME(3) keeps, so it round-trips unchanged. */
  occurredAt: Date;
  actorType: string;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: string;
  sourceIp: string | null;
  requestId: string | null;
  /** The stored text of the details column, not the parsed object: verify hashes what is there. */
  details: string | null;
  prevHash: string;
}

/** Sorted keys, so the same details always give the same text; no details is NULL, not '{}'. */
export function canonicalDetails(details: Record<string, AuditDetailValue> | null | undefined): string | null {
  if (!details) return null;
  const keys = Object.keys(details).sort();
  if (keys.length === 0) return null;
  const sorted: Record<string, AuditDetailValue> = {};
  for (const key of keys) sorted[key] = details[key];
  return JSON.stringify(sorted);
}

/**
 * A JSON array in a fixed order: positions cannot be confused the way concatenated strings can
 * ("ab"+"c" vs "a"+"bc"), and null stays distinct from the empty string.
 */
export function canonicalContent(input: AuditHashInput): string {
  return JSON.stringify([
    input.seq,
    input.occurredAt.toISOString(),
    input.actorType,
    input.actorId,
    input.actorRole,
    input.action,
    input.targetType,
    input.targetId,
    input.outcome,
    input.sourceIp,
    input.requestId,
    input.details,
    input.prevHash,
  ]);
}

export function computeEntryHash(input: AuditHashInput): string {
  return createHash('sha256').update(canonicalContent(input), 'utf8').digest('hex');
}
