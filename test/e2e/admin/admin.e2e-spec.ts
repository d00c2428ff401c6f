import { Role } from '@app/domain';
import { CrmApiHarness, SignedIn, TestUser } from '../../utils/crm-api-harness';

describe('administration (admin role)', () => {
  let h: CrmApiHarness;
  let admin: TestUser;
  let adminSession: SignedIn;
  const adminIp = '198.51.100.10';
  const as = (session: SignedIn) => `Bearer ${session.accessToken}`;

  beforeAll(async () => {
    h = await CrmApiHarness.start();
    admin = await h.createUser(Role.Admin);
    adminSession = await h.signIn(admin, adminIp);
  });
  afterAll(async () => {
    await h.stop();
  });

  it('creates a user whose first password works once shown, and who must enrol MFA', async () => {
    const res = await h
      .http()
      .post('/admin/users')
      .set('Authorization', as(adminSession))
      .send({ username: 'new.agent', displayName: 'New Agent', role: 'agent' })
      .expect(201);
    expect(res.body.user).toMatchObject({ username: 'new.agent', role: 'agent', status: 'active' });
    expect(res.body.user.passwordHash).toBeUndefined();
    const login = await h.http().post('/auth/login').send({ username: 'new.agent', password: res.body.initialPassword }).expect(200);
    expect(login.body.status).toBe('mfa_enrolment_required');

    await h
      .http()
      .post('/admin/users')
      .set('Authorization', as(adminSession))
      .send({ username: 'new.agent', displayName: 'Again', role: 'qa' })
      .expect(409);
    const audit = await h.auditRows("action = 'admin.user.create'");
    expect(audit.map((r) => r.outcome)).toEqual(['success', 'failure']);
    expect(audit[0].actor_id).toBe(admin.id);
    expect(JSON.stringify(audit)).not.toContain(res.body.initialPassword);
  });

  it('validates input with field errors and refuses unknown fields', async () => {
    const res = await h
      .http()
      .post('/admin/users')
      .set('Authorization', as(adminSession))
      .send({ username: 'X', displayName: '', role: 'superuser', isAdmin: true })
      .expect(400);
    const fields = res.body.fields.map((f: { field: string }) => f.field).sort();
    expect(fields).toEqual(['displayName', 'isAdmin', 'role', 'username']);
    expect(res.body.requestId).toEqual(expect.any(String));
  });

  it('refuses non-admins with 403, and audits each refusal', async () => {
    for (const role of [Role.Manager, Role.Agent, Role.Qa]) {
      const user = await h.createUser(role);
      const session = await h.signIn(user);
      const res = await h.http().get('/admin/users').set('Authorization', as(session)).expect(403);
      expect(res.body.error).toBe('forbidden');
      const denied = await h.auditRows("action = 'access.denied' AND actor_id = ?", [user.id]);
      expect(denied).toHaveLength(1);
      expect(denied[0].target_id).toBe('GET /admin/users');
      expect(denied[0].actor_role).toBe(role);
    }
  });

  it('MFA reset requires re-authentication, ends the user’s sessions and forces enrolment', async () => {
    const user = await h.createUser(Role.Agent);
    const userSession = await h.signIn(user);
    const freshAdmin = await h.createUser(Role.Admin);
    const session = await h.signIn(freshAdmin, adminIp);
    // Signing in counts as re-authentication for a few minutes; let that pass.
    await h.db.sql('UPDATE sessions SET reauth_at = UTC_TIMESTAMP(3) - INTERVAL 10 MINUTE WHERE id = ?', [session.sessionId]);
    const refused = await h.http().post(`/admin/users/${user.id}/mfa-reset`).set('Authorization', as(session)).expect(403);
    expect(refused.body.error).toBe('reauth_required');

    await h.reauth(freshAdmin, session);
    await h.http().post(`/admin/users/${user.id}/mfa-reset`).set('Authorization', as(session)).expect(204);
    await h.http().get('/auth/me').set('Authorization', as(userSession)).expect(401);
    const login = await h.http().post('/auth/login').send({ username: user.username, password: user.password }).expect(200);
    expect(login.body.status).toBe('mfa_enrolment_required');
    expect(await h.auditRows("action = 'admin.user.mfa_reset' AND target_id = ?", [user.id])).toHaveLength(1);
  });

  it('lists and revokes any session', async () => {
    const user = await h.createUser(Role.Qa);
    const session = await h.signIn(user);
    const list = await h.http().get(`/admin/sessions?userId=${user.id}`).set('Authorization', as(adminSession)).expect(200);
    expect(list.body.map((s: { id: string }) => s.id)).toEqual([session.sessionId]);
    await h.http().delete(`/admin/sessions/${session.sessionId}`).set('Authorization', as(adminSession)).expect(204);
    await h.http().get('/auth/me').set('Authorization', as(session)).expect(401);
    await h.http().delete('/admin/sessions/00000000-0000-4000-8000-000000000000').set('Authorization', as(adminSession)).expect(404);
  });

  it('restricts a role to source ranges: outside requests and sign-ins get 403 and an audit record', async () => {
    const agent = await h.createUser(Role.Agent);
    const agentSession = await h.signIn(agent, '203.0.113.9');
    await h.reauth(admin, adminSession);
    const rule = await h
      .http()
      .post('/admin/ip-rules')
      .set('Authorization', as(adminSession))
      .set('X-Forwarded-For', adminIp)
      .send({ role: 'agent', cidr: '10.20.0.0/16' })
      .expect(201);

    const outside = await h.http().get('/auth/me').set('Authorization', as(agentSession)).set('X-Forwarded-For', '203.0.113.9').expect(403);
    expect(outside.body.error).toBe('source_address_not_allowed');
    await h.http().get('/auth/me').set('Authorization', as(agentSession)).set('X-Forwarded-For', '10.20.3.4').expect(200);
    await h.http().post('/auth/login').set('X-Forwarded-For', '203.0.113.9').send({ username: agent.username, password: agent.password }).expect(403);
    await h.http().post('/auth/login').set('X-Forwarded-For', '10.20.9.9').send({ username: agent.username, password: agent.password }).expect(200);

    expect(await h.auditRows("action = 'access.source_address_denied' AND actor_id = ?", [agent.id])).toHaveLength(1);
    expect(await h.auditRows("action = 'auth.login' AND outcome = 'denied' AND actor_id = ?", [agent.id])).toHaveLength(1);
    // Other roles are not restricted.
    await h.http().get('/admin/users').set('Authorization', as(adminSession)).set('X-Forwarded-For', '203.0.113.9').expect(200);

    await h.http().delete(`/admin/ip-rules/${rule.body.id}`).set('Authorization', as(adminSession)).set('X-Forwarded-For', adminIp).expect(204);
    await h.http().get('/auth/me').set('Authorization', as(agentSession)).set('X-Forwarded-For', '203.0.113.9').expect(200);
  });

  it('will not let an admin lock their own role out from where they stand, and rejects bad ranges', async () => {
    await h.reauth(admin, adminSession);
    const res = await h
      .http()
      .post('/admin/ip-rules')
      .set('Authorization', as(adminSession))
      .set('X-Forwarded-For', adminIp)
      .send({ role: 'admin', cidr: '10.99.0.0/16' })
      .expect(400);
    expect(res.body.message).toMatch(/lock you out/);
    await h
      .http()
      .post('/admin/ip-rules')
      .set('Authorization', as(adminSession))
      .set('X-Forwarded-For', adminIp)
      .send({ role: 'qa', cidr: '10.0.0.0/99' })
      .expect(400);
  });

  it('verifies the audit chain through the admin endpoint and names a tampered entry', async () => {
    const ok = await h.http().get('/admin/audit/verify').set('Authorization', as(adminSession)).expect(200);
    expect(ok.body.ok).toBe(true);
    expect(ok.body.problem).toBeUndefined();
    expect(ok.body.checked).toBeGreaterThan(10);

    const listed = await h.http().get('/admin/audit?limit=5').set('Authorization', as(adminSession)).expect(200);
    expect(listed.body).toHaveLength(5);

    const [victim] = await h.db.sql<Array<{ seq: string }>>("SELECT seq FROM audit_log WHERE action = 'admin.user.create' ORDER BY seq LIMIT 1");
    await h.db.sql('DROP TRIGGER IF EXISTS audit_log_no_update');
    await h.db.sql("UPDATE audit_log SET outcome = 'failure' WHERE seq = ?", [victim.seq]);
    const bad = await h.http().get('/admin/audit/verify').set('Authorization', as(adminSession)).expect(200);
    expect(bad.body.ok).toBe(false);
    expect(bad.body.problem.kind).toBe('altered');
    expect(String(bad.body.problem.seq)).toBe(String(victim.seq));
  });
});
