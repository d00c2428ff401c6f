import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService } from '@app/audit';
import { AccessService, AuthException, AuthExceptionCode, Permission, Principal, UserPrincipal } from '@app/auth';
import { Clock } from '@app/domain';
import { RequestContext } from '@app/http';
import { PlaybackSessionRepository, PlaybackTicketRepository } from './playback-ticket.repository';

/** How long a ticket opens a recording's audio. Browsers ask for ranges as the user seeks within it. */
export const PLAYBACK_TICKET_TTL_MS = 60_000;

export interface IssuedPlaybackTicket {
  ticket: string;
  expiresAt: Date;
}

/**
 * The browser's <audio> element cannot send an Authorization header, so it gets an opaque ticket
 * instead: random, short-lived, bound to the user's session and to one recording. Only its hash is
 * kept. Using it re-checks the session and the user's access, and every use is audited as that user.
 */
@Injectable()
export class PlaybackTicketService {
  constructor(
    private readonly access: AccessService,
    private readonly tickets: PlaybackTicketRepository,
    private readonly sessions: PlaybackSessionRepository,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  async issue(principal: Principal, recordingId: string): Promise<IssuedPlaybackTicket> {
    if (principal.kind !== 'user') throw new AuthException(AuthExceptionCode.Forbidden);
    try {
      await this.access.requireAccess(principal, Permission.RecordingPlay, recordingId);
    } catch (error) {
      await this.audit.record({ action: 'recording.playback_ticket', outcome: 'denied', targetType: 'recording', targetId: recordingId });
      throw error;
    }
    const now = this.clock.now();
    await this.tickets.deleteExpired(now);
    const ticket = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + PLAYBACK_TICKET_TTL_MS);
    await this.tickets.save(hashTicket(ticket), {
      userId: principal.userId,
      role: principal.role,
      sessionId: principal.sessionId,
      recordingId,
      expiresAt,
    });
    await this.audit.record({ action: 'recording.playback_ticket', outcome: 'success', targetType: 'recording', targetId: recordingId });
    return { ticket, expiresAt };
  }

  /**
   * The principal a ticket stands for, made the request's actor so the play is audited as that
   * user. Unknown, expired, for another recording, or of a session that ended: unauthenticated,
   * one answer for all, and audited.
   */
  async redeem(ticket: string | undefined, recordingId: string): Promise<UserPrincipal> {
    const now = this.clock.now();
    const found = typeof ticket === 'string' && ticket.length > 0 && ticket.length <= 128 ? await this.tickets.find(hashTicket(ticket)) : null;
    const valid =
      found !== null &&
      found.recordingId === recordingId &&
      found.expiresAt.getTime() > now.getTime() &&
      (await this.sessions.isLive(found.sessionId, found.userId, now));
    if (!valid) {
      const actor = found ? { type: 'user' as const, id: found.userId, role: found.role } : { type: 'anonymous' as const };
      await this.audit.record({
        action: 'recording.play',
        outcome: 'denied',
        actor,
        targetType: 'recording',
        targetId: recordingId,
        details: { via: 'ticket', reason: !found ? 'unknown_ticket' : found.recordingId !== recordingId ? 'other_recording' : 'expired_or_ended' },
      });
      throw new AuthException(AuthExceptionCode.Unauthenticated);
    }
    RequestContext.setActor({ type: 'user', id: found.userId, role: found.role, sessionId: found.sessionId });
    // The role's current permissions and the per-record rules are checked again by playback.
    return { kind: 'user', userId: found.userId, role: found.role, sessionId: found.sessionId, reauthAt: null };
  }
}

function hashTicket(ticket: string): string {
  return createHash('sha256').update(ticket).digest('hex');
}
