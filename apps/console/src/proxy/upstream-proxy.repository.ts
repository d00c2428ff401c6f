import { readFileSync } from 'node:fs';
import { Agent as HttpAgent, IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** The apps the console forwards to, by the first segment after /api/. */
export type UpstreamName = 'crm' | 'recording' | 'dialer';

export interface UpstreamRequest {
  method: string;
  /** Path and query, as the app itself serves it (without /api/<app>). */
  path: string;
  headers: OutgoingHttpHeaders;
  body: NodeJS.ReadableStream;
}

// Hop-by-hop headers (RFC 9110 §7.6.1) are for one connection only; cookies are not used by the console.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'cookie',
  'set-cookie',
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
]);

/** Copies the end-to-end headers only. */
export function endToEndHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name.toLowerCase())) out[name] = value;
  }
  return out;
}

/** Sends a request to one of the platform's apps and hands back its answer as a stream. */
export abstract class UpstreamProxyRepository {
  abstract forward(upstream: UpstreamName, request: UpstreamRequest, signal: AbortSignal): Promise<IncomingMessage>;
}

export class HttpUpstreamProxyRepository extends UpstreamProxyRepository {
  private readonly httpsAgent: HttpsAgent;
  private readonly httpAgent = new HttpAgent({ keepAlive: true });

  constructor(
    private readonly bases: Record<UpstreamName, string>,
    caFile: string,
  ) {
    super();
    this.httpsAgent = new HttpsAgent({ keepAlive: true, ca: caFile ? readFileSync(caFile) : undefined });
  }

  forward(upstream: UpstreamName, request: UpstreamRequest, signal: AbortSignal): Promise<IncomingMessage> {
    const url = new URL(request.path, this.bases[upstream]);
    const secure = url.protocol === 'https:';
    return new Promise((resolve, reject) => {
      const outgoing = (secure ? httpsRequest : httpRequest)(
        url,
        { method: request.method, headers: request.headers, agent: secure ? this.httpsAgent : this.httpAgent, signal },
        resolve,
      );
      outgoing.on('error', reject);
      request.body.pipe(outgoing);
    });
  }
}
