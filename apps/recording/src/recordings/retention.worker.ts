import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { RecordingStorageConfig } from '../recording.config';
import { RetentionService } from './retention.service';

/** Runs the retention purge every RECORDING_RETENTION_INTERVAL_MS. */
@Injectable()
export class RetentionWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RecordingRetention');
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly retention: RetentionService,
    @Inject(RecordingStorageConfig) private readonly config: RecordingStorageConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.retentionIntervalMs <= 0) return;
    this.timer = setInterval(() => {
      this.retention.purgeExpired().catch((error: unknown) => this.logger.error(`retention pass failed: ${(error as Error).name}`));
    }, this.config.retentionIntervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
