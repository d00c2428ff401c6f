import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Role } from '@app/domain';

/** What a ticket stands for: one user's session, one recording, until a moment. */
export interface PlaybackTicketRecord {
  userId: string;
  role: Role;
  sessionId: string;
  recordingId: string;
  expiresAt: Date;
}

/**
 * Playback tickets, keyed by the SHA-256 of the ticket (the ticket itself is never kept). They live
 * at most a minute, so memory is enough; a recording app run as several instances behind one
 * address would need a shared store (or sticky routing) here.
 */
export abstract class PlaybackTicketRepository {
  abstract save(ticketHash: string, record: PlaybackTicketRecord): Promise<void>;
  abstract find(ticketHash: string): Promise<PlaybackTicketRecord | null>;
  abstract deleteExpired(now: Date): Promise<void>;
}

/** Bounded: a flood of ticket requests cannot grow the process without limit. */
const MAX_TICKETS = 10_000;

export class InMemoryPlaybackTicketRepository extends PlaybackTicketRepository {
  private readonly tickets = new Map<string, PlaybackTicketRecord>();

  async save(ticketHash: string, record: PlaybackTicketRecord): Promise<void> {
    if (this.tickets.size >= MAX_TICKETS) {
      // Oldest first: Map keeps insertion order.
      const oldest = this.tickets.keys().next().value;
      if (oldest !== undefined) this.tickets.delete(oldest);
    }
    this.tickets.set(ticketHash, { ...record });
  }

  async find(ticketHash: string): Promise<PlaybackTicketRecord | null> {
    const found = this.tickets.get(ticketHash);
    return found ? { ...found } : null;
  }

  async deleteExpired(now: Date): Promise<void> {
    for (const [hash, record] of this.tickets) {
      if (record.expiresAt.getTime() <= now.getTime()) this.tickets.delete(hash);
    }
  }
}

/** Whether the session a ticket was issued to still stands: not revoked or expired, user active and not frozen. */
export abstract class PlaybackSessionRepository {
  abstract isLive(sessionId: string, userId: string, now: Date): Promise<boolean>;
}

@Injectable()
export class TypeormPlaybackSessionRepository extends PlaybackSessionRepository {
  constructor(private readonly db: DataSource) {
    super();
  }

  async isLive(sessionId: string, userId: string, now: Date): Promise<boolean> {
    const rows: Array<{ ok: number }> = await this.db.query(
      `SELECT 1 AS ok FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.id = ? AND u.id = ? AND s.revoked_at IS NULL AND s.expires_at > ?
          AND u.status = 'active' AND u.frozen_at IS NULL`,
      [sessionId, userId, now],
    );
    return rows.length === 1;
  }
}
