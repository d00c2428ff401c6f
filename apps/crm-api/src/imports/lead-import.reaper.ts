import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { LeadImportRollback } from './lead-import-rollback.service';

const SWEEP_MS = 60_000;

/**
 * Rolls back imports left running by an instance that died: once at start, then every minute. Two
 * instances sweeping at once is safe (each import is claimed by one of them).
 */
@Injectable()
export class LeadImportReaper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(LeadImportReaper.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly rollback: LeadImportRollback) {}

  onApplicationBootstrap(): void {
    this.sweep();
    this.timer = setInterval(() => this.sweep(), SWEEP_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private sweep(): void {
    if (this.running) return;
    this.running = this.rollback
      .reapStale()
      .then(() => undefined)
      .catch((error: unknown) => this.logger.error(`stale import sweep failed: ${(error as Error).name}`))
      .finally(() => {
        this.running = null;
      });
  }
}
