import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AuditService } from '@app/audit';
import { Clock } from '@app/domain';
import { RetentionConfig } from './retention.config';
import { RetentionRepository } from './retention.repository';

export interface CampaignRetentionResult {
  campaignId: string;
  retentionDays: number;
  deleted: number;
  /** Past retention but kept: under legal hold. */
  held: number;
  subjectKeysDestroyed: number;
}

export interface RetentionRunResult {
  deleted: number;
  held: number;
  subjectKeysDestroyed: number;
  campaigns: CampaignRetentionResult[];
}

const DAY_MS = 86_400_000;
const BATCH = 500;

/**
 * Deletes leads older than their campaign's lead retention, except those under legal hold, with their
 * notes and callbacks; a person left with no lead has their data key destroyed. Recordings have
 * their own retention, enforced by the recording service.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger('Retention');
  private running: Promise<RetentionRunResult> | null = null;

  constructor(
    private readonly retention: RetentionRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** One run at a time in this process; a call during a run gets that run's result. */
  run(trigger: 'schedule' | 'manual'): Promise<RetentionRunResult> {
    this.running ??= this.runOnce(trigger).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async runOnce(trigger: 'schedule' | 'manual'): Promise<RetentionRunResult> {
    const now = this.clock.now().getTime();
    const result: RetentionRunResult = { deleted: 0, held: 0, subjectKeysDestroyed: 0, campaigns: [] };
    for (const { campaignId, leadRetentionDays } of await this.retention.campaignRetention()) {
      const before = new Date(now - leadRetentionDays * DAY_MS);
      const outcome: CampaignRetentionResult = { campaignId, retentionDays: leadRetentionDays, deleted: 0, held: 0, subjectKeysDestroyed: 0 };
      for (;;) {
        const expired = await this.retention.expiredLeads(campaignId, before, BATCH);
        if (expired.length === 0) break;
        const deleted = await this.retention.deleteLeads(expired.map((l) => l.id));
        outcome.deleted += deleted;
        outcome.subjectKeysDestroyed += await this.retention.destroyKeysOfSubjectsWithoutLeads(expired.map((l) => l.subjectId));
        // A short batch was the last; one where nothing could be deleted must not spin.
        if (expired.length < BATCH || deleted === 0) break;
      }
      outcome.held = await this.retention.heldCount(campaignId, before);
      if (outcome.deleted === 0 && outcome.held === 0) continue;
      await this.audit.record({
        action: 'retention.leads',
        outcome: 'success',
        targetType: 'campaign',
        targetId: campaignId,
        details: { deleted: outcome.deleted, held: outcome.held, subjectKeysDestroyed: outcome.subjectKeysDestroyed, retentionDays: leadRetentionDays, trigger },
      });
      result.campaigns.push(outcome);
      result.deleted += outcome.deleted;
      result.held += outcome.held;
      result.subjectKeysDestroyed += outcome.subjectKeysDestroyed;
    }
    await this.audit.record({
      action: 'retention.run',
      outcome: 'success',
      details: { trigger, campaigns: result.campaigns.length, deleted: result.deleted, held: result.held, subjectKeysDestroyed: result.subjectKeysDestroyed },
    });
    this.logger.log(`retention run (${trigger}): ${result.deleted} leads deleted, ${result.held} held, ${result.subjectKeysDestroyed} keys destroyed`);
    return result;
  }
}

/** Runs retention every RETENTION_INTERVAL_MINUTES inside crm-api; the first run after one interval. */
@Injectable()
export class RetentionScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Retention');
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly retention: RetentionService,
    private readonly config: RetentionConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.config.intervalMinutes * 60_000);
    // The schedule alone must not keep a process alive that is otherwise done.
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async tick(): Promise<void> {
    try {
      await this.retention.run('schedule');
    } catch (error) {
      this.logger.error(`retention run failed: ${error instanceof Error ? error.name : 'unknown error'}`);
    }
  }
}
