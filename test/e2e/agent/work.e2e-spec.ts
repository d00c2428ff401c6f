import { randomUUID } from 'node:crypto';
import { TokenService } from '@app/auth';
import { Role, ServiceName } from '@app/domain';
import { DncService } from '../../../apps/crm-api/src/compliance/dnc.service';
import { CrmApiHarness, SignedIn, TestUser } from '../../utils/crm-api-harness';
import { addAgents, assignLead, createCampaign, personFields, seedLeads } from '../../utils/crm-fixtures';

describe('work records as an agent: dispositions, notes, callbacks', () => {
  let h: CrmApiHarness;
  let manager: SignedIn;
  let alice: TestUser;
  let bob: TestUser;
  let aliceSession: SignedIn;
  let bobSession: SignedIn;
  let campaignA: string;
  let campaignB: string;
  let dialerToken: string;

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
    await addAgents(h, manager, campaignB, [bob.id]);
    dialerToken = new TokenService(h.config.auth).issueServiceToken(ServiceName.Dialer, ServiceName.CrmApi);
  });
  afterAll(async () => {
    await h.stop();
  });

  const as = (s: SignedIn) => ({
    get: (path: string) => h.http().get(path).set('Authorization', `Bearer ${s.accessToken}`),
    post: (path: string, body: object = {}) => h.http().post(path).set('Authorization', `Bearer ${s.accessToken}`).send(body),
  });
  const rows = (statement: string, params: unknown[] = []) => h.db.sql<Array<Record<string, unknown>>>(statement, params);
  const leadRow = async (id: string) =>
    (await rows('SELECT status, assigned_agent_id, next_attempt_at FROM leads WHERE id = ?', [id]))[0] as {
      status: string;
      assigned_agent_id: string | null;
      next_attempt_at: Date | null;
    };
  const inFuture = (minutes: number) => new Date(h.clock.now().getTime() + minutes * 60_000).toISOString();

  async function workedLead(agent: TestUser, campaignId = campaignA, phone?: string): Promise<string> {
    const [leadId] = await seedLeads(h, campaignId, [personFields(phone ? { phone } : {})]);
    await assignLead(h, leadId, agent.id);
    return leadId;
  }

  async function cdr(leadId: string, agentId: string, startedAt: string): Promise<string> {
    const res = await h
      .http()
      .post('/internal/call-records')
      .set('Authorization', `Bearer ${dialerToken}`)
      .send({ callId: `call-${randomUUID()}`, leadId, campaignId: campaignA, agentId, startedAt, answeredAt: startedAt, outcome: 'answered' })
      .expect(201);
    return res.body.id as string;
  }

  describe('dispositions', () => {
    it('refuses a code outside the campaign’s set (400) and changes nothing', async () => {
      const leadId = await workedLead(alice);
      const res = await as(aliceSession).post(`/leads/${leadId}/disposition`, { code: 'not_in_the_set' }).expect(400);
      expect(res.body.error).toBe('invalid_lead');
      expect(await leadRow(leadId)).toMatchObject({ status: 'in_progress', assigned_agent_id: alice.id });
      await as(aliceSession).get(`/leads/${leadId}`).expect(200);
    });

    it('a final disposition ends the agent’s access: 404 on the next read; stored on their latest call and audited', async () => {
      const leadId = await workedLead(alice);
      const older = await cdr(leadId, alice.id, '2026-01-05T10:00:00.000Z');
      const latest = await cdr(leadId, alice.id, '2026-01-05T11:00:00.000Z');
      const res = await as(aliceSession).post(`/leads/${leadId}/disposition`, { code: 'sale' }).expect(201);
      expect(res.body).toMatchObject({ leadStatus: 'done', callRecordId: latest, callbackId: null });
      expect(await leadRow(leadId)).toMatchObject({ status: 'done', assigned_agent_id: null });
      const calls = await rows('SELECT id, disposition_code FROM call_records WHERE id IN (?, ?) ORDER BY started_at', [older, latest]);
      expect(calls.map((c) => c.disposition_code)).toEqual([null, 'sale']);
      const audit = await h.auditRows("action = 'work.disposition' AND target_id = ?", [leadId]);
      expect(audit).toHaveLength(1);
      expect(audit[0].actor_id).toBe(alice.id);
      expect(JSON.stringify(audit[0].details)).toContain('sale');

      await as(aliceSession).get(`/leads/${leadId}`).expect(404);
      await as(aliceSession).post(`/leads/${leadId}/disposition`, { code: 'sale' }).expect(404);
      await as(aliceSession).get(`/leads/${leadId}/notes`).expect(404);
    });

    it('another agent of the campaign, not working the lead, gets 404', async () => {
      const leadId = await workedLead(alice);
      await as(bobSession).post(`/leads/${leadId}/disposition`, { code: 'sale' }).expect(404);
      expect((await leadRow(leadId)).status).toBe('in_progress');
    });

    it('two dispositions sent at once: one is recorded, the other changes nothing', async () => {
      const leadId = await workedLead(alice);
      // 'campaign' scope ends the agent's access, so the second answer is 409 (raced) or 404 (arrived
      // after the first committed) whatever the timing; with 'mine' a later second disposition on
      // one's own callback is legitimate, which made this test depend on the machine's load.
      const body = { code: 'interested', callback: { at: inFuture(90), scope: 'campaign' } };
      const answers = await Promise.all([
        as(aliceSession).post(`/leads/${leadId}/disposition`, body),
        as(aliceSession).post(`/leads/${leadId}/disposition`, body),
      ]);
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses[0]).toBe(201);
      expect([404, 409]).toContain(statuses[1]);
      expect(await rows("SELECT id FROM callbacks WHERE lead_id = ? AND status = 'pending'", [leadId])).toHaveLength(1);
      expect(await h.auditRows("action = 'work.disposition' AND outcome = 'success' AND target_id = ?", [leadId])).toHaveLength(1);
    });

    it('do not call: the number goes on the global list at once and the lead is set to dnc', async () => {
      const phone = personFields().phone;
      const leadId = await workedLead(alice, campaignA, phone);
      const dnc = h.app.get(DncService);
      expect(await dnc.isListed(campaignB, phone)).toBe(false);
      await as(aliceSession).post(`/leads/${leadId}/disposition`, { code: 'dnc' }).expect(201);
      expect((await leadRow(leadId)).status).toBe('dnc');
      // Global: it holds in every campaign, not only the one the customer was called from.
      expect(await dnc.isListed(campaignA, phone)).toBe(true);
      expect(await dnc.isListed(campaignB, phone)).toBe(true);
      const entries = await rows("SELECT campaign_key, source FROM dnc_entries WHERE source = 'disposition'");
      expect(entries.some((e) => e.campaign_key === '')).toBe(true);
      const audit = await h.auditRows("action IN ('dnc.add', 'work.disposition')");
      expect(JSON.stringify(audit)).not.toContain(phone.slice(1));
    });

    it('wrong number marks the lead invalid; a non-final no-contact goes back for a retry later', async () => {
      const wrong = await workedLead(alice);
      await as(aliceSession).post(`/leads/${wrong}/disposition`, { code: 'wrong_number' }).expect(201);
      expect((await leadRow(wrong)).status).toBe('invalid');

      const noAnswer = await workedLead(alice);
      const before = h.clock.now().getTime();
      await as(aliceSession).post(`/leads/${noAnswer}/disposition`, { code: 'no_answer' }).expect(201);
      const row = await leadRow(noAnswer);
      expect(row.status).toBe('retry');
      // The campaign's no-answer delay is 60 minutes.
      expect(row.next_attempt_at!.getTime()).toBeGreaterThanOrEqual(before + 59 * 60_000);
    });

    it('a callback disposition needs a future time; refused without one or on another kind', async () => {
      const leadId = await workedLead(alice);
      await as(aliceSession).post(`/leads/${leadId}/disposition`, { code: 'interested' }).expect(400);
      await as(aliceSession)
        .post(`/leads/${leadId}/disposition`, { code: 'interested', callback: { at: inFuture(-5), scope: 'mine' } })
        .expect(400);
      await as(aliceSession)
        .post(`/leads/${leadId}/disposition`, { code: 'sale', callback: { at: inFuture(60), scope: 'mine' } })
        .expect(400);
      await as(aliceSession)
        .post(`/leads/${leadId}/disposition`, { code: 'interested', callback: { at: inFuture(60), scope: 'everyone' } })
        .expect(400);
      expect((await leadRow(leadId)).status).toBe('in_progress');
    });

    it('callback "mine": the agent keeps the lead as their callback, lists it and may cancel it', async () => {
      const leadId = await workedLead(alice);
      const at = inFuture(120);
      const res = await as(aliceSession)
        .post(`/leads/${leadId}/disposition`, { code: 'interested', callback: { at, scope: 'mine' } })
        .expect(201);
      const callbackId = res.body.callbackId as string;
      const [cb] = await rows('SELECT agent_id, status, due_at FROM callbacks WHERE id = ?', [callbackId]);
      expect(cb).toMatchObject({ agent_id: alice.id, status: 'pending' });
      expect((cb.due_at as Date).toISOString()).toBe(at);
      expect(await leadRow(leadId)).toMatchObject({ status: 'callback', assigned_agent_id: null });

      // Their callback: they still read the lead; Bob does not, and cannot close it.
      await as(aliceSession).get(`/leads/${leadId}`).expect(200);
      await as(bobSession).get(`/leads/${leadId}`).expect(404);
      const mine = await as(aliceSession).get('/callbacks/mine').expect(200);
      expect(mine.body).toContainEqual({ id: callbackId, leadId, campaignId: campaignA, dueAt: at, scope: 'mine' });
      expect((await as(bobSession).get('/callbacks/mine').expect(200)).body).toEqual([]);
      await as(bobSession).post(`/callbacks/${callbackId}/cancel`).expect(404);

      await as(aliceSession).post(`/callbacks/${callbackId}/cancel`).expect(204);
      await as(aliceSession).post(`/callbacks/${callbackId}/cancel`).expect(404);
      expect((await leadRow(leadId)).status).toBe('retry');
      await as(aliceSession).get(`/leads/${leadId}`).expect(404);
    });

    it('callback "campaign": open to the campaign, owned by no agent; the setter loses the lead', async () => {
      const leadId = await workedLead(alice);
      const res = await as(aliceSession)
        .post(`/leads/${leadId}/disposition`, { code: 'interested', callback: { at: inFuture(30), scope: 'campaign' } })
        .expect(201);
      const [cb] = await rows('SELECT agent_id, status FROM callbacks WHERE id = ?', [res.body.callbackId]);
      expect(cb).toEqual({ agent_id: null, status: 'pending' });
      expect((await leadRow(leadId)).status).toBe('callback');
      await as(aliceSession).get(`/leads/${leadId}`).expect(404);
      expect((await as(aliceSession).get('/callbacks/mine').expect(200)).body.map((c: { leadId: string }) => c.leadId)).not.toContain(leadId);
    });
  });

  describe('notes', () => {
    it('are stored encrypted and read back decrypted; the read is audited and counted', async () => {
      const leadId = await workedLead(alice);
      const text = `Prefers mornings ${randomUUID()}`;
      const created = await as(aliceSession).post(`/leads/${leadId}/notes`, { body: text }).expect(201);
      const [stored] = await rows('SELECT body_enc FROM lead_notes WHERE id = ?', [created.body.id]);
      const raw = stored.body_enc as Buffer;
      expect(raw.toString('utf8')).not.toContain(text);
      expect(raw.toString('latin1')).not.toContain('Prefers mornings');

      const activityBefore = await rows("SELECT COUNT(*) AS n FROM user_activity WHERE user_id = ? AND kind = 'lead_read'", [alice.id]);
      const res = await as(aliceSession).get(`/leads/${leadId}/notes`).expect(200);
      expect(res.body).toHaveLength(1);
      expect(res.body[0]).toMatchObject({ id: created.body.id, authorId: alice.id, body: text });
      const activityAfter = await rows("SELECT COUNT(*) AS n FROM user_activity WHERE user_id = ? AND kind = 'lead_read'", [alice.id]);
      expect(Number(activityAfter[0].n)).toBe(Number(activityBefore[0].n) + 1);
      const audit = await h.auditRows("action IN ('work.note_add', 'work.notes_read') AND target_id = ?", [leadId]);
      expect(audit.map((a) => a.action)).toEqual(['work.note_add', 'work.notes_read']);
      expect(JSON.stringify(audit)).not.toContain('Prefers mornings');

      // The manager of the campaign reads them too.
      const managed = await as(manager).get(`/leads/${leadId}/notes`).expect(200);
      expect(managed.body[0].body).toBe(text);
    });

    it('a note moved to another row does not open', async () => {
      const leadId = await workedLead(alice);
      const a = await as(aliceSession).post(`/leads/${leadId}/notes`, { body: 'first' }).expect(201);
      const b = await as(aliceSession).post(`/leads/${leadId}/notes`, { body: 'second' }).expect(201);
      await h.db.sql('UPDATE lead_notes SET body_enc = (SELECT body_enc FROM (SELECT body_enc FROM lead_notes WHERE id = ?) x) WHERE id = ?', [
        a.body.id,
        b.body.id,
      ]);
      const res = await as(aliceSession).get(`/leads/${leadId}/notes`).expect(503);
      expect(JSON.stringify(res.body)).not.toContain('first');
    });

    it('a note given with a disposition is kept, encrypted, with the lead', async () => {
      const leadId = await workedLead(alice);
      await as(aliceSession).post(`/leads/${leadId}/disposition`, { code: 'not_interested', note: 'has a provider' }).expect(201);
      const res = await as(manager).get(`/leads/${leadId}/notes`).expect(200);
      expect(res.body.map((n: { body: string }) => n.body)).toEqual(['has a provider']);
    });

    it('an agent gets 404 for another campaign’s lead’s notes, and for a lead they are not working', async () => {
      const other = await workedLead(bob, campaignB);
      await as(bobSession).post(`/leads/${other}/notes`, { body: 'from bob' }).expect(201);
      await as(aliceSession).get(`/leads/${other}/notes`).expect(404);
      await as(aliceSession).post(`/leads/${other}/notes`, { body: 'x' }).expect(404);
      // Even made the lead's agent, Alice is not in that campaign.
      await assignLead(h, other, alice.id);
      await as(aliceSession).get(`/leads/${other}/notes`).expect(404);

      const notWorking = (await seedLeads(h, campaignA, [personFields()]))[0];
      await as(aliceSession).get(`/leads/${notWorking}/notes`).expect(404);
      await as(aliceSession).post(`/leads/${notWorking}/notes`, { body: 'x' }).expect(404);
    });

    it('refuses an empty or over-long note', async () => {
      const leadId = await workedLead(alice);
      await as(aliceSession).post(`/leads/${leadId}/notes`, { body: '' }).expect(400);
      await as(aliceSession).post(`/leads/${leadId}/notes`, { body: 'x'.repeat(4001) }).expect(400);
      await as(aliceSession).post(`/leads/${leadId}/notes`, { body: 'x'.repeat(4000) }).expect(201);
    });
  });
});
