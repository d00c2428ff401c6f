import { AuditHashInput, GENESIS_HASH, canonicalContent, canonicalDetails, computeEntryHash } from './audit-hash';

const fixed: AuditHashInput = {
  seq: '42',
  occurredAt: new Date('2025-11-21T10:15:30.123Z'),
  actorType: 'user',
  actorId: '6f1c2a1e-0000-4000-8000-000000000001',
  actorRole: 'agent',
  action: 'lead.export',
  targetType: 'campaign',
  targetId: 'c-7',
  outcome: 'success',
  sourceIp: '10.0.0.1',
  requestId: 'req-00000001',
  details: '{"count":3,"format":"csv"}',
  prevHash: 'a'.repeat(64),
};

describe('audit entry hashing', () => {
  it('hashes a fixed entry to a fixed value, so stored chains stay verifiable across releases', () => {
    expect(canonicalContent(fixed)).toBe(
      '["42","2025-11-21T10:15:30.123Z","user","6f1c2a1e-0000-4000-8000-000000000001","agent","lead.export",' +
        '"campaign","c-7","success","10.0.0.1","req-00000001","{\\"count\\":3,\\"format\\":\\"csv\\"}",' +
        `"${'a'.repeat(64)}"]`,
    );
    expect(computeEntryHash(fixed)).toBe(computeEntryHash({ ...fixed }));
    expect(computeEntryHash(fixed)).toMatch(/^[0-9a-f]{64}$/);
    expect(computeEntryHash(fixed)).toBe('15bc0dc950cfa409f25eb38e9a335be971c4a8ed0c2ceeb896dcebac8ffb198f');
  });

  const changes: Array<[keyof AuditHashInput, AuditHashInput[keyof AuditHashInput]]> = [
    ['seq', '43'],
    ['occurredAt', new Date('2025-11-21T10:15:30.124Z')],
    ['actorType', 'service'],
    ['actorId', null],
    ['actorRole', 'admin'],
    ['action', 'lead.import'],
    ['targetType', null],
    ['targetId', 'c-8'],
    ['outcome', 'failure'],
    ['sourceIp', '10.0.0.2'],
    ['requestId', null],
    ['details', '{"count":4,"format":"csv"}'],
    ['prevHash', GENESIS_HASH],
  ];

  it.each(changes)('changes when %s changes', (field, value) => {
    expect(computeEntryHash({ ...fixed, [field]: value })).not.toBe(computeEntryHash(fixed));
  });

  it('keeps null apart from the empty string and fields from their neighbours', () => {
    expect(computeEntryHash({ ...fixed, targetId: '' })).not.toBe(computeEntryHash({ ...fixed, targetId: null }));
    expect(computeEntryHash({ ...fixed, targetType: 'campaignc-7', targetId: '' })).not.toBe(computeEntryHash(fixed));
  });

  it('writes details with sorted keys, and no details as null', () => {
    expect(canonicalDetails({ b: 1, a: 'x', c: null })).toBe('{"a":"x","b":1,"c":null}');
    expect(canonicalDetails({ c: null, a: 'x', b: 1 })).toBe(canonicalDetails({ b: 1, a: 'x', c: null }));
    expect(canonicalDetails({})).toBeNull();
    expect(canonicalDetails(null)).toBeNull();
    expect(canonicalDetails(undefined)).toBeNull();
  });
});
