import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { bdecode, bencode, BencodeValue } from './bencode';

export class RtpengineControlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RtpengineControlError';
  }
}

/** Pausing and resuming the recording of a live call, in rtpengine. */
export abstract class RtpengineControlRepository {
  abstract pauseRecording(callId: string): Promise<void>;
  abstract resumeRecording(callId: string): Promise<void>;
}

/** When RTPENGINE_NG is not configured: every call is refused. */
export class DisabledRtpengineControlRepository extends RtpengineControlRepository {
  pauseRecording(): Promise<void> {
    return Promise.reject(new RtpengineControlError('rtpengine control is not configured'));
  }

  resumeRecording(): Promise<void> {
    return this.pauseRecording();
  }
}

const TIMEOUT_MS = 1500;
const ATTEMPTS = 2;

/**
 * rtpengine's ng protocol over UDP: "<cookie> <bencoded dictionary>", answered with the same cookie.
 * "pause recording" (newer rtpengine; not in 10.5) stops writing the call's packets but keeps its pcap and metadata
 * open, so the pause is a gap in one recording; "start recording" resumes it.
 */
export class NgRtpengineControlRepository extends RtpengineControlRepository {
  private readonly host: string;
  private readonly port: number;

  constructor(address: string) {
    super();
    const match = /^(.+):(\d{1,5})$/.exec(address);
    if (!match) throw new Error('RTPENGINE_NG must be host:port');
    this.host = match[1].replace(/^\[(.*)\]$/, '$1');
    this.port = Number(match[2]);
  }

  async pauseRecording(callId: string): Promise<void> {
    await this.command({ command: 'pause recording', 'call-id': callId });
  }

  async resumeRecording(callId: string): Promise<void> {
    await this.command({ command: 'start recording', 'call-id': callId });
  }

  private async command(message: { [key: string]: BencodeValue }): Promise<{ [key: string]: BencodeValue }> {
    let lastError: Error = new RtpengineControlError('no answer from rtpengine');
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        const reply = await this.exchange(message);
        if (reply.result !== 'ok') throw new RtpengineControlError(`rtpengine answered ${String(reply.result)}: ${String(reply['error-reason'] ?? '')}`);
        return reply;
      } catch (error) {
        lastError = error as Error;
        if (error instanceof RtpengineControlError && !/no answer/.test(error.message)) throw error;
      }
    }
    throw lastError;
  }

  private exchange(message: { [key: string]: BencodeValue }): Promise<{ [key: string]: BencodeValue }> {
    const cookie = randomBytes(8).toString('hex');
    const socket = createSocket(this.host.includes(':') ? 'udp6' : 'udp4');
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => finish(new RtpengineControlError('no answer from rtpengine')), TIMEOUT_MS);
      const finish = (error: Error | null, reply?: { [key: string]: BencodeValue }) => {
        clearTimeout(timer);
        socket.close();
        if (error) reject(error);
        else resolve(reply!);
      };
      socket.on('error', (error) => finish(error));
      socket.on('message', (data) => {
        const space = data.indexOf(0x20);
        if (space < 0 || data.toString('ascii', 0, space) !== cookie) return; // not ours
        try {
          const reply = bdecode(data.subarray(space + 1));
          if (typeof reply !== 'object' || Array.isArray(reply) || Buffer.isBuffer(reply)) throw new RtpengineControlError('malformed answer');
          finish(null, reply);
        } catch (error) {
          finish(error as Error);
        }
      });
      socket.send(Buffer.concat([Buffer.from(`${cookie} `), bencode(message)]), this.port, this.host);
    });
  }
}
