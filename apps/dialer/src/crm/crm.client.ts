import { readFileSync } from 'node:fs';
import { Agent, request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { TokenService } from '@app/auth';
import { ServiceName } from '@app/domain';
import { CallOutcome } from '../session/call-outcome';

export type DialRefusalReason = 'dnc' | 'no_consent' | 'erased' | 'not_found';
export type DialTarget = { allowed: true; number: string } | { allowed: false; reason: DialRefusalReason };

/** One CDR as the CRM stores it (POST /internal/call-records). Ids, codes and times only. */
export interface CallRecordReport {
  callId: string;
  leadId: string | null;
  campaignId: string;
  agentId: string | null;
  startedAt: Date;
  ringAt: Date | null;
  answeredAt: Date | null;
  bridgedAt: Date | null;
  endedAt: Date | null;
  outcome: CallOutcome;
  sipStatus: number | null;
  trunk: string | null;
  recordingId: string | null;
}

/** The CRM could not be asked (network, timeout, 5xx, or it does not accept our token): try again later. */
export class CrmUnavailableError extends Error {
  constructor(
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'CrmUnavailableError';
  }
}

/** The CRM answered and refused this request for what it contains: sending it again will not help. */
export class CrmRefusedError extends Error {
  constructor(readonly status: number) {
    super(`the CRM refused the request (${status})`);
    this.name = 'CrmRefusedError';
  }
}

/** The CRM as the dialer uses it. Errors never carry a phone number nor a response body. */
export abstract class CrmClient {
  /**
   * The number to dial for a reserved lead, after the CRM has checked DNC, consent and erasure again
   * (at dial time). Throws CrmUnavailableError when no answer could be had.
   */
  abstract dialTarget(leadId: string, campaignId: string, callId: string): Promise<DialTarget>;
  /** Idempotent by call id. Throws CrmRefusedError (the record is wrong) or CrmUnavailableError (try later). */
  abstract sendCallRecord(cdr: CallRecordReport): Promise<void>;
}

export interface HttpCrmClientOptions {
  /** crm-api's base URL, e.g. https://crm.internal:8443 */
  baseUrl: string;
  /** CA bundle that signed crm-api's certificate; the system's CAs when absent or empty. */
  tlsCaFile?: string;
  timeoutMs?: number;
}

const E164 = /^\+[1-9]\d{6,14}$/;
const REASONS: readonly DialRefusalReason[] = ['dnc', 'no_consent', 'erased', 'not_found'];
const MAX_RESPONSE_BYTES = 64 * 1024;
/** Answers that say nothing about the request itself: our token, throttling, the CRM's own trouble. */
const TRANSIENT = new Set([401, 403, 408, 425, 429]);

/** Over HTTPS (HTTP only for a configured http:// URL) with a 60-second service token per request. */
export class HttpCrmClient extends CrmClient {
  private readonly agent: Agent | undefined;
  private readonly timeoutMs: number;

  constructor(
    private readonly options: HttpCrmClientOptions,
    private readonly tokens: TokenService,
  ) {
    super();
    // Node's global fetch takes no per-client CA without the undici package; node:https does.
    this.agent = options.tlsCaFile ? new Agent({ ca: readFileSync(options.tlsCaFile), keepAlive: true }) : undefined;
    this.timeoutMs = options.timeoutMs ?? 5000;
  }

  async dialTarget(leadId: string, campaignId: string, callId: string): Promise<DialTarget> {
    const res = await this.post('/internal/dial-targets', { leadId, campaignId, callId });
    if (res.status !== 200 && res.status !== 201) throw unavailable('dial target', res.status);
    const body = res.body as { allowed?: unknown; number?: unknown; reason?: unknown } | null;
    if (body?.allowed === true && typeof body.number === 'string' && E164.test(body.number)) return { allowed: true, number: body.number };
    if (body?.allowed === false && REASONS.includes(body.reason as DialRefusalReason)) {
      return { allowed: false, reason: body.reason as DialRefusalReason };
    }
    throw new CrmUnavailableError('the CRM answered a dial target the dialer does not understand', res.status);
  }

  async sendCallRecord(cdr: CallRecordReport): Promise<void> {
    const iso = (d: Date | null) => (d ? d.toISOString() : undefined);
    const body = {
      callId: cdr.callId,
      leadId: cdr.leadId ?? undefined,
      campaignId: cdr.campaignId,
      agentId: cdr.agentId ?? undefined,
      startedAt: cdr.startedAt.toISOString(),
      ringAt: iso(cdr.ringAt),
      answeredAt: iso(cdr.answeredAt),
      bridgedAt: iso(cdr.bridgedAt),
      endedAt: iso(cdr.endedAt),
      outcome: cdr.outcome,
      sipStatus: cdr.sipStatus ?? undefined,
      trunk: cdr.trunk ?? undefined,
      recordingId: cdr.recordingId ?? undefined,
    };
    const res = await this.post('/internal/call-records', body);
    if (res.status === 200 || res.status === 201) return;
    if (res.status >= 400 && res.status < 500 && !TRANSIENT.has(res.status)) throw new CrmRefusedError(res.status);
    throw unavailable('call record', res.status);
  }

  private post(path: string, payload: object): Promise<{ status: number; body: unknown }> {
    const url = new URL(path, this.options.baseUrl);
    const data = JSON.stringify(payload);
    return new Promise((resolve, reject) => {
      const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
        url,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(data),
            accept: 'application/json',
            authorization: `Bearer ${this.tokens.issueServiceToken(ServiceName.Dialer, ServiceName.CrmApi)}`,
          },
          timeout: this.timeoutMs,
          ...(this.agent && url.protocol === 'https:' ? { agent: this.agent } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_RESPONSE_BYTES) req.destroy(new CrmUnavailableError('the CRM answered too much'));
            else chunks.push(chunk);
          });
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            let body: unknown = null;
            try {
              body = chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : null;
            } catch {
              body = null;
            }
            resolve({ status, body });
          });
          res.on('error', () => reject(new CrmUnavailableError('the CRM connection broke')));
        },
      );
      req.on('timeout', () => req.destroy(new CrmUnavailableError('the CRM did not answer in time')));
      // Transport errors are replaced: their messages can quote addresses and options, never needed here.
      req.on('error', (err) => reject(err instanceof CrmUnavailableError ? err : new CrmUnavailableError(`the CRM could not be reached (${errorCode(err)})`)));
      req.end(data);
    });
  }
}

function unavailable(what: string, status: number): CrmUnavailableError {
  return new CrmUnavailableError(`the CRM did not take the ${what} (${status})`, status);
}

function errorCode(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code) ? code : 'error';
}
