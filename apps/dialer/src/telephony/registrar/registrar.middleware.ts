import Srf from 'drachtio-srf';
import { Clock } from '@app/domain';
import { DigestNonces } from './digest-nonce';
import { RegisterThrottle } from './register-throttle';
import { RegistrationRepository } from './registration.repository';
import { scannerIn } from './scanner-user-agents';
import { SipAccountRepository } from './sip-account.repository';
import { DigestAlgorithm, digestChallenge, digestResponse, digestsEqual, digestUsername, parseDigestAuthorization } from './sip-digest';

/** A step of drachtio-srf's middleware chain (srf.use('register', fn)): answers, or calls next(). */
export type SipMiddleware = (req: Srf.SrfRequest, res: Srf.SrfResponse, next: (error?: unknown) => void) => void;

/**
 * What the registrar did, for logs, metrics and the audit trail. Never carries a typed username (it
 * may be a password typed in the wrong field) or any credential: only the authenticated user id.
 */
export type RegistrarEvent =
  | { type: 'scanner'; sourceAddress: string; scanner: string }
  | { type: 'transport_refused'; sourceAddress: string; transport: string }
  | { type: 'blocked'; sourceAddress: string }
  | { type: 'auth_failed'; sourceAddress: string; reason: 'unknown_user' | 'bad_response' | 'bad_nonce' | 'replay' | 'realm' | 'malformed' }
  | { type: 'refused'; sourceAddress: string; userId: string; reason: 'disabled' | 'frozen' | 'role' | 'aor_mismatch' }
  | { type: 'registered'; sourceAddress: string; userId: string; transport: string; expiresSeconds: number }
  | { type: 'unregistered'; sourceAddress: string; userId: string }
  | { type: 'error'; sourceAddress: string; stage: 'auth' | 'register' };

export interface ExpiresPolicy {
  /** Shorter requests are answered 423 with Min-Expires. */
  min: number;
  /** Longer requests are shortened to this. */
  max: number;
  /** When the phone asks for none. */
  default: number;
}

export interface RegistrarDeps {
  realm: string;
  nonces: DigestNonces;
  throttle: RegisterThrottle;
  accounts: SipAccountRepository;
  registrations: RegistrationRepository;
  clock: Clock;
  /** drachtio's transport names (udp, tcp, tls, wss) phones may register over. */
  allowedTransports: readonly string[];
  /** Roles whose users may register a phone. Default: agents only. */
  allowedRoles?: readonly string[];
  algorithm?: DigestAlgorithm;
  expires?: ExpiresPolicy;
  onEvent?: (event: RegistrarEvent) => void;
}

export const DEFAULT_EXPIRES: ExpiresPolicy = { min: 60, max: 3600, default: 600 };

/** The account a REGISTER proved, set by digestAuth for the steps after it. */
export interface AuthenticatedAccount {
  userId: string;
  username: string;
}

const authenticated = new WeakMap<Srf.SrfRequest, AuthenticatedAccount>();

export function authenticatedAccount(req: Srf.SrfRequest): AuthenticatedAccount | null {
  return authenticated.get(req) ?? null;
}

function sourceOf(req: Srf.SrfRequest): string {
  return String(req.source_address ?? '');
}

function emit(deps: RegistrarDeps, event: RegistrarEvent): void {
  try {
    deps.onEvent?.(event);
  } catch {
    // An observer's failure must not change the SIP answer.
  }
}

/** Known scanners get a bare 403 and nothing else (no challenge, no hint of accounts). */
export function rejectScanners(deps: RegistrarDeps): SipMiddleware {
  return (req, res, next) => {
    const scanner = scannerIn(req.get('User-Agent'));
    if (!scanner) return next();
    emit(deps, { type: 'scanner', sourceAddress: sourceOf(req), scanner });
    res.send(403);
  };
}

/** Registration only over the configured transports (TLS by default: SIP credentials never in clear). */
export function requireTransport(deps: RegistrarDeps): SipMiddleware {
  const allowed = new Set(deps.allowedTransports.map((t) => t.toLowerCase()));
  return (req, res, next) => {
    const transport = String(req.protocol ?? '').toLowerCase();
    if (allowed.has(transport)) return next();
    emit(deps, { type: 'transport_refused', sourceAddress: sourceOf(req), transport });
    res.send(403);
  };
}

/** Blocked addresses and accounts get 403, the same whether the account exists or not. */
export function throttle(deps: RegistrarDeps): SipMiddleware {
  return (req, res, next) => {
    const source = sourceOf(req);
    if (!deps.throttle.isBlocked(source, digestUsername(req.get('Authorization')))) return next();
    emit(deps, { type: 'blocked', sourceAddress: source });
    res.send(403);
  };
}

/**
 * Digest authentication (RFC 7616, qop=auth) against the agent's SIP account. Every failure (unknown
 * user, wrong response, forged nonce, realm mismatch, replayed count) is counted by the throttle and
 * answered with the same fresh 401 challenge; an unknown username costs the same hash work as a known
 * one. An expired nonce is answered 401 stale=true and not counted. A right answer from a disabled,
 * frozen or non-agent user, or for another user's address of record, gets 403.
 */
export function digestAuth(deps: RegistrarDeps): SipMiddleware {
  const algorithm = deps.algorithm ?? 'MD5';
  const roles = new Set(deps.allowedRoles ?? ['agent']);
  const challenge = (res: Srf.SrfResponse, stale = false) =>
    res.send(401, { headers: { 'WWW-Authenticate': digestChallenge(deps.realm, deps.nonces.issue(), algorithm, stale) } });

  return (req, res, next) => {
    const source = sourceOf(req);
    const header = req.get('Authorization');
    if (!header) return challenge(res);
    const credentials = parseDigestAuthorization(header);
    const fail = (reason: Extract<RegistrarEvent, { type: 'auth_failed' }>['reason']) => {
      deps.throttle.recordFailure(source, credentials?.username ?? null);
      emit(deps, { type: 'auth_failed', sourceAddress: source, reason });
      challenge(res);
    };
    if (!credentials || credentials.algorithm !== algorithm || credentials.qop !== 'auth' || !credentials.nc || !credentials.cnonce) {
      return fail('malformed');
    }
    if (credentials.realm !== deps.realm) return fail('realm');
    const nonce = deps.nonces.check(credentials.nonce);
    if (nonce === 'invalid') return fail('bad_nonce');
    if (nonce === 'stale') return challenge(res, true);

    const run = async () => {
      const account = await deps.accounts.findByUsername(credentials.username);
      // Without an account the digest is still computed (against a throwaway secret), so timing does
      // not tell which usernames exist.
      const secret = account ? await account.secret.reveal() : 'no-such-account';
      const expected = digestResponse({
        username: credentials.username,
        realm: deps.realm,
        password: secret,
        method: req.method,
        uri: credentials.uri,
        nonce: credentials.nonce,
        algorithm,
        qop: { nc: credentials.nc!, cnonce: credentials.cnonce! },
      });
      const matches = digestsEqual(expected, credentials.response);
      if (!account) return fail('unknown_user');
      if (!matches) return fail('bad_response');
      if (!deps.nonces.acceptCount(credentials.nonce, credentials.nc!)) return fail('replay');

      const refuse = (reason: Extract<RegistrarEvent, { type: 'refused' }>['reason']) => {
        emit(deps, { type: 'refused', sourceAddress: source, userId: account.userId, reason });
        res.send(403);
      };
      if (!account.active) return refuse('disabled');
      if (account.frozen) return refuse('frozen');
      if (!roles.has(account.role)) return refuse('role');
      if (aorUser(req) !== credentials.username) return refuse('aor_mismatch');

      deps.throttle.recordSuccess(source, credentials.username);
      authenticated.set(req, { userId: account.userId, username: account.username });
      next();
    };
    run().catch(() => {
      emit(deps, { type: 'error', sourceAddress: source, stage: 'auth' });
      if (!res.finalResponseSent) res.send(500);
    });
  };
}

/** The user part of the To header's URI: the address of record being registered. */
function aorUser(req: Srf.SrfRequest): string | null {
  try {
    const to = req.getParsedHeader('To');
    return Srf.parseUri(to.uri)?.user ?? null;
  } catch {
    return null;
  }
}

const MAX_CONTACT = 512;
const MAX_USER_AGENT = 255;

function requestedExpires(req: Srf.SrfRequest, contactExpires: string | undefined, policy: ExpiresPolicy): number | null {
  const raw = contactExpires ?? req.get('Expires');
  if (raw === undefined || raw === null || raw === '') return policy.default;
  if (!/^\d{1,10}$/.test(String(raw).trim())) return null;
  return Number(String(raw).trim());
}

/**
 * Stores (or removes) the authenticated agent's binding and answers 200 with it. One binding per
 * agent: a new phone replaces the previous one. Expires: 0 (or Contact: *) removes it; an
 * un-REGISTER naming another contact than the current one leaves the current one in place.
 */
export function register(deps: RegistrarDeps): SipMiddleware {
  const policy = deps.expires ?? DEFAULT_EXPIRES;
  return (req, res, next) => {
    const account = authenticatedAccount(req);
    if (!account) return next(new Error('register middleware reached without digestAuth'));
    const source = sourceOf(req);
    const sourceAddress = `${source}:${req.source_port}`;

    const run = async () => {
      const now = deps.clock.now();
      const rawContact = req.get('Contact');
      if (!rawContact) {
        // A query for the current bindings.
        const current = await deps.registrations.findContact(account.userId, now);
        const left = current ? Math.max(0, Math.round((current.expiresAt.getTime() - now.getTime()) / 1000)) : 0;
        return res.send(200, current ? { headers: { Contact: `<${current.contact}>;expires=${left}` } } : {});
      }
      let contacts: { uri: string; params: Record<string, string | null> }[];
      try {
        contacts = req.getParsedHeader('Contact') as unknown as { uri: string; params: Record<string, string | null> }[];
      } catch {
        return res.send(400);
      }
      const first = contacts[0];
      if (!first) return res.send(400);
      const expires = requestedExpires(req, first.params?.expires ?? undefined, policy);
      if (expires === null) return res.send(400);

      if (first.uri === '*') {
        if (expires !== 0) return res.send(400);
        await deps.registrations.remove(account.userId);
        emit(deps, { type: 'unregistered', sourceAddress: source, userId: account.userId });
        return res.send(200);
      }
      if (!/^sips?:/i.test(first.uri) || first.uri.length > MAX_CONTACT) return res.send(400);
      if (expires === 0) {
        await deps.registrations.remove(account.userId, first.uri);
        emit(deps, { type: 'unregistered', sourceAddress: source, userId: account.userId });
        return res.send(200);
      }
      if (expires < policy.min) return res.send(423, { headers: { 'Min-Expires': String(policy.min) } });
      const granted = Math.min(expires, policy.max);
      await deps.registrations.upsert({
        userId: account.userId,
        contact: first.uri,
        sourceAddress,
        transport: String(req.protocol ?? '').toLowerCase(),
        userAgent: cleanUserAgent(req.get('User-Agent')),
        registeredAt: now,
        expiresAt: new Date(now.getTime() + granted * 1000),
      });
      emit(deps, { type: 'registered', sourceAddress: source, userId: account.userId, transport: String(req.protocol ?? ''), expiresSeconds: granted });
      res.send(200, { headers: { Contact: `<${first.uri}>;expires=${granted}`, Expires: String(granted) } });
    };
    run().catch(() => {
      emit(deps, { type: 'error', sourceAddress: source, stage: 'register' });
      if (!res.finalResponseSent) res.send(500);
    });
  };
}

function cleanUserAgent(value: string | undefined): string | null {
  if (!value) return null;
  const printable = value.replace(/[^\x20-\x7e]/g, '').trim();
  return printable ? printable.slice(0, MAX_USER_AGENT) : null;
}

/** The registrar, in order: scanners, transport, throttle, digest, binding. */
export function registrarChain(deps: RegistrarDeps): SipMiddleware[] {
  return [rejectScanners(deps), requireTransport(deps), throttle(deps), digestAuth(deps), register(deps)];
}

/** Installs the registrar on an Srf (pass it as DrachtioConnection's `configure`, or call from it). */
export function installRegistrar(srf: Srf, deps: RegistrarDeps): void {
  for (const step of registrarChain(deps)) srf.use('register', step as Parameters<Srf['use']>[1]);
}
