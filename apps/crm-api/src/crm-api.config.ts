import { BlindIndexConfig, KmsConfig } from '@app/crypto';
import { loadPlatformConfig, PlatformConfig } from '@app/platform';
import { AnomalyConfig } from './anomaly/anomaly.config';
import { RetentionConfig } from './compliance/retention.config';
import { IdentityConfig } from './identity/identity.config';

export interface CrmApiConfig extends PlatformConfig {
  kms: KmsConfig;
  identity: IdentityConfig;
  blindIndex: BlindIndexConfig;
  anomaly: AnomalyConfig;
  /** Optional only for configurations built by hand (tests, benches): the defaults apply. */
  retention?: RetentionConfig;
}

/** Reads and checks all of crm-api's configuration at once; throws one error listing every problem. */
export function loadCrmApiConfig(env: Record<string, string | undefined> = process.env): CrmApiConfig {
  return loadPlatformConfig({ kms: KmsConfig, identity: IdentityConfig, blindIndex: BlindIndexConfig, anomaly: AnomalyConfig, retention: RetentionConfig }, env);
}
