import { Max, Min } from 'class-validator';
import { Env } from '@app/config';
import { KmsConfig } from '@app/crypto';
import { loadPlatformConfig, PlatformConfig } from '@app/platform';

/** Where recordings come from and go to, and how they are cut. */
export class RecordingStorageConfig {
  /** rtpengine's --recording-dir (pcap method): metadata/ and pcaps/ beneath it. */
  @Env('RECORDING_SPOOL_DIR', { default: '/var/spool/rtpengine', describe: 'rtpengine recording spool directory' })
  spoolDir!: string;

  /** Encrypted recording files only; never plaintext. */
  @Env('RECORDING_STORE_DIR', { default: '/var/lib/callcenter/recordings', describe: 'directory for encrypted recordings' })
  storeDir!: string;

  @Env('RECORDING_SEGMENT_BYTES', { kind: 'int', default: 65_536 })
  @Min(4096)
  @Max(1_048_576)
  segmentBytes!: number;

  /** How often the spool is scanned for finished calls; 0 turns ingest off in this process. */
  @Env('RECORDING_INGEST_INTERVAL_MS', { kind: 'int', default: 5000 })
  @Min(0)
  ingestIntervalMs!: number;

  /** How often recordings past their campaign's retention are destroyed; 0 turns it off here. */
  @Env('RECORDING_RETENTION_INTERVAL_MS', { kind: 'int', default: 3_600_000 })
  @Min(0)
  retentionIntervalMs!: number;

  /** Longest call accepted; the whole call is decoded in memory (4 h stereo ≈ 460 MB). */
  @Env('RECORDING_MAX_CALL_SECONDS', { kind: 'int', default: 14_400 })
  @Min(60)
  @Max(86_400)
  maxCallSeconds!: number;

  /** host:port of rtpengine's ng control socket, for PCI pause and resume; empty turns them off. */
  @Env('RTPENGINE_NG', { default: '' })
  rtpengineNg!: string;
}

export interface RecordingConfig extends PlatformConfig {
  kms: KmsConfig;
  /** Absent only in tests that boot the app for its routes: then nothing is ingested. */
  recording?: RecordingStorageConfig;
}

export function loadRecordingConfig(env: Record<string, string | undefined> = process.env): RecordingConfig {
  return loadPlatformConfig({ kms: KmsConfig, recording: RecordingStorageConfig }, env);
}

/** What the module uses when no storage configuration was given: ingest off. */
export function routesOnlyStorageConfig(): RecordingStorageConfig {
  return Object.assign(new RecordingStorageConfig(), {
    spoolDir: '/nonexistent/recording-spool',
    storeDir: '/nonexistent/recording-store',
    segmentBytes: 65_536,
    ingestIntervalMs: 0,
    retentionIntervalMs: 0,
    maxCallSeconds: 14_400,
    rtpengineNg: '',
  });
}
