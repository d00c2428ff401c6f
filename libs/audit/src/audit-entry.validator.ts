import { AuditException, AuditExceptionCode } from './audit.exception';
import { AUDIT_ACTOR_TYPES, AUDIT_OUTCOMES, AuditDetailValue, NewAuditEntry } from './audit.types';

const ACTION = /^[a-z][a-z0-9_.-]{1,63}$/;
const DETAIL_KEY = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
const MAX_DETAIL_KEYS = 20;
const MAX_DETAIL_STRING = 200;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// Column widths of audit_log. A value MySQL would truncate or re-encode would no longer hash to what
// was stored, so anything that does not fit is refused before it is written.
const COLUMN_LIMITS = {
  actorId: 64,
  actorRole: 32,
  targetType: 64,
  targetId: 128,
  sourceIp: 45,
  requestId: 64,
} as const;

function invalid(message: string): never {
  throw new AuditException(AuditExceptionCode.InvalidEvent, `Invalid audit event: ${message}`);
}

function checkText(field: string, value: string | null, max: number): void {
  if (value === null) return;
  if (typeof value !== 'string') invalid(`${field} must be a string`);
  if (value.length === 0) invalid(`${field} must not be empty`);
  if (value.length > max) invalid(`${field} is longer than ${max} characters`);
  if (LONE_SURROGATE.test(value)) invalid(`${field} is not well-formed Unicode`);
}

function checkDetail(key: string, value: unknown): asserts value is AuditDetailValue {
  // The key is not quoted back: a key that breaks the rule may itself be a value someone misplaced.
  if (!DETAIL_KEY.test(key)) invalid('a details key is not an identifier of at most 64 letters, digits, _ . -');
  if (value === null || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) invalid(`details.${key} must be a finite number`);
    return;
  }
  if (typeof value === 'string') {
    if (value.length > MAX_DETAIL_STRING) invalid(`details.${key} is longer than ${MAX_DETAIL_STRING} characters`);
    if (LONE_SURROGATE.test(value)) invalid(`details.${key} is not well-formed Unicode`);
    return;
  }
  const got = Array.isArray(value) ? 'array' : typeof value;
  invalid(`details.${key} must be a string, number, boolean or null (got ${got})`);
}

/**
 * Refuses entries that could not be stored exactly or that invite personal data into the log.
 * Messages name the field and the rule, never the offending value.
 */
export function assertValidAuditEntry(entry: NewAuditEntry): void {
  if (typeof entry.action !== 'string' || !ACTION.test(entry.action)) {
    invalid('action must match /^[a-z][a-z0-9_.-]{1,63}$/');
  }
  if (!AUDIT_OUTCOMES.includes(entry.outcome)) invalid(`outcome must be one of ${AUDIT_OUTCOMES.join(', ')}`);
  if (!AUDIT_ACTOR_TYPES.includes(entry.actor.type)) {
    invalid(`actor.type must be one of ${AUDIT_ACTOR_TYPES.join(', ')}`);
  }
  if (!(entry.occurredAt instanceof Date) || Number.isNaN(entry.occurredAt.getTime())) {
    invalid('occurredAt must be a valid date');
  }
  checkText('actor.id', entry.actor.id, COLUMN_LIMITS.actorId);
  checkText('actor.role', entry.actor.role, COLUMN_LIMITS.actorRole);
  checkText('targetType', entry.targetType, COLUMN_LIMITS.targetType);
  checkText('targetId', entry.targetId, COLUMN_LIMITS.targetId);
  checkText('sourceIp', entry.sourceIp, COLUMN_LIMITS.sourceIp);
  checkText('requestId', entry.requestId, COLUMN_LIMITS.requestId);
  if (entry.details === null) return;
  if (typeof entry.details !== 'object' || Array.isArray(entry.details)) invalid('details must be a plain object');
  const keys = Object.keys(entry.details);
  if (keys.length > MAX_DETAIL_KEYS) invalid(`details has more than ${MAX_DETAIL_KEYS} keys`);
  for (const key of keys) checkDetail(key, entry.details[key]);
}
