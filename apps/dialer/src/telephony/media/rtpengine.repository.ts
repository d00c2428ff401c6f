import { MediaProfile } from './media-profile';

export type { MediaProfile } from './media-profile';

/** One SDP through rtpengine. `profile` is that of the party that receives the SDP rtpengine returns. */
export interface MediaRequest {
  /** rtpengine's call id; the recording service files the recording under it. */
  callId: string;
  /** The tag of the party that made the offer (for an answer too: the offerer's tag). */
  fromTag: string;
  sdp: string;
  profile: MediaProfile;
  /** Records the call to pcap (rtpengine's "record call"); the recording service ingests it. */
  record?: boolean;
  /**
   * A name for the party whose SDP this is (offer: the from-tag's party, answer: the to-tag's),
   * shown in rtpengine's logs and query output, e.g. 'customer' or 'agent'. Never personal data.
   */
  label?: string;
  /**
   * Strong SDES suites to leave out as well, e.g. all but the suite the other leg already uses, so a
   * re-offer keeps SRTP passing through unchanged. Names must be suites rtpengine knows.
   */
  excludeSuites?: readonly string[];
}

export interface MediaAnswerRequest extends MediaRequest {
  /** The tag of the answering party. */
  toTag: string;
}

/** A listener (a manager's phone) receiving a copy of a live call's media. */
export interface SubscriptionRequest {
  callId: string;
  /** The parties to listen to, or 'all' for both legs. */
  fromTags: readonly string[] | 'all';
  /** The listener's profile. */
  profile: MediaProfile;
  /** The listener's tag; rtpengine makes one up when absent. */
  toTag?: string;
}

export interface Subscription {
  toTag: string;
  fromTags: string[];
  /** A sendonly offer for the listener. */
  sdp: string;
}

export type RtpengineFailure = 'timeout' | 'refused' | 'transport';

/** rtpengine did not do what was asked. Messages never carry SDP, keys or addresses. */
export class RtpengineException extends Error {
  constructor(
    readonly failure: RtpengineFailure,
    message: string,
  ) {
    super(message);
    this.name = 'RtpengineException';
  }
}

/**
 * rtpengine as the dialer uses it: every SDP of every leg goes through it, so the parties see only
 * rtpengine and each leg gets the media profile it needs (SRTP toward phones, whatever the carrier
 * speaks toward the carrier). Implementations also enforce the SRTP policy (sdp-crypto-policy.ts) on
 * what goes in and what comes out, and reject with SrtpPolicyException when it does not hold.
 */
export abstract class RtpengineRepository {
  /** Resolves with the SDP to send to the party with `request.profile`. */
  abstract offer(request: MediaRequest): Promise<string>;
  /** Resolves with the SDP to send back to the offerer (whose profile is `request.profile`). */
  abstract answer(request: MediaAnswerRequest): Promise<string>;
  /** Releases the call (or one party of it); an unknown call is not an error. */
  abstract delete(callId: string, fromTag?: string): Promise<void>;
  abstract ping(): Promise<void>;
  abstract startRecording(callId: string): Promise<void>;
  /** In pcap mode this finishes the call's recording files (10.5 has no "pause recording"). */
  abstract stopRecording(callId: string): Promise<void>;
  /**
   * Plays a file rtpengine can read to the party with `tag`; resolves with its length in ms when
   * rtpengine could tell, else null.
   */
  abstract playMedia(callId: string, tag: string, file: string): Promise<number | null>;
  abstract stopMedia(callId: string, tag: string): Promise<void>;
  /** Starts a listen-in: rtpengine's "subscribe request" (10.5 has it). */
  abstract subscribe(request: SubscriptionRequest): Promise<Subscription>;
  /** Completes a listen-in with the listener's answer. */
  abstract subscribeAnswer(callId: string, toTag: string, sdp: string, profile: MediaProfile): Promise<void>;
  abstract unsubscribe(callId: string, toTag: string): Promise<void>;
  /**
   * Where the party with `tag` sends its media from, as rtpengine sees it ("ip:port", "[ipv6]:port"),
   * or null when unknown. The recording service tells the customer's stream apart by it.
   */
  abstract mediaEndpoint(callId: string, tag: string): Promise<string | null>;
  /** Releases the control socket. */
  abstract close(): void;
}
