import { randomUUID } from 'node:crypto';
import { TokenService } from '@app/auth';
import { Role, ServiceName } from '@app/domain';
import { DncService } from '../../../apps/crm-api/src/compliance/dnc.service';
import { CrmApiHarness, SignedIn } from '../../utils/crm-api-harness';
import { addAgents, createCampaign, personFields, seedLeads } from '../../utils/crm-fixtures';

describe('POST /internal/dial-targets (the dialer asks for the number at dial time)', () => {
  let h: CrmApiHarness;
  let tokens: TokenService;
  let dialer: string;
  let manager: SignedIn;
  let managerId: string;
  let campaignId: string;
  let strictCampaign: string;

  beforeAll(async () => {
    h = await CrmApiHarness.start();
    tokens = new TokenService(h.config.auth);
    dialer = tokens.issueServiceToken(ServiceName.Dialer, ServiceName.CrmApi);
    const managerUser = await h.createUser(Role.Manager);
    managerId = managerUser.id;
    manager = await h.signIn(managerUser);
    campaignId = await createCampaign(h, manager);
    strictCampaign = await createCampaign(h, manager, { consentRequired: true });
  });
  afterAll(async () => {
    await h.stop();
  });

  const ask = (body: object, token?: string) => {
    const req = h.http().post('/internal/dial-targets');
    return (token ? req.set('Authorization', `Bearer ${token}`) : req).send(body);
  };
  /** A lead as the dialer holds it when it asks: reserved. */
  const reservedLead = async (campaign = campaignId) => {
    const fields = personFields();
    const [leadId] = await seedLeads(h, campaign, [fields]);
    await h.db.sql(`UPDATE leads SET status = 'reserved', reserved_by = 'dialer-test', reserved_at = NOW(3) WHERE id = ?`, [leadId]);
    return { leadId, phone: fields.phone };
  };
  const auditOf = async (leadId: string) => h.auditRows("action = 'lead.dial_target' AND target_id = ?", [leadId]);

  it('gives the dialer the number of a lead it holds, and audits the answer without the number', async () => {
    const { leadId, phone } = await reservedLead();
    const callId = randomUUID();
    const res = await ask({ leadId, campaignId, callId }, dialer).expect(200);
    expect(res.body).toEqual({ allowed: true, number: phone });

    const audit = await auditOf(leadId);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_type: 'service', actor_id: 'dialer', outcome: 'success', target_type: 'lead' });
    expect(JSON.parse(String(audit[0].details))).toEqual({ callId, allowed: true });
    const everything = JSON.stringify(await h.auditRows());
    expect(everything).not.toContain(phone);
    expect(everything).not.toContain(phone.slice(1));
  });

  it('refuses every user, whatever the role (403), other services (403) and no token (401)', async () => {
    const { leadId } = await reservedLead();
    const body = { leadId, campaignId, callId: randomUUID() };
    await ask(body).expect(401);
    await ask(body, manager.accessToken).expect(403);
    // Even the agent working this very lead.
    const agentUser = await h.createUser(Role.Agent);
    await addAgents(h, manager, campaignId, [agentUser.id]);
    await h.db.sql('UPDATE leads SET assigned_agent_id = ? WHERE id = ?', [agentUser.id, leadId]);
    for (const user of [agentUser, await h.createUser(Role.Admin), await h.createUser(Role.Qa)]) {
      const res = await ask(body, (await h.signIn(user)).accessToken).expect(403);
      expect(JSON.stringify(res.body)).not.toMatch(/\+\d{6,}/);
    }
    await ask(body, tokens.issueServiceToken(ServiceName.Recording, ServiceName.CrmApi)).expect(403);
    await ask(body, tokens.issueServiceToken(ServiceName.Dialer, ServiceName.Recording)).expect(401);
    expect(await auditOf(leadId)).toHaveLength(0);
  });

  it('refuses a number on the global or the campaign’s DNC list (checked again at dial time)', async () => {
    const dnc = h.app.get(DncService);
    const global = await reservedLead();
    await dnc.add(global.phone, null, 'manual', managerId, null);
    const listed = await reservedLead();
    await dnc.add(listed.phone, campaignId, 'manual', managerId, null);
    for (const { leadId } of [global, listed]) {
      const callId = randomUUID();
      expect((await ask({ leadId, campaignId, callId }, dialer).expect(200)).body).toEqual({ allowed: false, reason: 'dnc' });
      const audit = await auditOf(leadId);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ outcome: 'denied' });
      expect(JSON.parse(String(audit[0].details))).toEqual({ callId, allowed: false, reason: 'dnc' });
    }
  });

  it('refuses a lead without consent in a campaign that requires it; gives it once consent is recorded', async () => {
    const { leadId, phone } = await reservedLead(strictCampaign);
    expect((await ask({ leadId, campaignId: strictCampaign, callId: randomUUID() }, dialer).expect(200)).body).toEqual({
      allowed: false,
      reason: 'no_consent',
    });
    await h.db.sql(`UPDATE leads SET consent_basis = 'contract' WHERE id = ?`, [leadId]);
    expect((await ask({ leadId, campaignId: strictCampaign, callId: randomUUID() }, dialer).expect(200)).body.reason).toBe('no_consent');
    await h.db.sql(`UPDATE leads SET consent_basis = 'consent' WHERE id = ?`, [leadId]);
    expect((await ask({ leadId, campaignId: strictCampaign, callId: randomUUID() }, dialer).expect(200)).body).toEqual({ allowed: true, number: phone });
  });

  it('answers not_found for a lead of another campaign, an unknown lead, or a lead no dialer holds; erased for an erased one', async () => {
    const { leadId } = await reservedLead();
    const other = await createCampaign(h, manager);
    expect((await ask({ leadId, campaignId: other, callId: randomUUID() }, dialer).expect(200)).body).toEqual({ allowed: false, reason: 'not_found' });
    expect((await ask({ leadId: randomUUID(), campaignId, callId: randomUUID() }, dialer).expect(200)).body).toEqual({
      allowed: false,
      reason: 'not_found',
    });
    const [idle] = await seedLeads(h, campaignId, [personFields()]);
    expect((await ask({ leadId: idle, campaignId, callId: randomUUID() }, dialer).expect(200)).body).toEqual({ allowed: false, reason: 'not_found' });
    await h.db.sql(`UPDATE leads SET status = 'erased' WHERE id = ?`, [leadId]);
    expect((await ask({ leadId, campaignId, callId: randomUUID() }, dialer).expect(200)).body).toEqual({ allowed: false, reason: 'erased' });
  });

  it('validates the request', async () => {
    const { leadId } = await reservedLead();
    await ask({ leadId: 'nope', campaignId, callId: randomUUID() }, dialer).expect(400);
    await ask({ leadId, campaignId, callId: '' }, dialer).expect(400);
    await ask({ leadId, campaignId, callId: randomUUID(), phone: '+447700900123' }, dialer).expect(400);
  });
});
