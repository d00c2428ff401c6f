import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@app/domain';
import { CallRecordReport, CrmClient, CrmRefusedError } from '../crm/crm.client';
import { DialerCallRecord, DialerCallRepository, MAX_REPORT_REFUSALS } from './dialer-call.repository';

const BATCH = 50;
const FIRST_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 60_000;

export interface FlushResult {
  sent: number;
  refused: number;
  /** The CRM could not be reached: the rest waits for the next flush after the backoff. */
  deferred: boolean;
}

/**
 * The outbox of call records: every ended call in dialer_calls goes to the CRM, whose write is
 * idempotent by call id, so a record sent twice (a crash between send and mark) is still one record.
 * When the CRM cannot be reached nothing is lost: flushes wait out a growing backoff, and records stay
 * in the table until acknowledged. A record the CRM refuses for what it contains goes behind the others
 * and is left for an operator after MAX_REPORT_REFUSALS refusals.
 */
@Injectable()
export class CdrReporter {
  private readonly log = new Logger(CdrReporter.name);
  private running: Promise<FlushResult> | null = null;
  private backoffMs = 0;
  private notBefore = 0;

  constructor(
    private readonly calls: DialerCallRepository,
    private readonly crm: CrmClient,
    private readonly clock: Clock,
  ) {}

  /**
   * Sends what is waiting. Concurrent calls share one run. During a backoff it returns at once, unless
   * `force` (shutdown: one last try).
   */
  flush(options: { force?: boolean } = {}): Promise<FlushResult> {
    if (this.running) return this.running;
    if (!options.force && this.clock.now().getTime() < this.notBefore) return Promise.resolve({ sent: 0, refused: 0, deferred: true });
    this.running = this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(): Promise<FlushResult> {
    const result: FlushResult = { sent: 0, refused: 0, deferred: false };
    for (;;) {
      const batch = await this.calls.unreported(BATCH);
      let progressed = false;
      for (const record of batch) {
        try {
          await this.crm.sendCallRecord(toReport(record));
        } catch (err) {
          if (err instanceof CrmRefusedError) {
            await this.calls.markReportFailed(record.callId);
            result.refused += 1;
            const level = record.reportAttempts + 1 >= MAX_REPORT_REFUSALS ? 'error' : 'warn';
            this.log[level](`call record ${record.callId} refused by the CRM (${err.status}), refusal ${record.reportAttempts + 1}`);
            continue;
          }
          this.deferAfterFailure(err);
          result.deferred = true;
          return result;
        }
        await this.calls.markReported(record.callId, this.clock.now());
        result.sent += 1;
        progressed = true;
      }
      this.backoffMs = 0;
      this.notBefore = 0;
      // A short batch is the end; a batch of only refusals would come back the same, so stop there too.
      if (batch.length < BATCH || !progressed) return result;
    }
  }

  private deferAfterFailure(err: unknown): void {
    this.backoffMs = Math.min(MAX_BACKOFF_MS, this.backoffMs === 0 ? FIRST_BACKOFF_MS : this.backoffMs * 2);
    this.notBefore = this.clock.now().getTime() + this.backoffMs;
    this.log.warn(`call records wait for the CRM (${err instanceof Error ? err.message : 'error'}); next try in ${this.backoffMs} ms`);
  }
}

function toReport(r: DialerCallRecord): CallRecordReport {
  return {
    callId: r.callId,
    leadId: r.leadId,
    campaignId: r.campaignId,
    agentId: r.agentId,
    startedAt: r.startedAt,
    ringAt: r.ringAt,
    answeredAt: r.answeredAt,
    bridgedAt: r.bridgedAt,
    endedAt: r.endedAt,
    // Only ended calls are in the outbox, and every close writes an outcome.
    outcome: r.outcome ?? 'failed',
    sipStatus: r.sipStatus,
    trunk: r.trunk,
    recordingId: r.recordingId,
  };
}
