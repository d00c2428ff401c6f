import { Logger } from '@nestjs/common';
import { AgentStateService } from '../agents/agent-state.service';
import { DialerCallRepository } from '../calls/dialer-call.repository';
import { RecordingClient } from '../recording/recording.client';
import { RtpengineRepository } from '../telephony/media/rtpengine.repository';
import { RegistrationRepository } from '../telephony/registrar/registration.repository';
import { chooseCallerId } from '../telephony/trunks/caller-id';
import { classifySipFinal } from '../telephony/trunks/sip-outcome';
import { TrunkSelector } from '../telephony/trunks/trunk-selector';
import { trunkUri } from '../telephony/trunks/trunk.types';
import { CallOutcome } from './call-outcome';
import { MediaProfile, SessionAgents, SessionBookkeeping, SessionMedia, SessionResult, SessionRouting, TrunkRoute } from './call-session.ports';

/** rtpengine as the call session's media. */
export class RtpengineSessionMedia implements SessionMedia {
  constructor(
    private readonly rtpengine: RtpengineRepository,
    /** The abandon message, a file on rtpengine's host; empty: none. */
    private readonly abandonMessageFile: string,
  ) {}

  offer(callId: string, fromTag: string, sdp: string, toward: MediaProfile, record: boolean): Promise<string> {
    return this.rtpengine.offer({ callId, fromTag, sdp, profile: toward, record });
  }

  answer(callId: string, fromTag: string, toTag: string, sdp: string, toward: MediaProfile, record: boolean): Promise<string> {
    return this.rtpengine.answer({ callId, fromTag, toTag, sdp, profile: toward, record });
  }

  async playAbandonMessage(callId: string, _fromTag: string, toTag: string): Promise<number | null> {
    if (!this.abandonMessageFile) return null;
    return this.rtpengine.playMedia(callId, toTag, this.abandonMessageFile);
  }

  delete(callId: string): Promise<void> {
    return this.rtpengine.delete(callId);
  }
}

/** Trunks by priority and limits, failover by the SIP answer. */
export class TrunkSessionRouting implements SessionRouting {
  constructor(private readonly selector: TrunkSelector) {}

  async next(campaignCallerIds: string[], number: string, tried: readonly string[]): Promise<TrunkRoute | null> {
    const lease = this.selector.acquire({ tried, eligible: (t) => chooseCallerId(t, campaignCallerIds) !== null });
    if (!lease) return null;
    const trunk = lease.trunk;
    try {
      const password = trunk.authPassword ? await trunk.authPassword.reveal() : null;
      return {
        trunk: trunk.id,
        uri: trunkUri(trunk, number),
        callerId: chooseCallerId(trunk, campaignCallerIds)!,
        auth: trunk.authUsername && password ? { username: trunk.authUsername, password } : null,
        // SRTP towards TLS carriers; plain RTP only for trunks configured over TCP or UDP.
        media: trunk.transport === 'tls' ? 'srtp-sdes' : 'rtp',
        release: () => lease.release(),
      };
    } catch (err) {
      lease.release();
      throw err;
    }
  }

  classify(status: number | 'timeout', ringing: boolean): { outcome: CallOutcome; failover: boolean } {
    // A timeout after the customer's phone rang is not retried elsewhere: they would ring twice.
    const c = classifySipFinal(status, { ringing });
    return { outcome: c.outcome as CallOutcome, failover: c.failover };
  }
}

/** Agents' states and where their phones are registered. */
export class AgentSessionAgents implements SessionAgents {
  constructor(
    private readonly agents: AgentStateService,
    private readonly registrations: RegistrationRepository,
    private readonly wrapUpSeconds: number,
    private readonly now: () => Date,
  ) {}

  async reserveAny(campaignId: string, callId: string): Promise<string | null> {
    return (await this.agents.reserveAny(campaignId, callId))?.userId ?? null;
  }

  async contact(agentId: string): Promise<string | null> {
    return (await this.registrations.findContact(agentId, this.now()))?.contact ?? null;
  }

  async connected(agentId: string, callId: string): Promise<void> {
    await this.agents.connected(agentId, callId);
  }

  async wrapUp(agentId: string, callId: string): Promise<void> {
    await this.agents.wrapUp(agentId, callId, this.wrapUpSeconds);
  }

  async release(agentId: string, callId: string): Promise<void> {
    await this.agents.release(agentId, callId);
  }
}

/** The CDR as the call goes, and the recording service told which leg is the customer's. */
export class CallBookkeeping implements SessionBookkeeping {
  private readonly log = new Logger(CallBookkeeping.name);

  constructor(
    private readonly calls: DialerCallRepository,
    private readonly recording: RecordingClient,
  ) {}

  ringing(callId: string, at: Date, trunk: string): Promise<void> {
    return this.calls.markRinging(callId, at, trunk);
  }

  answered(callId: string, at: Date): Promise<void> {
    return this.calls.markAnswered(callId, at);
  }

  bridged(callId: string, at: Date, agentId: string): Promise<void> {
    return this.calls.markBridged(callId, at, agentId);
  }

  async finished(callId: string, r: SessionResult): Promise<void> {
    await this.calls.close(callId, {
      endedAt: r.endedAt ?? new Date(),
      outcome: r.outcome,
      sipStatus: r.sipStatus,
      trunk: r.trunk,
      recordingId: null,
    });
  }

  async recordingStarted(callId: string, campaignId: string, agentId: string, customerAddress: string | null, at: Date): Promise<void> {
    try {
      await this.recording.registerCall({ callId, campaignId, agentUserId: agentId, customerAddress, startedAt: at });
    } catch (err) {
      this.log.warn(`call ${callId}: recording registration failed (${err instanceof Error ? err.message : 'error'})`);
      throw err;
    }
  }
}
