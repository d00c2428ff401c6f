import { randomBytes } from 'node:crypto';
import Srf from 'drachtio-srf';
import { Secret } from '@app/config';
import { Clock } from '@app/domain';
import { SealedSecret } from '../sealed-secret';
import { DigestNonces } from './digest-nonce';
import { DEFAULT_REGISTER_THROTTLE, RegisterThrottle } from './register-throttle';
import { authenticatedAccount, installRegistrar, RegistrarDeps, RegistrarEvent, registrarChain, SipMiddleware } from './registrar.middleware';
import { Registration, RegistrationRepository } from './registration.repository';
import { SipAccount, SipAccountRepository, SipAccountSummary } from './sip-account.repository';
import { digestResponse } from './sip-digest';

const REALM = 'callcenter.local';

/** A clock that moves only when told. */
class ManualClock extends Clock {
  private at = Date.UTC(2025, 10, 21, 10, 0, 0);
  now(): Date {
    return new Date(this.at);
  }
  advance(ms: number): void {
    this.at += ms;
  }
}

/** drachtio-srf's own request class, built from raw SIP as drachtio-server would deliver it. */
const { SipRequest, SipMessage } = Srf as unknown as {
  SipRequest: new (msg: unknown, meta: object) => Srf.SrfRequest;
  SipMessage: new (raw: string) => unknown;
};

interface RequestOptions {
  user?: string;
  authorization?: string;
  contact?: string | null;
  expires?: string;
  userAgent?: string;
  transport?: string;
  address?: string;
}

function registerRequest(o: RequestOptions = {}): Srf.SrfRequest {
  const user = o.user ?? 'agent7';
  const lines = [
    `REGISTER sip:${REALM} SIP/2.0`,
    'Via: SIP/2.0/TLS 192.0.2.10:52311;branch=z9hG4bK776asdhds',
    `From: <sip:${user}@${REALM}>;tag=456248`,
    `To: <sip:${user}@${REALM}>`,
    'Call-ID: 843817637684230@998sdasdh09',
    'CSeq: 1826 REGISTER',
    `User-Agent: ${o.userAgent ?? 'Linphone Desktop/5.2.4 (Ubuntu) Linphone/5.3.1'}`,
  ];
  if (o.contact !== null) lines.push(`Contact: ${o.contact ?? '<sip:agent7@192.0.2.10:52311;transport=tls>'}`);
  if (o.expires !== undefined) lines.push(`Expires: ${o.expires}`);
  if (o.authorization) lines.push(`Authorization: ${o.authorization}`);
  lines.push('Content-Length: 0', '', '');
  return new SipRequest(new SipMessage(lines.join('\r\n')), {
    source: 'network',
    address: o.address ?? '198.51.100.4',
    port: '52311',
    protocol: o.transport ?? 'tls',
    time: '12:00:00.000',
    transactionId: 'txn',
    dialogId: '',
  });
}

interface Answer {
  status: number | 'passed';
  headers: Record<string, string>;
}

/** Runs the chain as drachtio-srf's app.handle does; resolves with the answer sent (or 'passed'). */
function dispatch(chain: SipMiddleware[], req: Srf.SrfRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const fake = {
      finalResponseSent: false,
      send(status: number, opts?: { headers?: Record<string, string> }) {
        fake.finalResponseSent = true;
        resolve({ status, headers: opts?.headers ?? {} });
      },
    };
    const res = fake as unknown as Srf.SrfResponse;
    let index = 0;
    const next = (error?: unknown) => {
      if (error) return reject(error);
      const step = chain[index++];
      if (!step) return resolve({ status: 'passed', headers: {} });
      step(req, res, next);
    };
    next();
  });
}

function nonceOf(challenge: string): string {
  return /nonce="([^"]+)"/.exec(challenge)![1];
}

/** What a phone sends back for a challenge. */
function authorization(challenge: string, o: { user?: string; password: string; nc?: string; realm?: string; nonce?: string }): string {
  const user = o.user ?? 'agent7';
  const nonce = o.nonce ?? nonceOf(challenge);
  const nc = o.nc ?? '00000001';
  const uri = `sip:${REALM}`;
  const response = digestResponse({ username: user, realm: o.realm ?? REALM, password: o.password, method: 'REGISTER', uri, nonce, algorithm: 'MD5', qop: { nc, cnonce: '0a4f113b' } });
  return `Digest username="${user}", realm="${o.realm ?? REALM}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5, cnonce="0a4f113b", qop=auth, nc=${nc}`;
}

class MemoryAccounts extends SipAccountRepository {
  readonly accounts = new Map<string, { account: Omit<SipAccount, 'secret'>; secret: string }>();
  failing = false;

  add(username: string, secret: string, overrides: Partial<SipAccount> = {}): void {
    this.accounts.set(username, { account: { userId: `user-${username}`, username, role: 'agent', active: true, frozen: false, ...overrides }, secret });
  }

  async findByUsername(username: string): Promise<SipAccount | null> {
    if (this.failing) throw new Error('database down');
    const entry = this.accounts.get(username);
    return entry ? { ...entry.account, secret: new SealedSecret(async () => entry.secret) } : null;
  }

  findByUserId(): Promise<SipAccountSummary | null> {
    throw new Error('not used');
  }
  create(): Promise<Secret<string>> {
    throw new Error('not used');
  }
  rotate(): Promise<Secret<string> | null> {
    throw new Error('not used');
  }
  delete(): Promise<boolean> {
    throw new Error('not used');
  }
}

class MemoryRegistrations extends RegistrationRepository {
  readonly rows = new Map<string, Registration>();

  async upsert(registration: Registration): Promise<void> {
    this.rows.set(registration.userId, registration);
  }
  async remove(userId: string, contact?: string): Promise<boolean> {
    const row = this.rows.get(userId);
    if (!row || (contact !== undefined && row.contact !== contact)) return false;
    return this.rows.delete(userId);
  }
  async findContact(userId: string, now: Date): Promise<Registration | null> {
    const row = this.rows.get(userId);
    return row && row.expiresAt > now ? row : null;
  }
  async expire(): Promise<number> {
    return 0;
  }
}

describe('registrar middleware', () => {
  const SECRET = 'Zx8fP1qL0vYt3wKs9bNm4cRd7eHa2uGj';
  let clock: ManualClock;
  let accounts: MemoryAccounts;
  let registrations: MemoryRegistrations;
  let events: RegistrarEvent[];
  let deps: RegistrarDeps;
  let chain: SipMiddleware[];

  beforeEach(() => {
    clock = new ManualClock();
    accounts = new MemoryAccounts();
    accounts.add('agent7', SECRET);
    registrations = new MemoryRegistrations();
    events = [];
    const now = () => clock.now().getTime();
    deps = {
      realm: REALM,
      nonces: new DigestNonces(randomBytes(32), REALM, { now, ttlMs: 60_000 }),
      throttle: new RegisterThrottle(DEFAULT_REGISTER_THROTTLE, now),
      accounts,
      registrations,
      clock,
      allowedTransports: ['tls'],
      onEvent: (e) => events.push(e),
    };
    chain = registrarChain(deps);
  });

  async function challenge(o: RequestOptions = {}): Promise<string> {
    const answer = await dispatch(chain, registerRequest(o));
    expect(answer.status).toBe(401);
    return answer.headers['WWW-Authenticate'];
  }

  async function registerWith(password: string, o: RequestOptions & { user?: string } = {}): Promise<Answer> {
    const c = await challenge(o);
    return dispatch(chain, registerRequest({ ...o, authorization: authorization(c, { user: o.user, password }) }));
  }

  it('challenges a REGISTER without credentials with a digest challenge asking for qop=auth', async () => {
    const c = await challenge();
    expect(c).toMatch(/^Digest realm="callcenter.local", nonce="[A-Za-z0-9_-]+", qop="auth", algorithm=MD5$/);
    expect(deps.nonces.check(nonceOf(c))).toBe('valid');
  });

  it('registers a phone that answers the challenge, and tells the next steps who it is', async () => {
    const answer = await registerWith(SECRET, { expires: '600' });
    expect(answer).toEqual({ status: 200, headers: { Contact: '<sip:agent7@192.0.2.10:52311;transport=tls>;expires=600', Expires: '600' } });
    expect(registrations.rows.get('user-agent7')).toMatchObject({
      contact: 'sip:agent7@192.0.2.10:52311;transport=tls',
      sourceAddress: '198.51.100.4:52311',
      transport: 'tls',
      userAgent: 'Linphone Desktop/5.2.4 (Ubuntu) Linphone/5.3.1',
    });
    expect(registrations.rows.get('user-agent7')!.expiresAt).toEqual(new Date(clock.now().getTime() + 600_000));
    expect(events.at(-1)).toEqual({ type: 'registered', sourceAddress: '198.51.100.4', userId: 'user-agent7', transport: 'tls', expiresSeconds: 600 });

    const c = await challenge();
    const req = registerRequest({ authorization: authorization(c, { password: SECRET }) });
    expect(await dispatch(chain.slice(0, 4), req)).toEqual({ status: 'passed', headers: {} });
    expect(authenticatedAccount(req)).toEqual({ userId: 'user-agent7', username: 'agent7' });
  });

  it('answers a wrong password and an unknown user alike: a fresh 401', async () => {
    const wrong = await registerWith('wrong-password');
    const unknown = await registerWith(SECRET, { user: 'ghost' });
    for (const answer of [wrong, unknown]) {
      expect(answer.status).toBe(401);
      expect(Object.keys(answer.headers)).toEqual(['WWW-Authenticate']);
      expect(answer.headers['WWW-Authenticate']).not.toContain('stale');
    }
    expect(events.filter((e) => e.type === 'auth_failed').map((e) => (e as { reason: string }).reason)).toEqual(['bad_response', 'unknown_user']);
    expect(registrations.rows.size).toBe(0);
  });

  it('blocks an account after five failures, even with the right password from a new address', async () => {
    for (let i = 0; i < 5; i++) expect((await registerWith('guess', { address: `203.0.113.${i}` })).status).toBe(401);
    expect((await registerWith(SECRET, { address: '203.0.113.99' })).status).toBe(403);
    expect(events.some((e) => e.type === 'blocked')).toBe(true);
  });

  it('blocks an unknown account the same way', async () => {
    for (let i = 0; i < 5; i++) await registerWith('guess', { user: 'ghost', address: `203.0.113.${i}` });
    const c = (await dispatch(chain, registerRequest({ user: 'ghost' }))).headers['WWW-Authenticate'];
    const answer = await dispatch(chain, registerRequest({ user: 'ghost', authorization: authorization(c ?? 'nonce="x"', { user: 'ghost', password: 'guess' }) }));
    expect(answer.status).toBe(403);
  });

  it('keeps the agent’s own phone registering while an attacker elsewhere is blocked on its account', async () => {
    expect((await registerWith(SECRET)).status).toBe(200);
    for (let i = 0; i < 5; i++) await registerWith('guess', { address: '203.0.113.66' });
    expect((await registerWith(SECRET, { address: '203.0.113.66' })).status).toBe(403);
    expect((await registerWith(SECRET)).status).toBe(200);
  });

  it('answers an expired nonce with stale=true without counting a failure', async () => {
    const c = await challenge();
    clock.advance(60_001);
    const answer = await dispatch(chain, registerRequest({ authorization: authorization(c, { password: SECRET }) }));
    expect(answer.status).toBe(401);
    expect(answer.headers['WWW-Authenticate']).toContain('stale=true');
    expect(events.filter((e) => e.type === 'auth_failed')).toEqual([]);
    expect((await registerWith(SECRET)).status).toBe(200);
  });

  it('refuses a forged nonce, a foreign realm and a replayed nonce count', async () => {
    const c = await challenge();
    const forged = authorization(c, { password: SECRET, nonce: nonceOf(c).replace(/^./, (ch) => (ch === 'A' ? 'B' : 'A')) });
    expect((await dispatch(chain, registerRequest({ authorization: forged }))).status).toBe(401);
    const foreign = authorization(c, { password: SECRET, realm: 'other.example' });
    expect((await dispatch(chain, registerRequest({ authorization: foreign }))).status).toBe(401);

    const good = authorization(c, { password: SECRET });
    expect((await dispatch(chain, registerRequest({ authorization: good }))).status).toBe(200);
    expect((await dispatch(chain, registerRequest({ authorization: good }))).status).toBe(401);
    const nextCount = authorization(c, { password: SECRET, nc: '00000002' });
    expect((await dispatch(chain, registerRequest({ authorization: nextCount }))).status).toBe(200);
    expect(events.filter((e) => e.type === 'auth_failed').map((e) => (e as { reason: string }).reason)).toEqual(['bad_nonce', 'realm', 'replay']);
  });

  it('refuses a right answer from a disabled, frozen or non-agent user with 403', async () => {
    accounts.add('disabled1', SECRET, { active: false });
    accounts.add('frozen1', SECRET, { frozen: true });
    accounts.add('manager1', SECRET, { role: 'manager' });
    for (const user of ['disabled1', 'frozen1', 'manager1']) {
      expect((await registerWith(SECRET, { user })).status).toBe(403);
    }
    expect(events.filter((e) => e.type === 'refused').map((e) => (e as { reason: string }).reason)).toEqual(['disabled', 'frozen', 'role']);
    expect(registrations.rows.size).toBe(0);
  });

  it('refuses to bind another user’s address of record', async () => {
    const c = await challenge();
    const req = registerRequest({ user: 'agent8', authorization: authorization(c, { user: 'agent7', password: SECRET }) });
    expect((await dispatch(chain, req)).status).toBe(403);
    expect(events.at(-1)).toMatchObject({ type: 'refused', reason: 'aor_mismatch' });
  });

  it('rejects known scanners before any challenge', async () => {
    const answer = await dispatch(chain, registerRequest({ userAgent: 'friendly-scanner' }));
    expect(answer).toEqual({ status: 403, headers: {} });
    expect(events).toEqual([{ type: 'scanner', sourceAddress: '198.51.100.4', scanner: 'friendly-scanner' }]);
  });

  it('refuses transports that are not configured', async () => {
    expect((await dispatch(chain, registerRequest({ transport: 'udp' }))).status).toBe(403);
    expect(events).toEqual([{ type: 'transport_refused', sourceAddress: '198.51.100.4', transport: 'udp' }]);
  });

  it('removes the binding on Expires: 0, and everything on Contact: *', async () => {
    await registerWith(SECRET);
    expect((await registerWith(SECRET, { contact: '<sip:agent7@192.0.2.55:5061;transport=tls>', expires: '0' })).status).toBe(200);
    expect(registrations.rows.size).toBe(1);
    expect((await registerWith(SECRET, { expires: '0' })).status).toBe(200);
    expect(registrations.rows.size).toBe(0);
    await registerWith(SECRET);
    expect((await registerWith(SECRET, { contact: '*', expires: '0' })).status).toBe(200);
    expect(registrations.rows.size).toBe(0);
    expect((await registerWith(SECRET, { contact: '*', expires: '60' })).status).toBe(400);
  });

  it('answers 423 below the minimum, shortens long requests, and honours the Contact expires parameter', async () => {
    expect(await registerWith(SECRET, { expires: '30' })).toEqual({ status: 423, headers: { 'Min-Expires': '60' } });
    expect((await registerWith(SECRET, { expires: '86400' })).headers.Expires).toBe('3600');
    expect((await registerWith(SECRET, { contact: '<sip:agent7@192.0.2.10:52311;transport=tls>;expires=120', expires: '3600' })).headers.Expires).toBe('120');
    expect((await registerWith(SECRET, { expires: 'soon' })).status).toBe(400);
  });

  it('reports the current binding to a query without Contact', async () => {
    await registerWith(SECRET, { expires: '600' });
    clock.advance(100_000);
    expect(await registerWith(SECRET, { contact: null })).toEqual({ status: 200, headers: { Contact: '<sip:agent7@192.0.2.10:52311;transport=tls>;expires=500' } });
  });

  it('answers 500, and no 200, when the account store fails', async () => {
    const c = await challenge();
    accounts.failing = true;
    const answer = await dispatch(chain, registerRequest({ authorization: authorization(c, { password: SECRET }) }));
    expect(answer.status).toBe(500);
    expect(events.at(-1)).toEqual({ type: 'error', sourceAddress: '198.51.100.4', stage: 'auth' });
  });

  it('never puts a typed username or the secret into its events', async () => {
    await registerWith('wrong', { user: 'ghost' });
    await registerWith(SECRET);
    const text = JSON.stringify(events);
    expect(text).not.toContain('ghost');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('"agent7"');
  });

  it('installs the five steps on an Srf for REGISTER, in order', () => {
    const srf = new Srf();
    const use = jest.spyOn(srf, 'use').mockImplementation(() => undefined);
    installRegistrar(srf, deps);
    expect(use).toHaveBeenCalledTimes(5);
    expect(use.mock.calls.every(([method]) => method === 'register')).toBe(true);
  });
});
