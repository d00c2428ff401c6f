import { Role } from '@app/domain';
import { CrmApiHarness } from '../../utils/crm-api-harness';

describe('sessions (signed-in user)', () => {
  let h: CrmApiHarness;

  beforeAll(async () => {
    h = await CrmApiHarness.start();
  });
  afterAll(async () => {
    await h.stop();
  });

  const me = (token: string) => h.http().get('/auth/me').set('Authorization', `Bearer ${token}`);

  it('access tokens live at most 15 minutes', async () => {
    const user = await h.createUser(Role.Agent);
    const session = await h.signIn(user);
    const claims = JSON.parse(Buffer.from(session.accessToken.split('.')[1], 'base64url').toString());
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(900);
    const res = await me(session.accessToken).expect(200);
    expect(res.body).toMatchObject({ id: user.id, role: 'agent', mfaEnabled: true });
  });

  it('rotates refresh tokens; reusing a rotated one revokes the whole family', async () => {
    const user = await h.createUser(Role.Agent);
    const first = await h.signIn(user);
    const second = (await h.http().post('/auth/refresh').send({ refreshToken: first.refreshToken }).expect(200)).body;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.sessionId).toBe(first.sessionId);
    const third = (await h.http().post('/auth/refresh').send({ refreshToken: second.refreshToken }).expect(200)).body;
    await me(third.accessToken).expect(200);

    // The first token is presented again: someone copied it. The family (session) dies.
    await h.http().post('/auth/refresh').send({ refreshToken: first.refreshToken }).expect(401);
    await h.http().post('/auth/refresh').send({ refreshToken: third.refreshToken }).expect(401);
    await me(third.accessToken).expect(401);

    const reuse = await h.auditRows("action = 'auth.refresh_token_reuse' AND target_id = ?", [first.sessionId]);
    expect(reuse).toHaveLength(1);
    // Another session of the same user is untouched.
    const other = await h.signIn(user);
    await me(other.accessToken).expect(200);
  });

  it('logout revokes the session and its refresh token', async () => {
    const user = await h.createUser(Role.Qa);
    const session = await h.signIn(user);
    await h.http().post('/auth/logout').set('Authorization', `Bearer ${session.accessToken}`).expect(204);
    await me(session.accessToken).expect(401);
    await h.http().post('/auth/refresh').send({ refreshToken: session.refreshToken }).expect(401);
  });

  it('a disabled user loses access on the very next request', async () => {
    const admin = await h.createUser(Role.Admin);
    const adminSession = await h.signIn(admin);
    const user = await h.createUser(Role.Agent);
    const session = await h.signIn(user);
    await me(session.accessToken).expect(200);
    await h.http().post(`/admin/users/${user.id}/disable`).set('Authorization', `Bearer ${adminSession.accessToken}`).expect(204);
    await me(session.accessToken).expect(401);
    await h.http().post('/auth/refresh').send({ refreshToken: session.refreshToken }).expect(401);
  });

  it('disabling behind the app’s back (status column) also ends access at once', async () => {
    const user = await h.createUser(Role.Agent);
    const session = await h.signIn(user);
    await h.db.sql("UPDATE users SET status = 'disabled' WHERE id = ?", [user.id]);
    await me(session.accessToken).expect(401);
  });

  it('a frozen account gets a clear 403 on its next request', async () => {
    const user = await h.createUser(Role.Agent);
    const session = await h.signIn(user);
    await h.db.sql('UPDATE users SET frozen_at = UTC_TIMESTAMP(3) WHERE id = ?', [user.id]);
    const res = await me(session.accessToken).expect(403);
    expect(res.body.error).toBe('account_frozen');
  });

  it('lists and revokes only one’s own sessions; another user’s session answers 404', async () => {
    const alice = await h.createUser(Role.Agent);
    const bob = await h.createUser(Role.Agent);
    const a1 = await h.signIn(alice);
    const a2 = await h.signIn(alice);
    const b1 = await h.signIn(bob);
    const list = await h.http().get('/auth/sessions').set('Authorization', `Bearer ${a1.accessToken}`).expect(200);
    expect(list.body.map((s: { id: string }) => s.id).sort()).toEqual([a1.sessionId, a2.sessionId].sort());
    expect(list.body.find((s: { id: string; current: boolean }) => s.id === a1.sessionId).current).toBe(true);

    await h.http().delete(`/auth/sessions/${b1.sessionId}`).set('Authorization', `Bearer ${a1.accessToken}`).expect(404);
    await me(b1.accessToken).expect(200);
    await h.http().delete(`/auth/sessions/${a2.sessionId}`).set('Authorization', `Bearer ${a1.accessToken}`).expect(204);
    await me(a2.accessToken).expect(401);
  });

  it('re-authentication needs both password and a fresh code; failures are audited', async () => {
    const user = await h.createUser(Role.Manager);
    const session = await h.signIn(user);
    const auth = `Bearer ${session.accessToken}`;
    await h.http().post('/auth/reauth').set('Authorization', auth).send({ password: 'not the password', code: h.nextCode(user) }).expect(403);
    await h.http().post('/auth/reauth').set('Authorization', auth).send({ password: user.password, code: '000000' }).expect(403);
    const code = h.nextCode(user);
    await h.http().post('/auth/reauth').set('Authorization', auth).send({ password: user.password, code }).expect(204);
    // The same code again is a replay.
    await h.http().post('/auth/reauth').set('Authorization', auth).send({ password: user.password, code }).expect(403);
    const failures = await h.auditRows("action = 'auth.reauth' AND outcome = 'failure' AND actor_id = ?", [user.id]);
    expect(failures.length).toBe(3);
  });

  it('password change enforces the policy and ends the other sessions', async () => {
    const user = await h.createUser(Role.Agent);
    const keep = await h.signIn(user);
    const other = await h.signIn(user);
    const auth = `Bearer ${keep.accessToken}`;
    const weak = await h.http().post('/auth/password').set('Authorization', auth).send({ currentPassword: user.password, newPassword: 'short' }).expect(400);
    expect(weak.body.message).toMatch(/at least 12/);
    await h.http().post('/auth/password').set('Authorization', auth).send({ currentPassword: user.password, newPassword: 'password1234' }).expect(400);
    await h.http().post('/auth/password').set('Authorization', auth).send({ currentPassword: user.password, newPassword: 'x'.repeat(129) }).expect(400);
    await h.http().post('/auth/password').set('Authorization', auth).send({ currentPassword: user.password, newPassword: 'a quiet harbour at dawn' }).expect(204);
    await me(keep.accessToken).expect(200);
    await me(other.accessToken).expect(401);
    await h.http().post('/auth/login').send({ username: user.username, password: 'a quiet harbour at dawn' }).expect(200);
  });

  it('a tampered or foreign token is refused', async () => {
    const user = await h.createUser(Role.Agent);
    const session = await h.signIn(user);
    const [header, payload, signature] = session.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url')}.${signature}`;
    await me(forged).expect(401);
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
    await me(none).expect(401);
    await me('garbage').expect(401);
  });
});
