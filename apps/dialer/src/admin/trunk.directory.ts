import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { TrunkRepository } from '../telephony/trunks/trunk.repository';
import { TrunkSelector } from '../telephony/trunks/trunk-selector';

const REFRESH_MS = 30_000;

/**
 * Keeps this instance's trunk selector in step with the trunks table: at start, after every change
 * made here, and every 30 s for changes made through another instance.
 */
@Injectable()
export class TrunkDirectory implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(TrunkDirectory.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly trunks: TrunkRepository,
    private readonly selector: TrunkSelector,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh().catch(() => this.log.warn('trunk refresh failed')), REFRESH_MS);
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async refresh(): Promise<void> {
    this.selector.setTrunks(await this.trunks.listEnabled());
  }
}
