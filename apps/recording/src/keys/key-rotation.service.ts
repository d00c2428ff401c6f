import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '@app/audit';
import { KmsException, KmsKeyVersion, KmsRepository } from '@app/crypto';
import { dataKeyContext, RECORDINGS_KEY_ID } from '../ingest/ingest.service';
import { RecordingException, RecordingExceptionCode } from '../recording.exception';
import { RecordingRepository } from '../recordings/recording.repository';

export interface RewrapResult {
  activeVersion: number;
  rewrapped: number;
  failed: number;
}

const REWRAP_BATCH = 100;

/**
 * Rotation of the key that wraps recordings' data keys: a new version (new recordings use it), a
 * rewrap of old data keys under it (the audio files are not touched), then retirement of versions
 * nothing uses any more. Every step is audited.
 */
@Injectable()
export class KeyRotationService {
  private readonly logger = new Logger('RecordingKeys');

  constructor(
    private readonly kms: KmsRepository,
    private readonly recordings: RecordingRepository,
    private readonly audit: AuditService,
  ) {}

  listVersions(): Promise<KmsKeyVersion[]> {
    return this.kms.listKeyVersions(RECORDINGS_KEY_ID);
  }

  async createVersion(): Promise<KmsKeyVersion> {
    const created = await this.kms.createKeyVersion(RECORDINGS_KEY_ID);
    await this.audit.record({
      action: 'key.version_create',
      outcome: 'success',
      targetType: 'kms_key',
      targetId: RECORDINGS_KEY_ID,
      details: { version: created.version },
    });
    return created;
  }

  /** Re-wraps every data key under an older version with the active one, in batches. */
  async rewrap(): Promise<RewrapResult> {
    const active = (await this.listVersions()).find((v) => v.state === 'active');
    if (!active) return { activeVersion: 0, rewrapped: 0, failed: 0 };
    let rewrapped = 0;
    let failed = 0;
    const skipped = new Set<string>();
    for (;;) {
      const batch = (await this.recordings.findWrappedBelow(RECORDINGS_KEY_ID, active.version, REWRAP_BATCH + skipped.size)).filter(
        (r) => !skipped.has(r.id),
      );
      if (batch.length === 0) break;
      for (const row of batch) {
        try {
          const next = await this.kms.reencrypt(row.wrappedKey, dataKeyContext(row.id));
          if (await this.recordings.replaceWrappedKey(row.id, row.wrappedKey, next)) rewrapped++;
          else skipped.add(row.id); // erased or rewrapped meanwhile: look at it again next run
        } catch (error) {
          failed++;
          skipped.add(row.id);
          this.logger.error(`rewrap of recording ${row.id} failed: ${(error as Error).name}`);
        }
      }
    }
    await this.audit.record({
      action: 'key.rewrap',
      outcome: failed === 0 ? 'success' : 'failure',
      targetType: 'kms_key',
      targetId: RECORDINGS_KEY_ID,
      details: { toVersion: active.version, rewrapped, failed },
    });
    return { activeVersion: active.version, rewrapped, failed };
  }

  /** Refused while any recording's data key is still wrapped under the version. */
  async retire(version: number): Promise<void> {
    const inUse = await this.recordings.countWrappedUnder(RECORDINGS_KEY_ID, version);
    if (inUse > 0) {
      await this.audit.record({
        action: 'key.version_retire',
        outcome: 'failure',
        targetType: 'kms_key',
        targetId: RECORDINGS_KEY_ID,
        details: { version, reason: 'in_use', recordings: inUse },
      });
      throw new RecordingException(RecordingExceptionCode.KeyVersionInUse);
    }
    try {
      await this.kms.retireKeyVersion(RECORDINGS_KEY_ID, version);
    } catch (error) {
      if (error instanceof KmsException) throw new RecordingException(RecordingExceptionCode.KeyVersionNotRetirable);
      throw error;
    }
    await this.audit.record({
      action: 'key.version_retire',
      outcome: 'success',
      targetType: 'kms_key',
      targetId: RECORDINGS_KEY_ID,
      details: { version },
    });
  }
}
