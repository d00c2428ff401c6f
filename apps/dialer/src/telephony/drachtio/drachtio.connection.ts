import type { ConnectionOptions } from 'node:tls';
import Srf from 'drachtio-srf';
import { Secret } from '@app/config';
import { BackoffOptions, backoffDelay } from '../backoff';
import { StateListeners } from '../state-listeners';

export type DrachtioState = 'connecting' | 'connected' | 'disconnected';

/** Why the last attempt failed or the last connection ended (for the status page; no secrets). */
export type DrachtioFailure = 'error' | 'closed' | 'auth' | 'timeout';

export interface DrachtioConnectionOptions {
  host: string;
  port: number;
  secret: Secret<string>;
  /** Control socket over TLS (drachtio-server's `<admin … tls-port>`); plain TCP when absent. */
  tls?: ConnectionOptions;
  backoff?: BackoffOptions;
  /** From opening the socket to drachtio accepting our secret. */
  attemptTimeoutMs?: number;
}

export interface DrachtioConnectionDeps {
  /** A fresh Srf per attempt (tests may wrap it). */
  createSrf?: () => Srf;
  /**
   * Installs the application on each new Srf before it connects (srf.use('register', …) and the
   * like), so a reconnected Srf serves the same routes.
   */
  configure?: (srf: Srf) => void;
  random?: () => number;
}

/** drachtio-srf's connect options beyond its typings (lib/wire-protocol.js reads them). */
interface SrfConnectOptions extends Srf.SrfConfig {
  reconnect?: { maxAttempts?: number };
  tls?: ConnectionOptions;
}

const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 250, maxMs: 15_000 };
const DEFAULT_ATTEMPT_TIMEOUT_MS = 10_000;

/**
 * The dialer's control connection to drachtio-server (an inbound connection: srf.connect).
 *
 * drachtio-srf 5.0.x reconnects by itself after a lost socket (150 ms × 1.7ⁿ, uncapped unless
 * configured, no jitter), but: it reconnects with plain TCP even when the first connection used TLS;
 * it never retries after drachtio refused the secret; and it cannot tell a server that accepted the
 * TCP connection but never answered. Rather than race it, its own retry is switched off through its
 * documented option (reconnect.maxAttempts = 1) and this class supervises instead: each attempt is a
 * new Srf, given the application by `configure`; a failed attempt or a lost connection is followed by
 * a new attempt after an exponential, jittered delay; an attempt that takes longer than
 * attemptTimeoutMs is abandoned.
 *
 * 'error' events are always listened to (an unheard EventEmitter 'error' would crash the process).
 * Calls in progress on a lost connection cannot continue on the next one: listeners of
 * onStateChange('disconnected') should end them.
 */
export class DrachtioConnection {
  private currentSrf: Srf | null = null;
  private currentState: DrachtioState = 'disconnected';
  private failures = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private running = false;
  private readonly listeners = new StateListeners<DrachtioState>();
  private readonly createSrf: () => Srf;
  private readonly random: () => number;
  private readonly backoff: BackoffOptions;
  private readonly attemptTimeoutMs: number;
  /** The SIP endpoints drachtio-server offers, as it announced them when we connected. */
  hostport: string | null = null;
  lastFailure: DrachtioFailure | null = null;
  /** Connection attempts made since start(), for supervision and tests. */
  attempts = 0;

  constructor(
    private readonly options: DrachtioConnectionOptions,
    private readonly deps: DrachtioConnectionDeps = {},
  ) {
    this.createSrf = deps.createSrf ?? (() => new Srf());
    this.random = deps.random ?? Math.random;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.attemptTimeoutMs = options.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;
  }

  get state(): DrachtioState {
    return this.currentState;
  }

  /** The Srf of the current (or latest) attempt; check `state` before starting a call with it. */
  get srf(): Srf {
    if (!this.currentSrf) throw new Error('drachtio connection not started');
    return this.currentSrf;
  }

  /** Whether a reconnect is waiting for its delay to pass. */
  get retryScheduled(): boolean {
    return this.retryTimer !== null;
  }

  onStateChange(listener: (state: DrachtioState) => void): () => void {
    return this.listeners.add(listener);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.attempt();
  }

  /** Closes the connection and stops reconnecting. */
  stop(): void {
    this.running = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.currentSrf) dispose(this.currentSrf);
    this.set('disconnected');
  }

  private attempt(): void {
    if (!this.running) return;
    const srf = this.createSrf();
    this.currentSrf = srf;
    this.attempts += 1;
    let connected = false;
    let over = false;

    const end = (failure: DrachtioFailure) => {
      if (over) return;
      over = true;
      clearTimeout(timeout);
      dispose(srf);
      // Superseded by a newer attempt: that one decides the state.
      if (srf !== this.currentSrf) return;
      this.lastFailure = failure;
      // A connection that was up retries at the shortest delay; failed attempts back off further.
      this.failures = connected ? 1 : this.failures + 1;
      this.set('disconnected');
      this.scheduleRetry(backoffDelay(this.failures - 1, this.backoff, this.random));
    };

    srf.on('error', () => {
      // The socket's error; its 'close' follows. Only the current attempt's errors count.
      if (srf === this.currentSrf) end('error');
    });
    // drachtio-srf emits 'close' (lib/srf.js forwards it from the wire protocol); its typings omit it.
    (srf as NodeJS.EventEmitter).on('close', () => {
      if (srf === this.currentSrf) end('closed');
    });
    srf.on('connect', (err: Error | null, hostport: string) => {
      if (over || srf !== this.currentSrf) {
        // An attempt given up on (or superseded) got through after all: drachtio-srf retried it
        // underneath. While nothing else is connected it is adopted; otherwise it is closed.
        if (err || !this.running || this.currentState === 'connected') {
          dispose(srf);
          return;
        }
        if (this.retryTimer) clearTimeout(this.retryTimer);
        this.retryTimer = null;
        const previous = this.currentSrf;
        this.currentSrf = srf;
        over = false;
        if (previous && previous !== srf) dispose(previous);
      }
      if (err) return end('auth');
      connected = true;
      clearTimeout(timeout);
      this.failures = 0;
      this.hostport = hostport ?? null;
      this.lastFailure = null;
      this.set('connected');
    });
    const timeout = setTimeout(() => end('timeout'), this.attemptTimeoutMs);

    this.deps.configure?.(srf);
    this.set('connecting');
    const options: SrfConnectOptions = {
      host: this.options.host,
      port: this.options.port,
      secret: this.options.secret.reveal(),
      reconnect: { maxAttempts: 1 },
      ...(this.options.tls ? { tls: this.options.tls } : {}),
    };
    void srf.connect(options);
  }

  private scheduleRetry(delayMs: number): void {
    if (!this.running || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.attempt();
    }, delayMs);
  }

  private set(state: DrachtioState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    this.listeners.emit(state);
  }
}

/**
 * Closes an Srf's socket. drachtio-srf's disconnect() asserts when no socket has been registered yet
 * (the TCP connection is still being made); that socket is then left to fail or to be closed when
 * its late 'connect' arrives.
 */
function dispose(srf: Srf): void {
  try {
    srf.disconnect();
  } catch {
    // Nothing connected yet; see above.
  }
}
