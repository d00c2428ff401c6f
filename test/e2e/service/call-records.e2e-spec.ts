import { randomUUID } from 'node:crypto';
import { TokenService } from '@app/auth';
import { Role, ServiceName } from '@app/domain';
import { CrmApiHarness, SignedIn } from '../../utils/crm-api-harness';
import { createCampaign, personFields, seedLeads } from '../../utils/crm-fixtures';

describe('POST /internal/call-records (the dialer writes CDRs)', () => {
  let h: CrmApiHarness;
  let tokens: TokenService;
  let dialer: string;
  let manager: SignedIn;
  let campaignId: string;
  let otherCampaign: string;

  beforeAll(async () => {
    h = await CrmApiHarness.start();
    tokens = new TokenService(h.config.auth);
    dialer = tokens.issueServiceToken(ServiceName.Dialer, ServiceName.CrmApi);
    manager = await h.signIn(await h.createUser(Role.Manager));
    campaignId = await createCampaign(h, manager);
    otherCampaign = await createCampaign(h, manager);
  });
  afterAll(async () => {
    await h.stop();
  });

  const post = (body: object, token?: string) => {
    const req = h.http().post('/internal/call-records');
    return (token ? req.set('Authorization', `Bearer ${token}`) : req).send(body);
  };
  const leadState = async (id: string) =>
    (await h.db.sql<Array<{ attempts: number; last_outcome: string | null; last_attempt_at: Date | null }>>(
      'SELECT attempts, last_outcome, last_attempt_at FROM leads WHERE id = ?',
      [id],
    ))[0];
  const base = (leadId: string) => ({
    callId: `dlr-${randomUUID()}`,
    leadId,
    campaignId,
    startedAt: '2026-05-04T09:00:00.000Z',
    ringAt: '2026-05-04T09:00:01.500Z',
    outcome: 'no_answer',
    sipStatus: 480,
    trunk: 'trunk-a',
  });

  it('refuses no token (401), a user’s token (403) and a token minted for another app (401)', async () => {
    const [leadId] = await seedLeads(h, campaignId, [personFields()]);
    await post(base(leadId)).expect(401);
    await post(base(leadId), manager.accessToken).expect(403);
    await post(base(leadId), tokens.issueServiceToken(ServiceName.Dialer, ServiceName.Recording)).expect(401);
    // The recording service is a service too, but has no CallRecordWrite.
    await post(base(leadId), tokens.issueServiceToken(ServiceName.Recording, ServiceName.CrmApi)).expect(403);
    expect(await h.db.sql<unknown[]>('SELECT id FROM call_records WHERE lead_id = ?', [leadId])).toHaveLength(0);
    expect((await leadState(leadId)).attempts).toBe(0);
  });

  it('stores a CDR (201), records the lead’s last outcome (not an attempt: the dialer counts those) and audits the write', async () => {
    const [leadId] = await seedLeads(h, campaignId, [personFields()]);
    const cdr = base(leadId);
    const res = await post(cdr, dialer).expect(201);
    expect(res.body.created).toBe(true);
    const [row] = await h.db.sql<Array<Record<string, unknown>>>('SELECT * FROM call_records WHERE id = ?', [res.body.id]);
    expect(row).toMatchObject({ call_id: cdr.callId, lead_id: leadId, campaign_id: campaignId, outcome: 'no_answer', sip_status: 480, trunk: 'trunk-a' });
    expect((row.ring_at as Date).toISOString()).toBe(cdr.ringAt);
    const lead = await leadState(leadId);
    expect(lead).toMatchObject({ attempts: 0, last_outcome: 'no_answer' });
    expect(lead.last_attempt_at!.toISOString()).toBe(cdr.startedAt);
    const audit = await h.auditRows("action = 'call_record.write' AND target_id = ?", [res.body.id]);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_type: 'service', actor_id: 'dialer' });
  });

  it('a replay of the same CDR does not duplicate it; a later report fills in and updates the last outcome', async () => {
    const [leadId] = await seedLeads(h, campaignId, [personFields()]);
    const cdr = base(leadId);
    const first = await post(cdr, dialer).expect(201);
    const replay = await post(cdr, dialer).expect(201);
    expect(replay.body).toEqual({ id: first.body.id, created: false });
    const agent = await h.createUser(Role.Agent);
    const recordingId = randomUUID();
    const later = { ...cdr, agentId: agent.id, answeredAt: '2026-05-04T09:00:09.000Z', endedAt: '2026-05-04T09:03:00.000Z', outcome: 'answered', sipStatus: 200, recordingId };
    await post(later, dialer).expect(201);
    // Concurrent retries of one CDR also end up as one record.
    await Promise.all([post(later, dialer).expect(201), post(later, dialer).expect(201), post(later, dialer).expect(201)]);

    const rows = await h.db.sql<Array<Record<string, unknown>>>('SELECT * FROM call_records WHERE call_id = ?', [cdr.callId]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: first.body.id, agent_id: agent.id, outcome: 'answered', sip_status: 200, recording_id: recordingId });
    expect((rows[0].ring_at as Date).toISOString()).toBe(cdr.ringAt);
    expect((rows[0].ended_at as Date).toISOString()).toBe(later.endedAt);
    expect(await leadState(leadId)).toMatchObject({ attempts: 0, last_outcome: 'answered' });
  });

  it('refuses a call id reused for another call (409), and leads outside the campaign (400)', async () => {
    const [leadId] = await seedLeads(h, campaignId, [personFields()]);
    const cdr = base(leadId);
    await post(cdr, dialer).expect(201);
    await post({ ...cdr, startedAt: '2026-05-05T09:00:00.000Z' }, dialer).expect(409);
    const [elsewhere] = await seedLeads(h, otherCampaign, [personFields()]);
    await post({ ...cdr, callId: `dlr-${randomUUID()}`, leadId: elsewhere }, dialer).expect(400);
    await post({ ...cdr, callId: `dlr-${randomUUID()}`, campaignId: randomUUID(), leadId: undefined }, dialer).expect(400);
    expect((await leadState(elsewhere)).attempts).toBe(0);
  });

  it('validates the CDR', async () => {
    const [leadId] = await seedLeads(h, campaignId, [personFields()]);
    await post({ ...base(leadId), outcome: 'exploded' }, dialer).expect(400);
    await post({ ...base(leadId), startedAt: 'soon' }, dialer).expect(400);
    await post({ ...base(leadId), sipStatus: 999 }, dialer).expect(400);
    await post({ ...base(leadId), callId: '' }, dialer).expect(400);
    await post({ ...base(leadId), phone: '+447700900123' }, dialer).expect(400);
  });
});
