import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { RecordingStorageConfig } from '../recording.config';
import { IngestService } from './ingest.service';

/**
 * Scans the spool every RECORDING_INGEST_INTERVAL_MS, after reconciling what a crash left. One
 * ingesting process per spool and store: reconcile assumes no other writer.
 */
@Injectable()
export class IngestWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RecordingIngest');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly ingest: IngestService,
    @Inject(RecordingStorageConfig) private readonly config: RecordingStorageConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.ingestIntervalMs <= 0) return;
    await this.ingest.reconcile();
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.ingest
        .ingestPending()
        .then(() => undefined)
        .catch((error: unknown) => this.logger.error(`ingest pass failed: ${(error as Error).name}`))
        .finally(() => {
          this.running = null;
          this.schedule(this.config.ingestIntervalMs);
        });
    }, delay);
  }
}
