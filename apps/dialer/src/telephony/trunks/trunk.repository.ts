import { Secret } from '@app/config';
import { Trunk, TrunkTransport } from './trunk.types';

/** A trunk as an administrator sets it up. */
export interface TrunkInput {
  name: string;
  host: string;
  port: number;
  transport: TrunkTransport;
  authUsername: string | null;
  /** Stored encrypted; null: no password. */
  authPassword: Secret<string> | null;
  callerIdPrefixes: string[];
  callerIdDefault: string | null;
  cpsLimit: number;
  maxConcurrent: number;
  priority: number;
  enabled: boolean;
}

/** A change; absent fields stay as they are (absent authPassword keeps the stored one, null removes it). */
export type TrunkPatch = Partial<TrunkInput>;

/** Carriers (table sip_trunks). The digest password is encrypted by the KMS and opened only when a challenge needs it. */
export abstract class TrunkRepository {
  /** Every trunk, by priority then name. */
  abstract list(): Promise<Trunk[]>;
  abstract listEnabled(): Promise<Trunk[]>;
  abstract findById(id: string): Promise<Trunk | null>;
  /** Throws DialerException(TrunkNameTaken) when the name is in use. */
  abstract create(input: TrunkInput, createdBy: string | null): Promise<Trunk>;
  /** Null when there is no such trunk; throws DialerException(TrunkNameTaken) on a rename to a taken name. */
  abstract update(id: string, patch: TrunkPatch): Promise<Trunk | null>;
  abstract delete(id: string): Promise<boolean>;
}
