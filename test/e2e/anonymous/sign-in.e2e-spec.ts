import { base32Decode, totpAt } from '@app/crypto';
import { Role } from '@app/domain';
import { CrmApiHarness } from '../../utils/crm-api-harness';

describe('sign-in (anonymous caller)', () => {
  let h: CrmApiHarness;

  beforeAll(async () => {
    h = await CrmApiHarness.start();
  });
  afterAll(async () => {
    await h.stop();
  });

  it('first login forces MFA enrolment: otpauth URI and QR code, then a code opens a session with 10 recovery codes', async () => {
    const user = await h.createUser(Role.Agent, { mfa: false });
    const login = await h.http().post('/auth/login').send({ username: user.username, password: user.password }).expect(200);
    expect(login.body.status).toBe('mfa_enrolment_required');
    expect(login.body.challengeToken).toBeUndefined();

    const enrol = await h.http().post('/auth/mfa/enrol').send({ enrolmentToken: login.body.enrolmentToken }).expect(200);
    expect(enrol.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/CallCenterTest:.+\?secret=[A-Z2-7]+/);
    expect(enrol.body.otpauthUri).toContain('issuer=CallCenterTest');
    expect(enrol.body.qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);

    const secret = Buffer.from(base32Decode(enrol.body.secret));
    h.clock.advance(30_000);
    const confirmed = await h
      .http()
      .post('/auth/mfa/enrol/confirm')
      .send({ enrolmentToken: login.body.enrolmentToken, code: totpAt(secret, h.clock.now().getTime()) })
      .expect(200);
    expect(confirmed.body.accessToken).toEqual(expect.any(String));
    expect(confirmed.body.recoveryCodes).toHaveLength(10);
    expect(new Set(confirmed.body.recoveryCodes).size).toBe(10);

    // The secret is stored encrypted, and the recovery codes only as hashes.
    const [row] = await h.db.sql<Array<{ mfa_secret_ciphertext: Buffer; mfa_pending_ciphertext: Buffer | null }>>(
      'SELECT mfa_secret_ciphertext, mfa_pending_ciphertext FROM users WHERE id = ?',
      [user.id],
    );
    expect(row.mfa_pending_ciphertext).toBeNull();
    expect(row.mfa_secret_ciphertext.includes(secret)).toBe(false);
    const codes = await h.db.sql<Array<{ code_hash: string }>>('SELECT code_hash FROM mfa_recovery_codes WHERE user_id = ?', [user.id]);
    expect(codes).toHaveLength(10);
    for (const code of confirmed.body.recoveryCodes as string[]) {
      expect(codes.some((c) => c.code_hash.includes(code.replace(/-/g, '')))).toBe(false);
    }

    // Next login asks for the code, no longer for enrolment.
    const again = await h.http().post('/auth/login').send({ username: user.username, password: user.password }).expect(200);
    expect(again.body.status).toBe('mfa_required');
    const enrolAudit = await h.auditRows('action = ? AND actor_id = ?', ['auth.mfa.enrol', user.id]);
    expect(enrolAudit.map((r) => r.outcome)).toEqual(['success']);
  });

  it('an enrolment token cannot be used as an MFA challenge, nor the other way round', async () => {
    const fresh = await h.createUser(Role.Qa, { mfa: false });
    const login = await h.http().post('/auth/login').send({ username: fresh.username, password: fresh.password }).expect(200);
    await h.http().post('/auth/mfa/verify').send({ challengeToken: login.body.enrolmentToken, code: '123456' }).expect(401);

    const enrolled = await h.createUser(Role.Qa);
    const login2 = await h.http().post('/auth/login').send({ username: enrolled.username, password: enrolled.password }).expect(200);
    await h.http().post('/auth/mfa/enrol').send({ enrolmentToken: login2.body.challengeToken }).expect(401);
  });

  it('a TOTP code once accepted is refused afterwards, and the replay is audited', async () => {
    const user = await h.createUser(Role.Manager);
    const code = h.nextCode(user);
    const first = await h.http().post('/auth/login').send({ username: user.username, password: user.password }).expect(200);
    await h.http().post('/auth/mfa/verify').send({ challengeToken: first.body.challengeToken, code }).expect(200);

    const second = await h.http().post('/auth/login').send({ username: user.username, password: user.password }).expect(200);
    const replay = await h.http().post('/auth/mfa/verify').send({ challengeToken: second.body.challengeToken, code }).expect(401);
    expect(replay.body.error).toBe('sign_in_failed');
    const audited = await h.auditRows('action = ? AND actor_id = ?', ['auth.mfa.replay', user.id]);
    expect(audited).toHaveLength(1);
    expect(audited[0].outcome).toBe('denied');

    // An older step (within the ±1 window) is refused too: steps only move forward.
    const older = totpAt(user.totpSecret, h.clock.now().getTime() - 30_000);
    const third = await h.http().post('/auth/login').send({ username: user.username, password: user.password }).expect(200);
    await h.http().post('/auth/mfa/verify').send({ challengeToken: third.body.challengeToken, code: older }).expect(401);
  });

  it('accepts a code one step old or one step ahead, not two', async () => {
    const user = await h.createUser(Role.Agent);
    h.clock.advance(120_000);
    const now = h.clock.now().getTime();
    const tryCode = async (code: string) => {
      const login = await h.http().post('/auth/login').send({ username: user.username, password: user.password }).expect(200);
      return (await h.http().post('/auth/mfa/verify').send({ challengeToken: login.body.challengeToken, code })).status;
    };
    expect(await tryCode(totpAt(user.totpSecret, now - 60_000))).toBe(401);
    expect(await tryCode(totpAt(user.totpSecret, now - 30_000))).toBe(200);
    expect(await tryCode(totpAt(user.totpSecret, now + 30_000))).toBe(200);
    expect(await tryCode(totpAt(user.totpSecret, now + 60_000))).toBe(401);
  });

  it('a recovery code works once', async () => {
    const fresh = await h.createUser(Role.Agent, { mfa: false });
    const login = await h.http().post('/auth/login').send({ username: fresh.username, password: fresh.password }).expect(200);
    const enrol = await h.http().post('/auth/mfa/enrol').send({ enrolmentToken: login.body.enrolmentToken }).expect(200);
    const secret = Buffer.from(base32Decode(enrol.body.secret));
    const confirmed = await h
      .http()
      .post('/auth/mfa/enrol/confirm')
      .send({ enrolmentToken: login.body.enrolmentToken, code: totpAt(secret, h.clock.now().getTime()) })
      .expect(200);
    const recoveryCode = confirmed.body.recoveryCodes[3] as string;

    const use = async () => {
      const l = await h.http().post('/auth/login').send({ username: fresh.username, password: fresh.password }).expect(200);
      return h.http().post('/auth/mfa/verify').send({ challengeToken: l.body.challengeToken, recoveryCode });
    };
    expect((await use()).status).toBe(200);
    expect((await use()).status).toBe(401);
  });

  it('locks an account after 5 consecutive failures for at least 15 minutes, with the same answer as a wrong password', async () => {
    const user = await h.createUser(Role.Agent);
    const ip = '203.0.113.50';
    for (let i = 0; i < 5; i++) {
      const res = await h.http().post('/auth/login').set('X-Forwarded-For', `203.0.113.${60 + i}`).send({ username: user.username, password: 'wrong password!!' });
      expect(res.status).toBe(401);
    }
    const locked = await h.http().post('/auth/login').set('X-Forwarded-For', ip).send({ username: user.username, password: user.password });
    expect(locked.status).toBe(401);
    expect(locked.body.error).toBe('sign_in_failed');

    h.clock.advance(14 * 60_000);
    await h.http().post('/auth/login').set('X-Forwarded-For', ip).send({ username: user.username, password: user.password }).expect(401);

    h.clock.advance(61_000);
    const open = await h.http().post('/auth/login').set('X-Forwarded-For', ip).send({ username: user.username, password: user.password });
    expect(open.status).toBe(200);
    const failures = await h.auditRows("action = 'auth.login' AND actor_id = ? AND outcome = 'failure'", [user.id]);
    expect(failures.length).toBeGreaterThanOrEqual(7);
  });

  it('locks a source address after 5 consecutive failures, whatever accounts it tries', async () => {
    const user = await h.createUser(Role.Agent);
    const ip = '192.0.2.77';
    for (let i = 0; i < 5; i++) {
      await h.http().post('/auth/login').set('X-Forwarded-For', ip).send({ username: `nobody-${i}`, password: 'wrong password!!' }).expect(401);
    }
    await h.http().post('/auth/login').set('X-Forwarded-For', ip).send({ username: user.username, password: user.password }).expect(401);
    await h.http().post('/auth/login').set('X-Forwarded-For', '192.0.2.78').send({ username: user.username, password: user.password }).expect(200);
  });

  it('counts TOTP failures too', async () => {
    const user = await h.createUser(Role.Qa);
    for (let i = 0; i < 5; i++) {
      const login = await h.http().post('/auth/login').set('X-Forwarded-For', `198.18.0.${i + 1}`).send({ username: user.username, password: user.password }).expect(200);
      await h
        .http()
        .post('/auth/mfa/verify')
        .set('X-Forwarded-For', `198.18.0.${i + 1}`)
        .send({ challengeToken: login.body.challengeToken, code: '000000' })
        .expect(401);
    }
    await h.http().post('/auth/login').set('X-Forwarded-For', '198.18.0.99').send({ username: user.username, password: user.password }).expect(401);
  });

  it('never tells whether an account exists', async () => {
    const user = await h.createUser(Role.Agent);
    const unknown = await h.http().post('/auth/login').set('X-Forwarded-For', '198.19.0.1').send({ username: 'no-such-user-x', password: 'whatever password' });
    const wrong = await h.http().post('/auth/login').set('X-Forwarded-For', '198.19.0.2').send({ username: user.username, password: 'whatever password' });
    expect(unknown.status).toBe(wrong.status);
    expect(unknown.body.error).toBe(wrong.body.error);
    expect(unknown.body.message).toBe(wrong.body.message);
  });

  it('refuses a disabled user with the same answer', async () => {
    const user = await h.createUser(Role.Agent);
    await h.db.sql("UPDATE users SET status = 'disabled' WHERE id = ?", [user.id]);
    const res = await h.http().post('/auth/login').set('X-Forwarded-For', '198.19.1.1').send({ username: user.username, password: user.password });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('sign_in_failed');
  });
});
