import { Client, NgDictionary, NgTarget, NgValue } from 'rtpengine-client';
import { MediaProfile } from './media-profile';
import {
  MediaAnswerRequest,
  MediaRequest,
  RtpengineException,
  RtpengineRepository,
  Subscription,
  SubscriptionRequest,
} from './rtpengine.repository';
import { profileFlags } from './rtpengine-flags';
import { assertMediaProfile, enforceStrongSrtp } from './sdp-crypto-policy';

export interface NgRtpengineOptions {
  host: string;
  port: number;
  /** How long each command waits for rtpengine's reply. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 2000;

/**
 * rtpengine-client's UDP client, minus one habit: a reply that arrives after its command timed out is
 * printed by the library with console.log, SDP and SRTP keys included. Here it is dropped quietly
 * (the command already failed). Relies on the internals of rtpengine-client 0.4.x, declared in
 * rtpengine-client.d.ts.
 */
class QuietClient extends Client {
  lateReplies = 0;

  protected override _onParsedMessage(message: { id: string; data: NgDictionary }): void {
    if (!this.messages.has(message.id)) {
      this.lateReplies += 1;
      return;
    }
    super._onParsedMessage(message);
  }
}

function str(value: NgValue | undefined): string | null {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return null;
}

function dict(value: NgValue | undefined): NgDictionary | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !Buffer.isBuffer(value) ? value : null;
}

/** An ng "delete" of a call rtpengine no longer has is a success: the resources are gone either way. */
function isUnknownCall(reason: string): boolean {
  return /not found|unknown call/i.test(reason);
}

/**
 * rtpengine over its ng protocol (UDP, bencode) through rtpengine-client. Each SDP going in has its
 * weak SDES lines removed first, and each SDP coming out is checked against the receiving party's
 * profile, so a misconfigured rtpengine cannot put plaintext or NULL-cipher media on an SRTP leg.
 *
 * Commands are not retried: a retried offer would carry a new cookie and be a new command to
 * rtpengine; the call session fails the attempt instead.
 */
export class NgRtpengineRepository extends RtpengineRepository {
  private readonly client: QuietClient;
  private readonly target: NgTarget;
  private readonly timeoutMs: number;
  private socketErrors = 0;

  constructor(options: NgRtpengineOptions) {
    super();
    this.target = { host: options.host, port: options.port };
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.client = new QuietClient({ timeout: this.timeoutMs });
    // Socket errors and undecodable datagrams surface as 'error' events; unheard, they would crash
    // the process. The commands they concern fail by timeout. The event's text may quote the
    // datagram, so it is not logged.
    this.client.on('error', () => {
      this.socketErrors += 1;
    });
  }

  /** Replies that came after their command had timed out, and socket errors, since start. */
  get diagnostics(): { lateReplies: number; socketErrors: number } {
    return { lateReplies: this.client.lateReplies, socketErrors: this.socketErrors };
  }

  async offer(request: MediaRequest): Promise<string> {
    const reply = await this.command('offer', {
      ...this.mediaOptions(request),
      'call-id': request.callId,
      'from-tag': request.fromTag,
      sdp: enforceStrongSrtp(request.sdp),
    });
    return this.checked(reply, request.profile, request.excludeSuites);
  }

  async answer(request: MediaAnswerRequest): Promise<string> {
    const reply = await this.command('answer', {
      ...this.mediaOptions(request),
      'call-id': request.callId,
      'from-tag': request.fromTag,
      'to-tag': request.toTag,
      sdp: enforceStrongSrtp(request.sdp),
    });
    return this.checked(reply, request.profile, request.excludeSuites);
  }

  async delete(callId: string, fromTag?: string): Promise<void> {
    await this.command('delete', { 'call-id': callId, ...(fromTag ? { 'from-tag': fromTag } : {}) }, isUnknownCall);
  }

  async ping(): Promise<void> {
    const reply = await this.send('ping', {});
    if (reply.result !== 'pong') throw new RtpengineException('refused', `rtpengine answered ping with ${String(str(reply.result))}`);
  }

  async startRecording(callId: string): Promise<void> {
    await this.command('startRecording', { 'call-id': callId });
  }

  async stopRecording(callId: string): Promise<void> {
    await this.command('stopRecording', { 'call-id': callId });
  }

  async playMedia(callId: string, tag: string, file: string): Promise<number | null> {
    const reply = await this.command('playMedia', { 'call-id': callId, 'from-tag': tag, file });
    return typeof reply.duration === 'number' ? reply.duration : null;
  }

  async stopMedia(callId: string, tag: string): Promise<void> {
    await this.command('stopMedia', { 'call-id': callId, 'from-tag': tag });
  }

  async subscribe(request: SubscriptionRequest): Promise<Subscription> {
    const { flags: profileFlagList, ...flags } = profileFlags(request.profile);
    const selection: NgDictionary =
      request.fromTags === 'all' ? { flags: ['all', ...list(profileFlagList)] } : { 'from-tags': [...request.fromTags], flags: list(profileFlagList) };
    const reply = await this.command('subscribeRequest', {
      ...flags,
      ...selection,
      'call-id': request.callId,
      ...(request.toTag ? { 'to-tag': request.toTag } : {}),
    });
    const toTag = str(reply['to-tag']);
    if (!toTag) throw new RtpengineException('refused', 'rtpengine answered subscribe request without a to-tag');
    const fromTags = Array.isArray(reply['from-tags']) ? reply['from-tags'].map(str).filter((t): t is string => t !== null) : [];
    return { toTag, fromTags, sdp: this.checked(reply, request.profile) };
  }

  async subscribeAnswer(callId: string, toTag: string, sdp: string, profile: MediaProfile): Promise<void> {
    const { flags: profileFlagList, ...flags } = profileFlags(profile);
    // A listener's phone may accept fewer codecs than the call uses; rtpengine then transcodes for it
    // instead of refusing the answer.
    await this.command('subscribeAnswer', {
      ...flags,
      flags: ['allow transcoding', ...list(profileFlagList)],
      'call-id': callId,
      'to-tag': toTag,
      sdp: enforceStrongSrtp(sdp),
    });
  }

  async unsubscribe(callId: string, toTag: string): Promise<void> {
    await this.command('unsubscribe', { 'call-id': callId, 'to-tag': toTag });
  }

  async mediaEndpoint(callId: string, tag: string): Promise<string | null> {
    const reply = await this.command('query', { 'call-id': callId });
    const party = dict(dict(reply.tags)?.[tag]);
    const medias = Array.isArray(party?.medias) ? party.medias : [];
    for (const media of medias) {
      const streams = dict(media)?.streams;
      for (const stream of Array.isArray(streams) ? streams : []) {
        const endpoint = dict(dict(stream)?.endpoint);
        const address = str(endpoint?.address);
        const port = endpoint?.port;
        if (address && typeof port === 'number' && port > 0) return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
      }
    }
    return null;
  }

  close(): void {
    this.client.close();
  }

  private mediaOptions(request: MediaRequest): NgDictionary {
    return {
      ...profileFlags(request.profile, request.excludeSuites),
      ...(request.record ? { 'record call': 'yes' } : {}),
      ...(request.label ? { label: request.label } : {}),
    };
  }

  /** The SDP of a reply, held to the SRTP policy and to the receiving party's profile. */
  private checked(reply: NgDictionary, profile: MediaProfile, excludeSuites: readonly string[] = []): string {
    const sdp = str(reply.sdp);
    if (!sdp) throw new RtpengineException('refused', 'rtpengine replied without an SDP');
    const strong = enforceStrongSrtp(sdp, excludeSuites);
    assertMediaProfile(strong, profile);
    return strong;
  }

  /** A command whose result must be 'ok' (or an error `tolerated` accepts). */
  private async command(name: CommandName, options: NgDictionary, tolerated?: (reason: string) => boolean): Promise<NgDictionary> {
    const reply = await this.send(name, options);
    const result = str(reply.result);
    if (result === 'ok') return reply;
    const reason = str(reply['error-reason']) ?? 'no reason given';
    if (result === 'error' && tolerated?.(reason)) return reply;
    throw new RtpengineException('refused', `rtpengine refused ${name}: ${reason}`);
  }

  private async send(name: CommandName | 'ping', options: NgDictionary): Promise<NgDictionary> {
    try {
      return name === 'ping' ? await this.client.ping(this.target) : await this.client[name](this.target, options);
    } catch (error) {
      if (error instanceof Error && /timeout/i.test(error.message)) {
        throw new RtpengineException('timeout', `rtpengine did not answer ${name} within ${this.timeoutMs} ms`);
      }
      const code = (error as { code?: unknown }).code;
      throw new RtpengineException('transport', `rtpengine ${name} could not be sent${typeof code === 'string' ? ` (${code})` : ''}`);
    }
  }
}

type CommandName =
  | 'offer'
  | 'answer'
  | 'delete'
  | 'query'
  | 'startRecording'
  | 'stopRecording'
  | 'playMedia'
  | 'stopMedia'
  | 'subscribeRequest'
  | 'subscribeAnswer'
  | 'unsubscribe';

function list(value: NgValue | undefined): NgValue[] {
  return Array.isArray(value) ? value : [];
}
