import { randomUUID } from 'node:crypto';
import { TokenService } from '@app/auth';
import { Role, ServiceName } from '@app/domain';
import { CrmApiHarness, SignedIn } from '../../utils/crm-api-harness';
import { addAgents, assignLead, createCampaign, personFields, seedLeads } from '../../utils/crm-fixtures';

describe('QA: reads every call record, changes no lead', () => {
  let h: CrmApiHarness;
  let qa: SignedIn;
  let leadId: string;
  let callA: string;
  let callB: string;

  beforeAll(async () => {
    h = await CrmApiHarness.start();
    const manager = await h.signIn(await h.createUser(Role.Manager));
    const otherManager = await h.signIn(await h.createUser(Role.Manager));
    const agent = await h.createUser(Role.Agent);
    qa = await h.signIn(await h.createUser(Role.Qa));
    const campaignA = await createCampaign(h, manager);
    const campaignB = await createCampaign(h, otherManager);
    await addAgents(h, manager, campaignA, [agent.id]);
    [leadId] = await seedLeads(h, campaignA, [personFields()]);
    await assignLead(h, leadId, agent.id);
    const dialer = new TokenService(h.config.auth).issueServiceToken(ServiceName.Dialer, ServiceName.CrmApi);
    const cdr = async (campaignId: string, body: object) =>
      (
        await h
          .http()
          .post('/internal/call-records')
          .set('Authorization', `Bearer ${dialer}`)
          .send({ callId: randomUUID(), campaignId, startedAt: '2026-04-01T08:00:00.000Z', outcome: 'no_answer', ...body })
          .expect(201)
      ).body.id as string;
    callA = await cdr(campaignA, { leadId, agentId: agent.id });
    callB = await cdr(campaignB, {});
  });
  afterAll(async () => {
    await h.stop();
  });

  const as = (path: string) => ({
    get: () => h.http().get(path).set('Authorization', `Bearer ${qa.accessToken}`),
    post: (body: object) => h.http().post(path).set('Authorization', `Bearer ${qa.accessToken}`).send(body),
  });

  it('reads all call records, across campaigns, and each one', async () => {
    const list = await as('/call-records').get().expect(200);
    expect(list.body.map((r: { id: string }) => r.id).sort()).toEqual([callA, callB].sort());
    await as(`/call-records/${callA}`).get().expect(200);
    await as(`/call-records/${callB}`).get().expect(200);
  });

  it('cannot write: 403 on dispositions, notes and callbacks; the lead is unchanged', async () => {
    await as(`/leads/${leadId}/disposition`).post({ code: 'sale' }).expect(403);
    await as(`/leads/${leadId}/notes`).post({ body: 'qa was here' }).expect(403);
    await as(`/callbacks/${randomUUID()}/cancel`).post({}).expect(403);
    await as('/callbacks/mine').get().expect(403);
    await as('/internal/call-records').post({ callId: 'x', campaignId: randomUUID(), startedAt: '2026-04-01T08:00:00.000Z', outcome: 'answered' }).expect(403);
    const [lead] = await h.db.sql<Array<{ status: string }>>('SELECT status FROM leads WHERE id = ?', [leadId]);
    expect(lead.status).toBe('in_progress');
    expect(await h.db.sql<unknown[]>('SELECT id FROM lead_notes WHERE lead_id = ?', [leadId])).toHaveLength(0);
    const denied = await h.auditRows("action = 'access.denied'");
    expect(denied.length).toBeGreaterThanOrEqual(5);
  });

  it('cannot read leads or their notes', async () => {
    await as(`/leads/${leadId}/notes`).get().expect(403);
  });
});
