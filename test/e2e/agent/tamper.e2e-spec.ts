import { Role } from '@app/domain';
import { CrmApiHarness, SignedIn, TestUser } from '../../utils/crm-api-harness';
import { addAgents, assignLead, createCampaign, personFields, seedLeads } from '../../utils/crm-fixtures';

/** An attacker with write access to the database edits ciphertexts; the app must refuse, never show garbage. */
describe('tampered lead ciphertexts fail loudly', () => {
  let h: CrmApiHarness;
  let agent: TestUser;
  let agentSession: SignedIn;
  let campaignA: string;
  let campaignB: string;

  beforeAll(async () => {
    h = await CrmApiHarness.start();
    const manager = await h.signIn(await h.createUser(Role.Manager));
    agent = await h.createUser(Role.Agent);
    agentSession = await h.signIn(agent);
    campaignA = await createCampaign(h, manager);
    campaignB = await createCampaign(h, manager);
    await addAgents(h, manager, campaignA, [agent.id]);
    await addAgents(h, manager, campaignB, [agent.id]);
  });
  afterAll(async () => {
    await h.stop();
  });

  const read = async (leadId: string) => {
    await assignLead(h, leadId, agent.id);
    return h.http().get(`/leads/${leadId}`).set('Authorization', `Bearer ${agentSession.accessToken}`);
  };

  const expectIntegrityFailure = async (leadId: string, secrets: string[]) => {
    const res = await read(leadId);
    expect(res.status).toBe(503);
    expect(res.body.error).toBe('integrity_failure');
    expect(res.body.firstName).toBeUndefined();
    for (const secret of secrets) expect(JSON.stringify(res.body)).not.toContain(secret);
    const audit = await h.auditRows("action = 'lead.integrity_failure' AND target_id = ?", [leadId]);
    expect(audit.length).toBeGreaterThanOrEqual(1);
    expect(audit[0].outcome).toBe('failure');
    for (const secret of secrets) expect(JSON.stringify(audit)).not.toContain(secret);
    // Nothing was read, so nothing is audited as a read.
    expect(await h.auditRows("action = 'lead.read' AND target_id = ?", [leadId])).toHaveLength(0);
  };

  it('reads an untouched lead (the control case)', async () => {
    const [leadId] = await seedLeads(h, campaignA, [personFields({ firstName: 'Grace' })]);
    const res = await read(leadId);
    expect(res.status).toBe(200);
    expect(res.body.firstName).toBe('Grace');
  });

  it('one flipped byte in a field', async () => {
    const person = personFields({ firstName: 'Flipped' });
    const [leadId] = await seedLeads(h, campaignA, [person]);
    const [row] = await h.db.sql<Array<{ first_name_enc: Buffer }>>('SELECT first_name_enc FROM leads WHERE id = ?', [leadId]);
    const tampered = Buffer.from(row.first_name_enc);
    tampered[tampered.length >> 1] ^= 0x01;
    await h.db.sql('UPDATE leads SET first_name_enc = ? WHERE id = ?', [tampered, leadId]);
    await expectIntegrityFailure(leadId, ['Flipped', person.phone]);
  });

  it('the phone ciphertexts of two leads of the same person swapped (same data key)', async () => {
    const person = personFields({ firstName: 'Twice' });
    const [inA] = await seedLeads(h, campaignA, [person]);
    const [inB] = await seedLeads(h, campaignB, [person]);
    const subjects = await h.db.sql<Array<{ subject_id: string }>>('SELECT DISTINCT subject_id FROM leads WHERE id IN (?, ?)', [inA, inB]);
    expect(subjects).toHaveLength(1);
    const load = async (id: string) =>
      (await h.db.sql<Array<{ phone_enc: Buffer }>>('SELECT phone_enc FROM leads WHERE id = ?', [id]))[0].phone_enc;
    const [encA, encB] = [await load(inA), await load(inB)];
    expect(encA.equals(encB)).toBe(false);
    await h.db.sql('UPDATE leads SET phone_enc = ? WHERE id = ?', [encB, inA]);
    await h.db.sql('UPDATE leads SET phone_enc = ? WHERE id = ?', [encA, inB]);
    await expectIntegrityFailure(inA, ['Twice', person.phone]);
    await expectIntegrityFailure(inB, ['Twice', person.phone]);
  });

  it('a ciphertext moved from another person’s lead', async () => {
    const victim = personFields({ firstName: 'Victim' });
    const other = personFields({ firstName: 'Other' });
    const [victimLead, otherLead] = await seedLeads(h, campaignA, [victim, other]);
    await h.db.sql(
      'UPDATE leads t JOIN leads s ON t.id = ? AND s.id = ? SET t.first_name_enc = s.first_name_enc',
      [victimLead, otherLead],
    );
    await expectIntegrityFailure(victimLead, ['Victim', 'Other', victim.phone]);
    // The lead the ciphertext came from still reads.
    const res = await read(otherLead);
    expect(res.status).toBe(200);
    expect(res.body.firstName).toBe('Other');
  });
});
