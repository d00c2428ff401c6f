import { KmsConfig } from '@app/crypto';
import { loadPlatformConfig, PlatformConfig } from '@app/platform';

export interface RecordingConfig extends PlatformConfig {
  kms: KmsConfig;
}

export function loadRecordingConfig(env: Record<string, string | undefined> = process.env): RecordingConfig {
  return loadPlatformConfig({ kms: KmsConfig }, env);
}
