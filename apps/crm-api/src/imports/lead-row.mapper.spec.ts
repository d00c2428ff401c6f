import { HeaderError, ImportPlan, mapRow, RowContext } from './lead-row.mapper';

const ctx: RowContext = { defaultRegion: 'GB', campaignTimezone: 'Europe/Berlin', consentRequired: false };
const b = (...values: string[]) => values.map((v) => Buffer.from(v, 'utf8'));

describe('ImportPlan', () => {
  it('matches headers case-insensitively, applies the mapping, keeps other columns as custom fields', () => {
    const plan = ImportPlan.fromHeader(b(' Phone ', 'Vorname', 'Tier', ''), ImportPlan.parseMapping('{"vorname":"first_name"}'));
    expect(plan.columns.map((c) => [c.target, c.customKey])).toEqual([
      ['phone', null],
      ['first_name', null],
      ['custom', 'Tier'],
      ['ignore', null],
    ]);
  });

  it.each([
    [b('name', 'email'), 'no column maps to phone'],
    [b('phone', 'PHONE'), 'columns 1 and 2 both map to phone'],
    [[Buffer.from([0xff]), Buffer.from('phone')], 'the header of column 1 is not valid UTF-8'],
  ])('refuses a header it cannot use', (header, message) => {
    expect(() => ImportPlan.fromHeader(header, new Map())).toThrow(new HeaderError(message));
  });

  it.each(['[1]', 'nope', '{"a":"password"}'])('refuses a mapping that is not an object of known targets: %s', (text) => {
    expect(() => ImportPlan.parseMapping(text)).toThrow(HeaderError);
  });
});

describe('mapRow', () => {
  const plan = ImportPlan.fromHeader(b('phone', 'email', 'timezone', 'consent_basis', 'consent_at', 'national_id'), new Map());

  it('normalises the number to E.164 and derives the zones from its country', () => {
    const result = mapRow(plan, b('07400 123456', '', '', '', '', ''), ctx);
    expect(result).toEqual({ ok: true, row: expect.objectContaining({ phoneRegion: 'GB', timezones: ['Europe/London'], consent: null }) });
    expect(result.ok && result.row.fields.phone).toBe('+447400123456');
  });

  it.each([
    [b('07400 123456', 'x'), 'wrong number of columns: 2, the header has 6'],
    [b('12', '', '', '', '', ''), 'column phone: not a valid number for region GB'],
    [b('07400123456', 'nope', '', '', '', ''), 'column email: not an e-mail address'],
    [b('07400123456', '', 'Nowhere/City', '', '', ''), 'column timezone: not a known IANA time zone'],
    [b('07400123456', '', '', 'because', '', ''), 'column consent_basis: must be one of consent, contract, legitimate_interest, legal_obligation'],
    [b('07400123456', '', '', 'consent', 'yesterday', ''), 'column consent_at: not an ISO 8601 date'],
    [b('07400123456', '', '', '', '2025-01-01', ''), 'column consent_basis: required when other consent columns are given'],
    [b('07400123456', '', '', '', '', 'N'.repeat(65)), 'column national_id: longer than 64 bytes'],
  ])('rejects with a reason that names the column, not the value', (record, reason) => {
    expect(mapRow(plan, record, ctx)).toEqual({ ok: false, reason });
  });

  it('requires consent when the campaign does', () => {
    expect(mapRow(plan, b('07400123456', '', '', '', '', ''), { ...ctx, consentRequired: true })).toEqual({
      ok: false,
      reason: 'column consent_basis: this campaign requires consent',
    });
  });
});
