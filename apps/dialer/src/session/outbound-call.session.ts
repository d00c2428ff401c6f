import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { CallOutcome } from './call-outcome';
import { MediaProfile, SessionAgents, SessionBookkeeping, SessionMedia, SessionResult, SessionRouting, TrunkRoute } from './call-session.ports';
import { PendingLeg, SipFailure, SipLeg, SipRepository } from './sip.repository';

export interface OutboundCallParams {
  callId: string;
  campaignId: string;
  callerIds: string[];
  /** E.164; held only in memory for the life of the call, never logged. */
  number: string;
  /** Progressive and preview: the agent reserved before dialling. Predictive: null, found on answer. */
  agentId: string | null;
  record: boolean;
  ringTimeoutSeconds: number;
  agentWaitSeconds: number;
  agentRingTimeoutSeconds: number;
  agentMedia: MediaProfile;
}

export interface OutboundCallDeps {
  sip: SipRepository;
  media: SessionMedia;
  routing: SessionRouting;
  agents: SessionAgents;
  books: SessionBookkeeping;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
}

/**
 * Where rtpengine sends the agent side's media until an agent is bridged: the discard port on
 * loopback. The customer is offered SRTP from rtpengine from the first INVITE; this side never leaves
 * the media server's host.
 */
const PARKED_SDP = [
  'v=0',
  'o=- 1 1 IN IP4 127.0.0.1',
  's=-',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 9 RTP/AVP 0 8 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-16',
  'a=sendrecv',
  '',
].join('\r\n');

/**
 * One outbound call, from the first INVITE to the last BYE (jambonz-style call session). It owns the
 * customer leg, the agent leg, the rtpengine call and the CDR, and releases all of them on every exit
 * path: run() never throws, and finished() is called exactly once.
 *
 * Media: rtpengine is offered a parked agent side and offers SRTP to the carrier, so the carrier's
 * INVITE already carries rtpengine's SDP. On answer, the agent's phone is invited without an offer;
 * its offer goes through rtpengine as a re-offer from the agent side, the customer is re-INVITEd with
 * the result, and the customer's answer, through rtpengine, becomes the ACK to the agent. No media
 * flows around rtpengine, and recording starts only once the agent is there.
 */
export class OutboundCallSession {
  private readonly log = new Logger(OutboundCallSession.name);
  private readonly agentTag = `dialer-${randomBytes(6).toString('hex')}`;
  private customer: SipLeg | null = null;
  private agent: SipLeg | null = null;
  private agentId: string | null;
  private mediaOpen = false;
  private trunk: TrunkRoute | null = null;
  private readonly times: Omit<SessionResult, 'outcome' | 'sipStatus' | 'trunk' | 'agentId' | 'talkSeconds'>;
  private ended: Promise<void> | null = null;
  private endedResolve: (() => void) | null = null;

  constructor(
    private readonly params: OutboundCallParams,
    private readonly deps: OutboundCallDeps,
  ) {
    this.agentId = params.agentId;
    this.times = { startedAt: deps.now(), ringAt: null, answeredAt: null, bridgedAt: null, endedAt: null };
  }

  get callId(): string {
    return this.params.callId;
  }

  get currentAgentId(): string | null {
    return this.agentId;
  }

  /** Whether the customer has answered (pacing counts unanswered calls as in flight). */
  get answered(): boolean {
    return this.times.answeredAt !== null;
  }

  async run(): Promise<SessionResult> {
    let result: SessionResult;
    try {
      result = await this.place();
    } catch (err) {
      this.log.warn(`call ${this.params.callId} failed: ${err instanceof Error ? err.name : 'error'}`);
      result = this.result('failed', null);
    }
    await this.cleanUp();
    result.endedAt = result.endedAt ?? this.deps.now();
    try {
      await this.deps.books.finished(this.params.callId, result);
    } catch (err) {
      this.log.error(`call ${this.params.callId}: bookkeeping failed (${err instanceof Error ? err.message : 'error'})`);
    }
    return result;
  }

  /** Ends the call from outside (shutdown, manager): both legs hang up and run() completes. */
  async hangUp(): Promise<void> {
    await Promise.allSettled([this.customer?.hangUp(), this.agent?.hangUp()]);
    this.endedResolve?.();
  }

  /** Blind transfer of the customer to another agent: the new agent is bridged, then the old one released. */
  async transferTo(agentId: string): Promise<void> {
    if (!this.customer || !this.agent || !this.agentId) throw new Error('call not bridged');
    const previousAgent = this.agent;
    const previousId = this.agentId;
    const contact = await this.deps.agents.contact(agentId);
    if (!contact) throw new Error('agent not reachable');
    const pending = await this.deps.sip.inviteWithoutOffer(contact, this.params.callId, this.params.agentRingTimeoutSeconds);
    const leg = await this.bridge(pending);
    this.agent = leg;
    this.agentId = agentId;
    leg.onEnded(() => void this.customer?.hangUp().then(() => this.endedResolve?.()));
    await this.deps.agents.connected(agentId, this.params.callId);
    await previousAgent.hangUp();
    await this.deps.agents.wrapUp(previousId, this.params.callId);
  }

  private async place(): Promise<SessionResult> {
    const { callId } = this.params;
    const offer = await this.deps.media.offer(callId, this.agentTag, PARKED_SDP, 'srtp-sdes', false);
    this.mediaOpen = true;

    const tried: string[] = [];
    let lastStatus: number | 'timeout' = 503;
    let lastOutcome: CallOutcome = 'carrier_error';
    for (;;) {
      const route = await this.deps.routing.next(this.params.callerIds, this.params.number, tried);
      if (!route) break;
      tried.push(route.trunk);
      this.trunk = route;
      // The trunk decides the media profile: a plain RTP trunk (configured as such) gets a plain offer.
      let rang = false;
      const trunkOffer = route.media === 'srtp-sdes' ? offer : await this.deps.media.offer(callId, this.agentTag, PARKED_SDP, 'rtp', false);
      try {
        this.customer = await this.deps.sip.invite(
          { uri: route.uri, sdp: trunkOffer, callerId: route.callerId, auth: route.auth, ringTimeoutSeconds: this.params.ringTimeoutSeconds, callId },
          () => {
            rang = true;
            if (this.times.ringAt) return;
            this.times.ringAt = this.deps.now();
            void this.deps.books.ringing(callId, this.times.ringAt, route.trunk).catch(() => undefined);
          },
        );
        break;
      } catch (err) {
        route.release();
        this.trunk = null;
        if (!(err instanceof SipFailure)) throw err;
        lastStatus = err.status;
        const meaning = this.deps.routing.classify(err.status, rang);
        lastOutcome = meaning.outcome;
        if (!meaning.failover) break;
      }
    }
    if (!this.customer) {
      return this.result(lastOutcome, typeof lastStatus === 'number' ? lastStatus : null, tried.at(-1) ?? null);
    }

    const customer = this.customer;
    this.times.answeredAt = this.deps.now();
    await this.deps.books.answered(callId, this.times.answeredAt);
    const customerProfile = this.trunk!.media;
    await this.deps.media.answer(callId, this.agentTag, customer.remoteTag, customer.remoteSdp, 'rtp', false);
    this.ended = new Promise<void>((resolve) => (this.endedResolve = resolve));
    customer.onEnded(() => this.endedResolve?.());

    const agentId = this.agentId ?? (await this.waitForAgent());
    if (!agentId) return this.abandon();
    this.agentId = agentId;

    const contact = await this.deps.agents.contact(agentId);
    let pending: PendingLeg | null = null;
    if (contact) {
      try {
        pending = await this.deps.sip.inviteWithoutOffer(contact, callId, this.params.agentRingTimeoutSeconds);
      } catch {
        pending = null;
      }
    }
    if (!pending) {
      await this.deps.agents.release(agentId, callId);
      this.agentId = null;
      return this.abandon();
    }
    this.agent = await this.bridge(pending, customerProfile);
    this.times.bridgedAt = this.deps.now();
    await this.deps.agents.connected(agentId, callId);
    await this.deps.books.bridged(callId, this.times.bridgedAt, agentId);
    if (this.params.record) {
      await this.deps.books
        .recordingStarted(callId, this.params.campaignId, agentId, mediaAddress(customer.remoteSdp), this.times.bridgedAt)
        .catch(() => this.log.warn(`call ${callId}: the recording service was not told about the call`));
    }
    this.agent.onEnded(() => this.endedResolve?.());

    await this.ended;
    this.times.endedAt = this.deps.now();
    return this.result('answered', 200, this.trunk!.trunk);
  }

  /**
   * Third-party call control through rtpengine: the agent's offer becomes a re-offer to the customer,
   * whose answer (through rtpengine, toward the agent's profile) completes the agent's INVITE.
   */
  private async bridge(pending: PendingLeg, customerProfile: MediaProfile = this.trunk?.media ?? 'srtp-sdes'): Promise<SipLeg> {
    const { callId } = this.params;
    try {
      const reoffer = await this.deps.media.offer(callId, this.agentTag, pending.remoteSdp, customerProfile, this.params.record);
      const customerAnswer = await this.customer!.modify(reoffer);
      const agentAnswer = await this.deps.media.answer(callId, this.agentTag, this.customer!.remoteTag, customerAnswer, this.params.agentMedia, this.params.record);
      return await pending.ack(agentAnswer);
    } catch (err) {
      await pending.abandon().catch(() => undefined);
      throw err;
    }
  }

  /** Polls for a free agent until the wait allowed to a customer who answered runs out. */
  private async waitForAgent(): Promise<string | null> {
    const deadline = this.times.answeredAt!.getTime() + this.params.agentWaitSeconds * 1000;
    for (;;) {
      const agentId = await this.deps.agents.reserveAny(this.params.campaignId, this.params.callId);
      if (agentId) return agentId;
      if (this.deps.now().getTime() + 100 > deadline) return null;
      await this.deps.sleep(100);
    }
  }

  /** No agent in time: the customer hears the short message (when one is configured), then the call ends. */
  private async abandon(): Promise<SessionResult> {
    const customer = this.customer!;
    const ms = await this.deps.media.playAbandonMessage(this.params.callId, this.agentTag, customer.remoteTag).catch(() => null);
    if (ms) await Promise.race([this.deps.sleep(ms + 250), this.ended]);
    await customer.hangUp();
    this.times.endedAt = this.deps.now();
    return this.result('abandoned', 200, this.trunk!.trunk);
  }

  private async cleanUp(): Promise<void> {
    await Promise.allSettled([this.customer?.hangUp(), this.agent?.hangUp()]);
    if (this.mediaOpen) await this.deps.media.delete(this.params.callId).catch(() => undefined);
    this.mediaOpen = false;
    this.trunk?.release();
    this.trunk = null;
    if (this.agentId) {
      // Whichever applies: a connected agent wraps up, a reserved one is simply released.
      if (this.times.bridgedAt) await this.deps.agents.wrapUp(this.agentId, this.params.callId).catch(() => undefined);
      else await this.deps.agents.release(this.agentId, this.params.callId).catch(() => undefined);
    }
  }

  private result(outcome: CallOutcome, sipStatus: number | null, trunk: string | null = this.trunk?.trunk ?? null): SessionResult {
    const talkSeconds =
      this.times.bridgedAt && this.times.endedAt ? Math.max(0, (this.times.endedAt.getTime() - this.times.bridgedAt.getTime()) / 1000) : 0;
    return { ...this.times, outcome, sipStatus, trunk, agentId: this.times.bridgedAt ? this.agentId : null, talkSeconds };
  }
}

/** "ip:port" of the first audio stream of an SDP, as rtpengine sees the far end send from it. */
export function mediaAddress(sdp: string): string | null {
  const connection = /^c=IN IP[46] (\S+)/m.exec(sdp)?.[1];
  const port = /^m=audio (\d+)/m.exec(sdp)?.[1];
  if (!connection || !port) return null;
  return connection.includes(':') ? `[${connection}]:${port}` : `${connection}:${port}`;
}
