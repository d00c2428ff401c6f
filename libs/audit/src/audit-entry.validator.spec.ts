import { assertValidAuditEntry } from './audit-entry.validator';
import { AuditException, AuditExceptionCode } from './audit.exception';
import { NewAuditEntry } from './audit.types';

const valid: NewAuditEntry = {
  occurredAt: new Date('2025-11-21T10:00:00.000Z'),
  actor: { type: 'user', id: 'u1', role: 'agent' },
  action: 'lead.view',
  outcome: 'success',
  targetType: 'lead',
  targetId: 'l1',
  sourceIp: '10.0.0.1',
  requestId: 'req-1',
  details: { count: 1, flag: true, reason: 'x', none: null },
};

function rejection(entry: NewAuditEntry): AuditException {
  try {
    assertValidAuditEntry(entry);
  } catch (error) {
    if (error instanceof AuditException) return error;
    throw error;
  }
  throw new Error('expected the entry to be refused');
}

describe('assertValidAuditEntry', () => {
  it('accepts a well-formed entry, and one with only the required fields', () => {
    expect(() => assertValidAuditEntry(valid)).not.toThrow();
    expect(() =>
      assertValidAuditEntry({
        ...valid,
        actor: { type: 'system', id: null, role: null },
        targetType: null,
        targetId: null,
        sourceIp: null,
        requestId: null,
        details: null,
      }),
    ).not.toThrow();
  });

  it.each(['Lead.view', 'x', '1lead', 'lead view', 'lead/view', 'a'.repeat(65), ''])('refuses action %j', (action) => {
    const error = rejection({ ...valid, action });
    expect(error.code).toBe(AuditExceptionCode.InvalidEvent);
    expect(error.message).toContain('action');
  });

  it.each([
    ['an object', { nested: { a: 1 } }],
    ['an array', { list: [1, 2] }],
    ['NaN', { n: Number.NaN }],
    ['Infinity', { n: Number.POSITIVE_INFINITY }],
  ])('refuses a details value that is %s', (_label, details) => {
    expect(rejection({ ...valid, details: details as unknown as NewAuditEntry['details'] }).message).toMatch(/details/);
  });

  it('refuses long detail strings without quoting them back', () => {
    const secretish = 'p'.repeat(201);
    const error = rejection({ ...valid, details: { note: secretish } });
    expect(error.message).toContain('details.note is longer than 200 characters');
    expect(error.message).not.toContain(secretish);
  });

  it('refuses detail keys that are not identifiers, without quoting them', () => {
    const error = rejection({ ...valid, details: { 'jane.doe@example.com ': 1 } });
    expect(error.message).not.toContain('jane');
  });

  it('refuses too many detail keys', () => {
    const details = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, i]));
    expect(rejection({ ...valid, details }).message).toContain('more than 20 keys');
  });

  it('refuses values that would not fit their column, since truncation would break the hash', () => {
    expect(rejection({ ...valid, targetId: 't'.repeat(129) }).message).toContain('targetId');
    expect(rejection({ ...valid, actor: { type: 'user', id: 'u'.repeat(65), role: null } }).message).toContain('actor.id');
    expect(rejection({ ...valid, sourceIp: '1'.repeat(46) }).message).toContain('sourceIp');
    expect(rejection({ ...valid, targetType: '\uD800' }).message).toContain('well-formed');
  });

  it('refuses unknown outcomes and actor types', () => {
    expect(rejection({ ...valid, outcome: 'ok' as NewAuditEntry['outcome'] }).message).toContain('outcome');
    expect(
      rejection({ ...valid, actor: { type: 'robot' as NewAuditEntry['actor']['type'], id: null, role: null } }).message,
    ).toContain('actor.type');
  });
});
