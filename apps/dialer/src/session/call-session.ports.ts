import { CallOutcome } from './call-outcome';

export type MediaProfile = 'srtp-sdes' | 'rtp';

/** rtpengine as the session uses it: every SDP of both legs goes through it. */
export interface SessionMedia {
  offer(callId: string, fromTag: string, sdp: string, toward: MediaProfile, record: boolean): Promise<string>;
  answer(callId: string, fromTag: string, toTag: string, sdp: string, toward: MediaProfile, record: boolean): Promise<string>;
  /** Plays the abandon message to the leg with `toTag`; resolves with its length in ms, or null when none is configured. */
  playAbandonMessage(callId: string, fromTag: string, toTag: string): Promise<number | null>;
  delete(callId: string): Promise<void>;
}

/** One way out to the customer: a trunk with a capacity slot taken, released with release(). */
export interface TrunkRoute {
  trunk: string;
  uri: string;
  callerId: string;
  auth: { username: string; password: string } | null;
  media: MediaProfile;
  release(): void;
}

export interface SessionRouting {
  /** The next trunk to try for this number, skipping those already tried; null when none is left. */
  next(campaignCallerIds: string[], number: string, tried: readonly string[]): Promise<TrunkRoute | null>;
  /** What a final SIP answer means, and whether another trunk should be tried. */
  classify(status: number | 'timeout', ringing: boolean): { outcome: CallOutcome; failover: boolean };
}

/** Agents as the session needs them. */
export interface SessionAgents {
  /** Any ready agent of the campaign, reserved for this call (predictive). */
  reserveAny(campaignId: string, callId: string): Promise<string | null>;
  /** Where the agent's phone is registered (a SIP URI), or null. */
  contact(agentId: string): Promise<string | null>;
  connected(agentId: string, callId: string): Promise<void>;
  wrapUp(agentId: string, callId: string): Promise<void>;
  release(agentId: string, callId: string): Promise<void>;
}

export interface CallTimes {
  startedAt: Date;
  ringAt: Date | null;
  answeredAt: Date | null;
  bridgedAt: Date | null;
  endedAt: Date | null;
}

export interface SessionResult extends CallTimes {
  outcome: CallOutcome;
  sipStatus: number | null;
  trunk: string | null;
  agentId: string | null;
  /** Seconds the customer and agent talked (pacing learns handle time from it). */
  talkSeconds: number;
}

/** The call's record, written as it goes (the CDR), and what becomes of the lead. */
export interface SessionBookkeeping {
  ringing(callId: string, at: Date, trunk: string): Promise<void>;
  answered(callId: string, at: Date): Promise<void>;
  bridged(callId: string, at: Date, agentId: string): Promise<void>;
  /** Closes the CDR; called exactly once per call, whatever happened. */
  finished(callId: string, result: SessionResult): Promise<void>;
  /** Tells the recording service which leg is the customer's, once the call is bridged and recorded. */
  recordingStarted(callId: string, campaignId: string, agentId: string, customerAddress: string | null, at: Date): Promise<void>;
}
