import { randomUUID } from 'node:crypto';
import { TokenService } from '@app/auth';
import { Role, ServiceName } from '@app/domain';
import { CrmApiHarness, SignedIn, TestUser } from '../../utils/crm-api-harness';
import { addAgents, createCampaign, personFields, seedLeads } from '../../utils/crm-fixtures';

describe('call records as agents and managers see them', () => {
  let h: CrmApiHarness;
  let managerA: SignedIn;
  let managerB: SignedIn;
  let alice: TestUser;
  let bob: TestUser;
  let aliceSession: SignedIn;
  let bobSession: SignedIn;
  let campaignA: string;
  let campaignB: string;
  let aliceCall: string;
  let bobCall: string;
  let otherCampaignCall: string;

  beforeAll(async () => {
    h = await CrmApiHarness.start();
    managerA = await h.signIn(await h.createUser(Role.Manager));
    managerB = await h.signIn(await h.createUser(Role.Manager));
    alice = await h.createUser(Role.Agent);
    bob = await h.createUser(Role.Agent);
    aliceSession = await h.signIn(alice);
    bobSession = await h.signIn(bob);
    campaignA = await createCampaign(h, managerA);
    campaignB = await createCampaign(h, managerB);
    await addAgents(h, managerA, campaignA, [alice.id, bob.id]);
    await addAgents(h, managerB, campaignB, [bob.id]);
    const [leadA1, leadA2] = await seedLeads(h, campaignA, [personFields(), personFields()]);
    const [leadB] = await seedLeads(h, campaignB, [personFields()]);
    const dialer = new TokenService(h.config.auth).issueServiceToken(ServiceName.Dialer, ServiceName.CrmApi);
    const cdr = async (campaignId: string, leadId: string, agentId: string, startedAt: string, outcome = 'answered') => {
      const res = await h
        .http()
        .post('/internal/call-records')
        .set('Authorization', `Bearer ${dialer}`)
        .send({ callId: randomUUID(), campaignId, leadId, agentId, startedAt, outcome, sipStatus: 200 })
        .expect(201);
      return res.body.id as string;
    };
    aliceCall = await cdr(campaignA, leadA1, alice.id, '2026-03-02T09:00:00.000Z');
    bobCall = await cdr(campaignA, leadA2, bob.id, '2026-03-02T10:00:00.000Z');
    otherCampaignCall = await cdr(campaignB, leadB, bob.id, '2026-03-03T10:00:00.000Z', 'busy');
  });
  afterAll(async () => {
    await h.stop();
  });

  const get = (s: SignedIn, path: string) => h.http().get(path).set('Authorization', `Bearer ${s.accessToken}`);
  const ids = (body: Array<{ id: string }>) => body.map((r) => r.id).sort();

  it('agent A gets 404 for agent B’s call record, the same as for one that does not exist', async () => {
    const own = await get(aliceSession, `/call-records/${aliceCall}`).expect(200);
    expect(own.body).toMatchObject({ id: aliceCall, agentId: alice.id, campaignId: campaignA, outcome: 'answered', sipStatus: 200 });
    const theirs = await get(aliceSession, `/call-records/${bobCall}`).expect(404);
    const missing = await get(aliceSession, `/call-records/${randomUUID()}`).expect(404);
    expect(theirs.body.error).toBe(missing.body.error);
    expect(await h.auditRows("action = 'call_record.read' AND target_id = ?", [aliceCall])).toHaveLength(1);
  });

  it('lists only the agent’s own records, whatever filter they pass', async () => {
    expect(ids((await get(aliceSession, '/call-records').expect(200)).body)).toEqual([aliceCall]);
    // The agent filter is forced to themselves: asking for Bob's gives Alice's own, never Bob's.
    expect(ids((await get(aliceSession, `/call-records?agentId=${bob.id}`).expect(200)).body)).toEqual([aliceCall]);
    expect((await get(aliceSession, `/call-records?campaignId=${campaignB}`).expect(200)).body).toEqual([]);
    expect(ids((await get(bobSession, '/call-records').expect(200)).body)).toEqual([bobCall, otherCampaignCall].sort());
    expect(ids((await get(bobSession, '/call-records?outcome=busy').expect(200)).body)).toEqual([otherCampaignCall]);
    expect(ids((await get(bobSession, '/call-records?from=2026-03-03T00:00:00.000Z').expect(200)).body)).toEqual([otherCampaignCall]);
  });

  it('managers see the records of their campaigns only', async () => {
    expect(ids((await get(managerA, '/call-records').expect(200)).body)).toEqual([aliceCall, bobCall].sort());
    expect(ids((await get(managerA, `/call-records?agentId=${bob.id}`).expect(200)).body)).toEqual([bobCall]);
    expect(ids((await get(managerB, '/call-records').expect(200)).body)).toEqual([otherCampaignCall]);
    await get(managerB, `/call-records/${aliceCall}`).expect(404);
    await get(managerA, `/call-records/${otherCampaignCall}`).expect(404);
    await get(managerA, `/call-records/${bobCall}`).expect(200);
  });

  it('refuses bad filters and agents writing call records', async () => {
    await get(aliceSession, '/call-records?limit=0').expect(400);
    await get(aliceSession, '/call-records?from=yesterday').expect(400);
    await h
      .http()
      .post('/internal/call-records')
      .set('Authorization', `Bearer ${aliceSession.accessToken}`)
      .send({ callId: 'x', campaignId: campaignA, startedAt: '2026-03-02T09:00:00.000Z', outcome: 'answered' })
      .expect(403);
  });
});
