import { Role } from '@app/domain';
import { CrmApiHarness, SignedIn, TestUser } from '../../utils/crm-api-harness';
import { addAgents, assignLead, createCampaign, personFields, seedLeads } from '../../utils/crm-fixtures';

const THRESHOLD = 5;

describe('a scripted burst of reads freezes the account', () => {
  let h: CrmApiHarness;
  let admin: TestUser;
  let adminSession: SignedIn;
  let manager: SignedIn;
  let agent: TestUser;
  let campaignId: string;
  const as = (s: SignedIn) => `Bearer ${s.accessToken}`;

  beforeAll(async () => {
    h = await CrmApiHarness.start({
      anomaly: { rules: [{ kind: 'lead_read', threshold: THRESHOLD, windowSeconds: 300 }], webhookUrl: '' },
    });
    admin = await h.createUser(Role.Admin);
    adminSession = await h.signIn(admin);
    manager = await h.signIn(await h.createUser(Role.Manager));
    agent = await h.createUser(Role.Agent);
    campaignId = await createCampaign(h, manager);
    await addAgents(h, manager, campaignId, [agent.id]);
  });
  afterAll(async () => {
    await h.stop();
  });

  it('refuses the read past the threshold, freezes the account, ends every session, and only an admin unfreezes it', async () => {
    const person = personFields({ firstName: 'Burst' });
    const [leadId] = await seedLeads(h, campaignId, [person]);
    await assignLead(h, leadId, agent.id);
    const working = await h.signIn(agent);
    const otherDevice = await h.signIn(agent, '198.51.100.77');

    for (let i = 0; i < THRESHOLD; i++) {
      await h.http().get(`/leads/${leadId}`).set('Authorization', as(working)).expect(200);
    }
    // Nothing is frozen until the line is crossed.
    const [beforeBreach] = await h.db.sql<Array<{ frozen_at: Date | null }>>('SELECT frozen_at FROM users WHERE id = ?', [agent.id]);
    expect(beforeBreach.frozen_at).toBeNull();

    const breach = await h.http().get(`/leads/${leadId}`).set('Authorization', as(working)).expect(403);
    expect(breach.body.error).toBe('account_frozen');
    expect(breach.body.firstName).toBeUndefined();
    expect(JSON.stringify(breach.body)).not.toContain('Burst');

    // Already done when that request answered: the freeze is in the same request, not eventually.
    const [user] = await h.db.sql<Array<{ frozen_at: Date | null; frozen_reason: string }>>(
      'SELECT frozen_at, frozen_reason FROM users WHERE id = ?',
      [agent.id],
    );
    expect(user.frozen_at).not.toBeNull();
    expect(user.frozen_reason).toBe('anomaly:lead_read');
    const sessions = await h.db.sql<Array<{ revoked_at: Date | null; revoked_reason: string | null }>>(
      'SELECT revoked_at, revoked_reason FROM sessions WHERE user_id = ?',
      [agent.id],
    );
    expect(sessions).toHaveLength(2);
    for (const s of sessions) {
      expect(s.revoked_at).not.toBeNull();
      expect(s.revoked_reason).toBe('account_frozen');
    }
    // Both sessions are dead, the one that read and the other device.
    for (const session of [working, otherDevice]) {
      const res = await h.http().get(`/leads/${leadId}`).set('Authorization', as(session));
      expect([401, 403]).toContain(res.status);
    }
    // Exactly the reads that were allowed are audited as reads; the freeze by the system, with counts only.
    expect(await h.auditRows("action = 'lead.read' AND actor_id = ?", [agent.id])).toHaveLength(THRESHOLD);
    const freeze = await h.auditRows("action = 'security.freeze' AND target_id = ?", [agent.id]);
    expect(freeze).toHaveLength(1);
    expect(freeze[0].actor_type).toBe('system');
    expect(JSON.parse(String(freeze[0].details))).toEqual({ rule: 'lead_read', observed: THRESHOLD + 1, threshold: THRESHOLD, windowSeconds: 300 });
    expect(JSON.stringify(freeze)).not.toContain(person.phone.slice(1));

    // The admin sees the alert; a manager does not.
    const alerts = await h.http().get('/admin/security/alerts').set('Authorization', as(adminSession)).expect(200);
    const alert = alerts.body.find((a: { userId: string }) => a.userId === agent.id);
    expect(alert).toMatchObject({ kind: 'lead_read', observed: THRESHOLD + 1, threshold: THRESHOLD, resolvedAt: null });
    await h.http().get('/admin/security/alerts').set('Authorization', as(manager)).expect(403);

    // The right password does not sign a frozen account in (a wrong one gets the usual answer).
    const login = await h.http().post('/auth/login').send({ username: agent.username, password: agent.password }).expect(403);
    expect(login.body.error).toBe('account_frozen');
    const wrong = await h.http().post('/auth/login').send({ username: agent.username, password: 'not-the-password' });
    expect(wrong.status).toBe(401);

    // A manager cannot unfreeze; an admin must re-authenticate first; then it is audited.
    await h.http().post(`/admin/security/users/${agent.id}/unfreeze`).set('Authorization', as(manager)).expect(403);
    const staleAdmin = await h.signIn(admin);
    await h.db.sql('UPDATE sessions SET reauth_at = UTC_TIMESTAMP(3) - INTERVAL 10 MINUTE WHERE id = ?', [staleAdmin.sessionId]);
    const refused = await h.http().post(`/admin/security/users/${agent.id}/unfreeze`).set('Authorization', as(staleAdmin)).expect(403);
    expect(refused.body.error).toBe('reauth_required');
    expect(await h.auditRows("action = 'security.unfreeze'")).toHaveLength(0);

    await h.reauth(admin, adminSession);
    await h.http().post(`/admin/security/users/${agent.id}/unfreeze`).set('Authorization', as(adminSession)).expect(204);
    const unfreeze = await h.auditRows("action = 'security.unfreeze' AND target_id = ?", [agent.id]);
    expect(unfreeze).toHaveLength(1);
    expect(unfreeze[0].actor_id).toBe(admin.id);
    const after = await h.http().get('/admin/security/alerts?all=true').set('Authorization', as(adminSession)).expect(200);
    expect(after.body.find((a: { id: string }) => a.id === alert.id)).toMatchObject({ resolvedBy: admin.id });

    // Signing in works again; the old sessions stay revoked.
    const fresh = await h.signIn(agent);
    await h.http().get(`/leads/${leadId}`).set('Authorization', as(working)).expect(401);
    // Once the burst has left the window, the agent reads again.
    h.clock.advance(301_000);
    const card = await h.http().get(`/leads/${leadId}`).set('Authorization', as(fresh)).expect(200);
    expect(card.body.firstName).toBe('Burst');
  });
});
