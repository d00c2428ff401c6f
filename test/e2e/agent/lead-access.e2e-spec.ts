import { Role } from '@app/domain';
import { CrmApiHarness, SignedIn, TestUser } from '../../utils/crm-api-harness';
import { addAgents, assignLead, createCampaign, personFields, seedLeads } from '../../utils/crm-fixtures';

describe('leads as an agent sees them', () => {
  let h: CrmApiHarness;
  let manager: SignedIn;
  let alice: TestUser;
  let bob: TestUser;
  let aliceSession: SignedIn;
  let bobSession: SignedIn;
  let campaignA: string;
  let campaignB: string;

  beforeAll(async () => {
    h = await CrmApiHarness.start();
    manager = await h.signIn(await h.createUser(Role.Manager));
    alice = await h.createUser(Role.Agent);
    bob = await h.createUser(Role.Agent);
    aliceSession = await h.signIn(alice);
    bobSession = await h.signIn(bob);
    campaignA = await createCampaign(h, manager);
    campaignB = await createCampaign(h, manager);
    await addAgents(h, manager, campaignA, [alice.id, bob.id]);
  });
  afterAll(async () => {
    await h.stop();
  });

  const get = (s: SignedIn, path: string) => h.http().get(path).set('Authorization', `Bearer ${s.accessToken}`);

  it('sees only the campaigns assigned to them', async () => {
    const res = await get(aliceSession, '/campaigns').expect(200);
    expect(res.body.map((c: { id: string }) => c.id)).toEqual([campaignA]);
    await get(aliceSession, `/campaigns/${campaignB}`).expect(404);
    await get(aliceSession, `/campaigns/${campaignA}`).expect(200);
  });

  it('reads a lead only while working it; the number is masked; the read is audited', async () => {
    const person = personFields();
    const [leadId] = await seedLeads(h, campaignA, [person]);
    await get(aliceSession, `/leads/${leadId}`).expect(404);
    await assignLead(h, leadId, alice.id);
    const res = await get(aliceSession, `/leads/${leadId}`).expect(200);
    expect(res.body.firstName).toBe('Ada');
    expect(res.body.phoneMasked).toBe(`+44 *** *** ${person.phone.slice(-4)}`);
    expect(JSON.stringify(res.body)).not.toContain(person.phone);
    expect(JSON.stringify(res.body)).not.toContain(person.nationalId);
    const audit = await h.auditRows("action = 'lead.read' AND target_id = ?", [leadId]);
    expect(audit).toHaveLength(1);
    expect(audit[0].actor_id).toBe(alice.id);
    expect(JSON.stringify(audit)).not.toContain(person.phone.slice(1));
    // Another agent of the same campaign, not working it: not found.
    await get(bobSession, `/leads/${leadId}`).expect(404);
  });

  it('gets 404 for another campaign’s lead, the same as for a lead that does not exist', async () => {
    const [other] = await seedLeads(h, campaignB, [personFields()]);
    await get(bobSession, `/leads/${other}`).expect(404);
    // Even set as the lead's agent, an agent not assigned to that campaign does not reach it.
    await assignLead(h, other, alice.id);
    const res = await get(aliceSession, `/leads/${other}`).expect(404);
    const missing = await get(bobSession, '/leads/00000000-0000-4000-8000-000000000000').expect(404);
    expect(res.body.error).toBe(missing.body.error);
  });

  it('reveals the full number only after re-authentication, and audits it', async () => {
    const person = personFields();
    const [leadId] = await seedLeads(h, campaignA, [person]);
    await assignLead(h, leadId, bob.id);
    const fresh = await h.signIn(bob);
    await h.db.sql('UPDATE sessions SET reauth_at = UTC_TIMESTAMP(3) - INTERVAL 10 MINUTE WHERE id = ?', [fresh.sessionId]);
    const refused = await h.http().post(`/leads/${leadId}/reveal-phone`).set('Authorization', `Bearer ${fresh.accessToken}`).expect(403);
    expect(refused.body.error).toBe('reauth_required');
    await h.reauth(bob, fresh);
    const res = await h.http().post(`/leads/${leadId}/reveal-phone`).set('Authorization', `Bearer ${fresh.accessToken}`).expect(200);
    expect(res.body.phone).toBe(person.phone);
    expect(await h.auditRows("action = 'lead.reveal_phone' AND target_id = ? AND actor_id = ?", [leadId, bob.id])).toHaveLength(1);
  });

  it('QA reads campaigns but cannot read leads or create campaigns', async () => {
    const qa = await h.signIn(await h.createUser(Role.Qa));
    const [leadId] = await seedLeads(h, campaignA, [personFields()]);
    await get(qa, '/campaigns').expect(200);
    await get(qa, `/leads/${leadId}`).expect(403);
    await h.http().post('/campaigns').set('Authorization', `Bearer ${qa.accessToken}`).send({}).expect(403);
  });
});
