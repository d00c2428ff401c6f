import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { request as plainRequest } from 'node:http';
import { TokenService } from '@app/auth';
import { ServiceName } from '@app/domain';

export interface RecordedCall {
  callId: string;
  campaignId: string;
  agentUserId: string;
  customerAddress: string | null;
  startedAt: Date;
}

/** The recording service as the dialer uses it: which call is recorded, for which agent, and which leg is the customer's. */
export abstract class RecordingClient {
  abstract registerCall(call: RecordedCall): Promise<void>;
}

/** Over HTTPS with a 60-second service token (audience: the recording service). */
export class HttpRecordingClient extends RecordingClient {
  private readonly agent: Agent | undefined;

  constructor(
    private readonly baseUrl: string,
    private readonly tokens: TokenService,
    caFile = '',
  ) {
    super();
    this.agent = caFile ? new Agent({ ca: readFileSync(caFile) }) : undefined;
  }

  async registerCall(call: RecordedCall): Promise<void> {
    const body = JSON.stringify({
      callId: call.callId,
      campaignId: call.campaignId,
      agentUserId: call.agentUserId,
      ...(call.customerAddress ? { customerAddress: call.customerAddress } : {}),
      startedAt: call.startedAt.toISOString(),
    });
    const url = new URL('/recordings/calls', this.baseUrl);
    const status = await new Promise<number>((resolve, reject) => {
      const options = {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Bearer ${this.tokens.issueServiceToken(ServiceName.Dialer, ServiceName.Recording)}`,
        },
        timeout: 5000,
        ...(this.agent ? { agent: this.agent } : {}),
      };
      const req = (url.protocol === 'https:' ? request : plainRequest)(url, options, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('timeout', () => req.destroy(new Error('recording service timed out')));
      req.on('error', reject);
      req.end(body);
    });
    // 409: already registered (a retry); anything else but success is an error for the caller to log.
    if (status !== 201 && status !== 200 && status !== 204 && status !== 409) {
      throw new Error(`recording service answered ${status}`);
    }
  }
}
