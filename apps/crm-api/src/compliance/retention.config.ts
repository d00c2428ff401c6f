import { Max, Min } from 'class-validator';
import { Env } from '@app/config';

/** How often crm-api deletes leads past their campaign's retention. */
export class RetentionConfig {
  @Env('RETENTION_INTERVAL_MINUTES', { kind: 'int', default: 60 })
  @Min(1)
  @Max(1440)
  intervalMinutes!: number;
}
