import { randomInt } from 'node:crypto';
import { KmsException } from '@app/crypto';
import { Role } from '@app/domain';
import { DncService } from '../../../apps/crm-api/src/compliance/dnc.service';
import { KeyRotationService } from '../../../apps/crm-api/src/keys/key-rotation.service';
import { LeadCipher } from '../../../apps/crm-api/src/leads/lead-cipher.service';
import { CrmApiHarness, SignedIn, TestUser } from '../../utils/crm-api-harness';
import { addAgents, assignLead, createCampaign, personFields, seedLeads, uniquePhone } from '../../utils/crm-fixtures';

interface SubjectRow {
  id: string;
  key_version: number;
  wrapped_key: Buffer;
}

describe('rotating the leads key (admin)', () => {
  let h: CrmApiHarness;
  let admin: TestUser;
  let adminSession: SignedIn;
  let agent: TestUser;
  let agentSession: SignedIn;
  let campaignId: string;
  const as = (s: SignedIn) => `Bearer ${s.accessToken}`;

  beforeAll(async () => {
    h = await CrmApiHarness.start();
    admin = await h.createUser(Role.Admin);
    adminSession = await h.signIn(admin);
    const manager = await h.signIn(await h.createUser(Role.Manager));
    agent = await h.createUser(Role.Agent);
    agentSession = await h.signIn(agent);
    campaignId = await createCampaign(h, manager);
    await addAgents(h, manager, campaignId, [agent.id]);
  });
  afterAll(async () => {
    await h.stop();
  });

  const subjectOf = async (leadId: string): Promise<SubjectRow> => {
    const rows = await h.db.sql<SubjectRow[]>(
      'SELECT s.id, s.key_version, s.wrapped_key FROM data_subjects s JOIN leads l ON l.subject_id = s.id WHERE l.id = ?',
      [leadId],
    );
    return rows[0];
  };
  /** The agent's card for the lead: the whole read path (unwrap, decrypt, audit). */
  const readAsAgent = async (leadId: string, firstName: string) => {
    await assignLead(h, leadId, agent.id);
    const res = await h.http().get(`/leads/${leadId}`).set('Authorization', as(agentSession));
    expect(res.status).toBe(200);
    expect(res.body.firstName).toBe(firstName);
  };
  /** Stands in for time passing beyond the KMS's active-version cache (other instances catch up). */
  const ageVersion = (keyId: string, version: number) =>
    h.db.sql('UPDATE kms_key_versions SET created_at = created_at - INTERVAL 1 MINUTE WHERE key_id = ? AND version = ?', [keyId, version]);

  it('refuses non-admins, and admins without a fresh re-authentication', async () => {
    const manager = await h.signIn(await h.createUser(Role.Manager));
    for (const path of ['/admin/keys/leads/versions', '/admin/keys/leads/rewrap', '/admin/keys/leads/versions/1/retire']) {
      const res = await h.http().post(path).set('Authorization', as(manager)).send({});
      expect(res.status).toBe(403);
      expect(res.body.error).toBe('forbidden');
    }
    await h.http().get('/admin/keys/leads').set('Authorization', as(manager)).expect(403);

    const stale = await h.signIn(admin);
    await h.db.sql('UPDATE sessions SET reauth_at = UTC_TIMESTAMP(3) - INTERVAL 10 MINUTE WHERE id = ?', [stale.sessionId]);
    for (const path of ['/admin/keys/leads/versions', '/admin/keys/leads/rewrap', '/admin/keys/leads/versions/1/retire']) {
      const res = await h.http().post(path).set('Authorization', as(stale)).send({});
      expect(res.status).toBe(403);
      expect(res.body.error).toBe('reauth_required');
    }
    const versions = await h.db.sql<unknown[]>("SELECT * FROM kms_key_versions WHERE key_id = 'leads' AND version > 1");
    expect(versions).toHaveLength(0);
  });

  it('new writes use the new version at once; a rewrap moves the rest while reads go on; the old version retires', async () => {
    // Distinct numbers (uniquePhone repeats after ten calls within one millisecond).
    const people = Array.from({ length: 12 }, (_, i) =>
      personFields({ firstName: `Old${i}`, phone: `+4477${String(10_000_000 + randomInt(89_999_999)).slice(-8, -2)}${String(i).padStart(2, '0')}` }),
    );
    const oldLeads = await seedLeads(h, campaignId, people);
    for (const leadId of oldLeads) expect((await subjectOf(leadId)).key_version).toBe(1);
    const before = await subjectOf(oldLeads[0]);

    await h.reauth(admin, adminSession);
    const created = await h.http().post('/admin/keys/leads/versions').set('Authorization', as(adminSession)).expect(201);
    expect(created.body).toMatchObject({ version: 2, state: 'active' });
    expect(await h.auditRows("action = 'keys.leads.create_version' AND actor_id = ?", [admin.id])).toHaveLength(1);

    const newLeads = await seedLeads(h, campaignId, [personFields({ firstName: 'New0' }), personFields({ firstName: 'New1' })]);
    for (const leadId of newLeads) expect((await subjectOf(leadId)).key_version).toBe(2);
    await readAsAgent(oldLeads[0], 'Old0');
    await readAsAgent(newLeads[0], 'New0');
    await ageVersion('leads', 2);

    // Still in use: the retirement is refused with the count, and audited as a failure.
    const early = await h.http().post('/admin/keys/leads/versions/1/retire').set('Authorization', as(adminSession)).expect(409);
    expect(early.body.message).toContain('12 records');
    const refusedAudit = await h.auditRows("action = 'keys.leads.retire' AND outcome = 'failure'");
    expect(refusedAudit).toHaveLength(1);
    expect(JSON.parse(String(refusedAudit[0].details))).toMatchObject({ version: 1, inUse: 12 });
    // The active version never retires.
    await h.http().post('/admin/keys/leads/versions/2/retire').set('Authorization', as(adminSession)).expect(409);

    // Batches interleaved with reads: each read sees either the old or the new wrapping, never a gap.
    const rotation = h.app.get(KeyRotationService);
    let cursor: string | null = '';
    for (let batch = 0; batch < 2 && cursor !== null; batch++) {
      const result = await rotation.rewrapBatch('leads', 2, cursor, 3);
      expect(result.rewrapped).toBe(3);
      cursor = result.nextAfterId;
      for (let i = 0; i < oldLeads.length; i += 4) await readAsAgent(oldLeads[i], `Old${i}`);
    }

    // The rest through the API, in the background, in batches of 4; reads go on meanwhile.
    const started = await h
      .http()
      .post('/admin/keys/leads/rewrap')
      .set('Authorization', as(adminSession))
      .send({ batchSize: 4 })
      .expect(202);
    expect(started.body).toMatchObject({ targetVersion: 2, batchSize: 4 });
    await Promise.all(oldLeads.slice(0, 6).map((leadId, i) => readAsAgent(leadId, `Old${i}`)));
    const job = await rotation.settled('leads');
    expect(job).toMatchObject({ state: 'done', rewrapped: 6, failed: 0 });

    const status = await h.http().get('/admin/keys/leads').set('Authorization', as(adminSession)).expect(200);
    expect(status.body.activeVersion).toBe(2);
    expect(status.body.versions).toEqual([
      expect.objectContaining({ version: 1, state: 'enabled', inUse: 0 }),
      expect.objectContaining({ version: 2, state: 'active', inUse: 14 }),
    ]);
    expect(status.body.rewrap).toMatchObject({ state: 'done', rewrapped: 6 });
    // Audited when started (in the admin's request) and when finished, with counts only.
    const rewrapAudit = await h.auditRows("action = 'keys.leads.rewrap'");
    expect(rewrapAudit).toHaveLength(2);
    for (const row of rewrapAudit) expect(row).toMatchObject({ outcome: 'success', actor_id: admin.id });
    expect(JSON.parse(String(rewrapAudit[0].details))).toEqual({ state: 'started', targetVersion: 2, batchSize: 4 });
    expect(JSON.parse(String(rewrapAudit[1].details))).toMatchObject({ state: 'done', rewrapped: 6, failed: 0, targetVersion: 2 });

    for (const leadId of oldLeads) expect((await subjectOf(leadId)).key_version).toBe(2);
    for (let i = 0; i < oldLeads.length; i += 3) await readAsAgent(oldLeads[i], `Old${i}`);

    await h.http().post('/admin/keys/leads/versions/1/retire').set('Authorization', as(adminSession)).expect(204);
    const retiredAudit = await h.auditRows("action = 'keys.leads.retire' AND outcome = 'success'");
    expect(JSON.parse(String(retiredAudit[0].details))).toMatchObject({ version: 1, inUse: 0 });
    await readAsAgent(oldLeads[0], 'Old0');

    // A copy of the old wrapping, put back behind the app's back, no longer opens: the KMS refuses version 1.
    await expect(
      h.app.get(LeadCipher).unwrapSubjectKey(before.id, { keyId: 'leads', version: 1, ciphertext: before.wrapped_key }),
    ).rejects.toBeInstanceOf(KmsException);
    await h.db.sql('UPDATE data_subjects SET key_version = 1, wrapped_key = ? WHERE id = ?', [before.wrapped_key, before.id]);
    await assignLead(h, oldLeads[0], agent.id);
    const refused = await h.http().get(`/leads/${oldLeads[0]}`).set('Authorization', as(agentSession));
    expect(refused.status).toBeGreaterThanOrEqual(500);
    expect(JSON.stringify(refused.body)).not.toContain('Old0');
    expect(JSON.stringify(refused.body)).not.toContain(people[0].phone);
  });

  it('rotates the DNC key the same way; numbers still match', async () => {
    const phone = uniquePhone();
    const dnc = h.app.get(DncService);
    await dnc.add(phone, null, 'manual', admin.id);
    const before = await h.db.sql<Array<{ phone_key_version: number }>>('SELECT phone_key_version FROM dnc_entries');
    expect(before.map((r) => r.phone_key_version)).toEqual([1]);

    await h.reauth(admin, adminSession);
    await h.http().post('/admin/keys/dnc/versions').set('Authorization', as(adminSession)).expect(201);
    await h.http().post('/admin/keys/dnc/rewrap').set('Authorization', as(adminSession)).send({}).expect(202);
    expect(await h.app.get(KeyRotationService).settled('dnc')).toMatchObject({ state: 'done', rewrapped: 1 });
    const after = await h.db.sql<Array<{ phone_key_version: number }>>('SELECT phone_key_version FROM dnc_entries');
    expect(after.map((r) => r.phone_key_version)).toEqual([2]);
    expect(await dnc.isListed(campaignId, phone)).toBe(true);

    await ageVersion('dnc', 2);
    await h.http().post('/admin/keys/dnc/versions/1/retire').set('Authorization', as(adminSession)).expect(204);
    const status = await h.http().get('/admin/keys/dnc').set('Authorization', as(adminSession)).expect(200);
    expect(status.body.versions).toEqual([
      expect.objectContaining({ version: 1, state: 'retired', inUse: 0 }),
      expect.objectContaining({ version: 2, state: 'active', inUse: 1 }),
    ]);
  });
});
