import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { Observable, Subject } from 'rxjs';
import { DataSource } from 'typeorm';
import { AgentState } from './agent-state.types';

export interface AgentFeedEvent {
  id: number;
  userId: string;
  state: AgentState;
  pauseReason: string | null;
  campaignId: string | null;
  callId: string | null;
  at: Date;
}

interface Row {
  id: string | number;
  user_id: string;
  state: AgentState;
  pause_reason: string | null;
  campaign_id: string | null;
  call_id: string | null;
  at: Date;
}

const POLL_MS = 500;

/**
 * Every agent state change, from every dialer instance, as a live stream: the events table is tailed
 * (by id) while anyone listens, so a console connected to one instance sees changes made by another.
 */
@Injectable()
export class AgentEventFeed implements OnModuleDestroy {
  private readonly subject = new Subject<AgentFeedEvent>();
  private listeners = 0;
  private lastId: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private polling = false;

  constructor(private readonly db: DataSource) {}

  events(): Observable<AgentFeedEvent> {
    return new Observable<AgentFeedEvent>((subscriber) => {
      const subscription = this.subject.subscribe(subscriber);
      this.listeners += 1;
      this.start();
      return () => {
        subscription.unsubscribe();
        this.listeners -= 1;
        if (this.listeners === 0) this.stop();
      };
    });
  }

  onModuleDestroy(): void {
    this.stop();
    this.subject.complete();
  }

  private start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.poll(), POLL_MS);
    void this.poll();
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.lastId = null;
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      if (this.lastId === null) {
        // Start from now: listeners get a snapshot of current states separately.
        const rows: { id: string | number | null }[] = await this.db.query('SELECT MAX(id) AS id FROM agent_state_events');
        this.lastId = Number(rows[0]?.id ?? 0);
        return;
      }
      const rows: Row[] = await this.db.query('SELECT * FROM agent_state_events WHERE id > ? ORDER BY id LIMIT 500', [this.lastId]);
      for (const r of rows) {
        this.lastId = Number(r.id);
        this.subject.next({
          id: Number(r.id),
          userId: r.user_id,
          state: r.state,
          pauseReason: r.pause_reason,
          campaignId: r.campaign_id,
          callId: r.call_id,
          at: r.at,
        });
      }
    } catch {
      // A database hiccup: the next poll picks up from the same id.
    } finally {
      this.polling = false;
    }
  }
}
