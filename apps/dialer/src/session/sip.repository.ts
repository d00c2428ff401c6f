/** One established SIP dialog as the call session sees it. */
export interface SipLeg {
  readonly callId: string;
  /** The far end's tag: rtpengine's to-tag for this leg. */
  readonly remoteTag: string;
  readonly remoteSdp: string;
  /** A re-INVITE with a new offer; resolves with the far end's answer. */
  modify(sdp: string): Promise<string>;
  /** Sends BYE (once; later calls do nothing). */
  hangUp(): Promise<void>;
  /** Called once when the far end hangs up. */
  onEnded(listener: () => void): void;
}

/** An answered INVITE sent without an offer: the far end offered, and waits for our answer in the ACK. */
export interface PendingLeg {
  readonly remoteSdp: string;
  readonly remoteTag: string;
  readonly callId: string;
  ack(answerSdp: string): Promise<SipLeg>;
  /** ACKs and hangs up at once (the answer could not be completed). */
  abandon(): Promise<void>;
}

export interface OutboundInvite {
  uri: string;
  sdp: string;
  callerId: string;
  auth: { username: string; password: string } | null;
  ringTimeoutSeconds: number;
  /** The call's own id, carried in a header so the CDR, logs and traces line up. */
  callId: string;
}

/** How a final non-2xx answer (or a ring timeout) is reported. */
export class SipFailure extends Error {
  constructor(
    readonly status: number | 'timeout',
    message = `SIP ${status}`,
  ) {
    super(message);
    this.name = 'SipFailure';
  }
}

/**
 * SIP control: the dialer's side effects on SIP, behind a port so the call session can be tested
 * without a SIP server. The real implementation drives drachtio-server through drachtio-srf.
 */
export abstract class SipRepository {
  /** INVITE with an offer; resolves when answered, rejects with SipFailure otherwise (timeout: CANCEL sent). */
  abstract invite(request: OutboundInvite, onRinging: () => void): Promise<SipLeg>;
  /** INVITE without an offer (third-party call control): the far end's 200 OK carries its offer. */
  abstract inviteWithoutOffer(uri: string, callId: string, ringTimeoutSeconds: number): Promise<PendingLeg>;
}
