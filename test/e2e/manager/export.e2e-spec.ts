import { parse } from 'csv-parse/sync';
import { Role } from '@app/domain';
import { CrmApiHarness, SignedIn, TestUser } from '../../utils/crm-api-harness';
import { createCampaign, personFields, seedLeads } from '../../utils/crm-fixtures';

describe('lead export to CSV (manager)', () => {
  let h: CrmApiHarness;
  let manager: TestUser;
  let session: SignedIn;
  let campaignId: string;
  const as = (s: SignedIn) => `Bearer ${s.accessToken}`;
  const staleReauth = (s: SignedIn) =>
    h.db.sql('UPDATE sessions SET reauth_at = UTC_TIMESTAMP(3) - INTERVAL 10 MINUTE WHERE id = ?', [s.sessionId]);
  const exportCsv = (s: SignedIn, id: string) =>
    h
      .http()
      .get(`/campaigns/${id}/leads/export`)
      .set('Authorization', as(s))
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => done(null, text));
      });

  beforeAll(async () => {
    h = await CrmApiHarness.start({ anomaly: { rules: [{ kind: 'export', threshold: 50, windowSeconds: 3600 }], webhookUrl: '' } });
    manager = await h.createUser(Role.Manager);
    session = await h.signIn(manager);
    campaignId = await createCampaign(h, session);
  });
  afterAll(async () => {
    await h.stop();
  });

  it('needs a fresh re-authentication', async () => {
    await staleReauth(session);
    const res = await h.http().get(`/campaigns/${campaignId}/leads/export`).set('Authorization', as(session)).expect(403);
    expect(res.body.error).toBe('reauth_required');
    expect(await h.auditRows("action = 'lead.export'")).toHaveLength(0);
  });

  it('streams every lead, neutralising cells a spreadsheet would run as formulas; audited and counted', async () => {
    const formula = '=HYPERLINK("x")';
    const people = [
      personFields({ firstName: formula, lastName: '@SUM(A1)', notes: '-1+2', address: '\t=cmd' }),
      personFields({ firstName: 'Grace', lastName: 'Hopper' }),
      personFields(),
    ];
    const ids = await seedLeads(h, campaignId, people);
    await h.reauth(manager, session);
    const res = await exportCsv(session, campaignId).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="campaign-${campaignId}-leads.csv"`);

    const rows = parse(res.body as string, { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(3);
    const byId = new Map(rows.map((r) => [r.lead_id, r]));
    const hostile = byId.get(ids[0])!;
    expect(hostile.first_name).toBe(`'${formula}`);
    expect(hostile.last_name).toBe(`'@SUM(A1)`);
    expect(hostile.notes).toBe(`'-1+2`);
    expect(hostile.address).toBe(`'\t=cmd`);
    // E.164 starts with '+': neutralised like any other formula start.
    expect(hostile.phone).toBe(`'${people[0].phone}`);
    expect(hostile.national_id_masked).toBe('*******6C');
    expect(byId.get(ids[1])!.first_name).toBe('Grace');
    for (const row of rows) expect(row.first_name).not.toMatch(/^[=+\-@\t\r]/);

    const audit = await h.auditRows("action = 'lead.export' AND target_id = ?", [campaignId]);
    expect(audit).toHaveLength(1);
    expect(audit[0].actor_id).toBe(manager.id);
    expect(JSON.parse(String(audit[0].details))).toEqual({ rows: 3, skipped: 0 });
    expect(JSON.stringify(audit)).not.toContain(people[1].phone.slice(1));
    const counted = await h.db.sql<Array<{ n: number }>>(`SELECT COUNT(*) AS n FROM user_activity WHERE user_id = ? AND kind = 'export'`, [manager.id]);
    expect(Number(counted[0].n)).toBe(1);
  });

  it('pages through a campaign larger than one page without losing or repeating a lead', async () => {
    const big = await createCampaign(h, session);
    // uniquePhone() repeats within a millisecond: numbers from a random base instead.
    const base = Math.floor(Math.random() * 90_000_000);
    const ids = await seedLeads(h, big, Array.from({ length: 1203 }, (_, i) => personFields({ phone: `+4477${String(base + i).padStart(8, '0')}` })));
    expect(ids.filter((id) => id === '')).toEqual([]);
    await h.reauth(manager, session);
    const res = await exportCsv(session, big).expect(200);
    const rows = parse(res.body as string, { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => r.lead_id).sort()).toEqual([...ids].sort());
  });

  it('answers 404 for a campaign the manager does not manage, and 403 to agents', async () => {
    const other = await h.createUser(Role.Manager);
    const otherSession = await h.signIn(other);
    await exportCsv(otherSession, campaignId).expect(404);
    const agent = await h.signIn(await h.createUser(Role.Agent));
    await exportCsv(agent, campaignId).expect(403);
  });
});
