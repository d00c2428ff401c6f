import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { AuditService } from '@app/audit';
import { UserPrincipal } from '@app/auth';
import { KmsCiphertext, KmsKeyVersion, KmsRepository } from '@app/crypto';
import { DNC_KEY_ID } from '../compliance/dnc.service';
import { CrmException, CrmExceptionCode } from '../crm.exception';
import { LEAD_KEY_ID, LeadCipher } from '../leads/lead-cipher.service';
import { SubjectRepository } from '../leads/subject.repository';
import { KeyUsageRepository, ManagedKeyName, WrappedRecord } from './key-usage.repository';

export const DEFAULT_REWRAP_BATCH = 500;

/**
 * LocalKmsRepository caches the active version for up to 5 s per process, so another instance may
 * still wrap new keys under a version that was just replaced. Retiring a version is refused until
 * that window has passed for certain, so no record can land on a version after its last count.
 */
const RETIRE_GRACE_SECONDS = 10;

export interface RewrapJob {
  state: 'running' | 'done' | 'failed' | 'cancelled';
  targetVersion: number;
  batchSize: number;
  startedAt: Date;
  finishedAt: Date | null;
  batches: number;
  /** Moved to the target version. */
  rewrapped: number;
  /** Changed under us (erased, or moved by another rewrap) between the read and the swap: theirs wins. */
  skipped: number;
  /** Could not be moved (the KMS refused it, or answered with an older version); left as they were. */
  failed: number;
}

export interface KeyVersionStatus {
  version: number;
  state: KmsKeyVersion['state'];
  createdAt: Date;
  retiredAt: Date | null;
  /** Records still wrapped under this version. */
  inUse: number;
}

export interface KeyStatus {
  keyId: ManagedKeyName;
  activeVersion: number | null;
  versions: KeyVersionStatus[];
  rewrap: RewrapJob | null;
}

export interface BatchResult {
  rewrapped: number;
  skipped: number;
  failed: number;
  /** The cursor for the next batch; null when the pass is complete. */
  nextAfterId: string | null;
}

const KMS_KEY_IDS: Record<ManagedKeyName, string> = { leads: LEAD_KEY_ID, dnc: DNC_KEY_ID };

/**
 * Rotation of the keys that wrap the CRM's stored secrets: a new version takes new writes at once, a
 * background rewrap moves the old records (only their wrapped keys: the sealed fields are untouched),
 * and a version is retired only once nothing uses it. Reads keep working throughout, since every
 * version but a retired one still decrypts, and each record is swapped only if it is still the one read.
 */
@Injectable()
export class KeyRotationService implements OnApplicationShutdown {
  private readonly logger = new Logger('KeyRotation');
  private readonly jobs = new Map<ManagedKeyName, { job: RewrapJob; done: Promise<void>; cancel: boolean }>();

  constructor(
    private readonly kms: KmsRepository,
    private readonly usage: KeyUsageRepository,
    private readonly subjects: SubjectRepository,
    private readonly cipher: LeadCipher,
    private readonly audit: AuditService,
  ) {}

  async status(key: ManagedKeyName): Promise<KeyStatus> {
    const [versions, counts] = await Promise.all([this.kms.listKeyVersions(KMS_KEY_IDS[key]), this.usage.countByVersion(key)]);
    return {
      keyId: key,
      activeVersion: versions.find((v) => v.state === 'active')?.version ?? null,
      versions: versions.map((v) => ({
        version: v.version,
        state: v.state,
        createdAt: v.createdAt,
        retiredAt: v.retiredAt,
        inUse: counts.get(v.version) ?? 0,
      })),
      rewrap: this.jobs.get(key)?.job ?? null,
    };
  }

  async createVersion(key: ManagedKeyName): Promise<KeyVersionStatus> {
    const created = await this.kms.createKeyVersion(KMS_KEY_IDS[key]);
    await this.audit.record({
      action: `keys.${key}.create_version`,
      outcome: 'success',
      targetType: 'kms_key',
      targetId: KMS_KEY_IDS[key],
      details: { version: created.version },
    });
    return { version: created.version, state: created.state, createdAt: created.createdAt, retiredAt: created.retiredAt, inUse: 0 };
  }

  /** Starts a background pass (or answers the one running) that moves every older record to the active version. */
  async startRewrap(admin: UserPrincipal, key: ManagedKeyName, batchSize = DEFAULT_REWRAP_BATCH): Promise<RewrapJob> {
    const running = this.jobs.get(key);
    if (running?.job.state === 'running') return running.job;
    const target = await this.activeVersion(key);
    // Checked again with no await before the job is registered: two concurrent starts make one pass.
    const raced = this.jobs.get(key);
    if (raced?.job.state === 'running') return raced.job;
    const job: RewrapJob = {
      state: 'running',
      targetVersion: target,
      batchSize,
      startedAt: new Date(),
      finishedAt: null,
      batches: 0,
      rewrapped: 0,
      skipped: 0,
      failed: 0,
    };
    const entry = { job, cancel: false, done: Promise.resolve() };
    entry.done = this.run(admin, key, entry);
    this.jobs.set(key, entry);
    return job;
  }

  /** Resolves when the running pass (if any) has finished. */
  async settled(key: ManagedKeyName): Promise<RewrapJob | null> {
    const entry = this.jobs.get(key);
    if (!entry) return null;
    await entry.done;
    return entry.job;
  }

  /** One batch of a pass: records below `target` after the cursor, each swapped only if unchanged. */
  async rewrapBatch(key: ManagedKeyName, target: number, afterId: string, limit: number): Promise<BatchResult> {
    const records = await this.usage.listBelowVersion(key, target, afterId, limit);
    const result: BatchResult = { rewrapped: 0, skipped: 0, failed: 0, nextAfterId: null };
    for (const record of records) {
      const outcome = await this.rewrapOne(key, record, target);
      result[outcome] += 1;
    }
    result.nextAfterId = records.length === limit ? records[records.length - 1].id : null;
    return result;
  }

  async retire(key: ManagedKeyName, version: number): Promise<void> {
    const versions = await this.kms.listKeyVersions(KMS_KEY_IDS[key]);
    const found = versions.find((v) => v.version === version);
    if (!found) throw new CrmException(CrmExceptionCode.NotFound, 'Not found');
    if (found.state !== 'enabled') {
      throw new CrmException(CrmExceptionCode.Conflict, `Version ${version} is ${found.state}: only a replaced, enabled version can be retired`);
    }
    const successor = versions.find((v) => v.version > version);
    const age = successor ? await this.usage.secondsSinceCreated(key, successor.version) : null;
    if (age !== null && age < RETIRE_GRACE_SECONDS) {
      throw new CrmException(CrmExceptionCode.Conflict, `Version ${successor?.version} is too new; retry in ${RETIRE_GRACE_SECONDS} seconds`);
    }
    const inUse = await this.usage.countOnVersion(key, version);
    if (inUse > 0) {
      await this.audit.record({
        action: `keys.${key}.retire`,
        outcome: 'failure',
        targetType: 'kms_key',
        targetId: KMS_KEY_IDS[key],
        details: { version, inUse },
      });
      throw new CrmException(CrmExceptionCode.Conflict, `${inUse} records still use version ${version}; run the rewrap first`);
    }
    await this.kms.retireKeyVersion(KMS_KEY_IDS[key], version);
    await this.audit.record({
      action: `keys.${key}.retire`,
      outcome: 'success',
      targetType: 'kms_key',
      targetId: KMS_KEY_IDS[key],
      details: { version, inUse: 0 },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    for (const entry of this.jobs.values()) entry.cancel = true;
    await Promise.all([...this.jobs.values()].map((e) => e.done));
  }

  private async run(admin: UserPrincipal, key: ManagedKeyName, entry: { job: RewrapJob; cancel: boolean }): Promise<void> {
    const { job } = entry;
    let afterId: string | null = '';
    const actor = { type: 'user' as const, id: admin.userId, role: admin.role };
    try {
      // Still inside the admin's request here (this runs up to its first await before the answer).
      await this.audit.record({
        action: `keys.${key}.rewrap`,
        outcome: 'success',
        actor,
        targetType: 'kms_key',
        targetId: KMS_KEY_IDS[key],
        details: { state: 'started', targetVersion: job.targetVersion, batchSize: job.batchSize },
      });
      while (afterId !== null) {
        if (entry.cancel) {
          job.state = 'cancelled';
          break;
        }
        const batch: BatchResult = await this.rewrapBatch(key, job.targetVersion, afterId, job.batchSize);
        job.batches += 1;
        job.rewrapped += batch.rewrapped;
        job.skipped += batch.skipped;
        job.failed += batch.failed;
        afterId = batch.nextAfterId;
      }
      if (job.state === 'running') job.state = 'done';
    } catch (error) {
      job.state = 'failed';
      this.logger.error(`rewrap of key ${key} stopped: ${(error as Error).name}`);
    }
    job.finishedAt = new Date();
    try {
      // The request has long answered: name the admin who started it explicitly.
      await this.audit.record({
        action: `keys.${key}.rewrap`,
        outcome: job.state === 'done' && job.failed === 0 ? 'success' : 'failure',
        actor,
        targetType: 'kms_key',
        targetId: KMS_KEY_IDS[key],
        details: {
          state: job.state,
          targetVersion: job.targetVersion,
          batches: job.batches,
          rewrapped: job.rewrapped,
          skipped: job.skipped,
          failed: job.failed,
        },
      });
    } catch (error) {
      this.logger.error(`rewrap audit for key ${key} failed: ${(error as Error).name}`);
    }
  }

  private async rewrapOne(key: ManagedKeyName, record: WrappedRecord, target: number): Promise<'rewrapped' | 'skipped' | 'failed'> {
    let next: KmsCiphertext;
    try {
      next =
        key === 'leads'
          ? await this.cipher.rewrapSubjectKey(record.id, record.wrapped)
          : await this.kms.reencrypt(record.wrapped, `dnc_entries:${record.id}`);
    } catch (error) {
      // A record that no longer opens (tampered, or its version gone) stays as it is, and is counted.
      this.logger.warn(`rewrap of a ${key} record failed: ${(error as Error).name}`);
      return 'failed';
    }
    // Another instance may still cache an older active version for a few seconds: do not swap sideways.
    if (next.version < target) return 'failed';
    const swapped =
      key === 'leads'
        ? await this.subjects.replaceWrapped(record.id, record.wrapped, next)
        : await this.usage.replaceDncWrapped(record.id, record.wrapped, next);
    return swapped ? 'rewrapped' : 'skipped';
  }

  private async activeVersion(key: ManagedKeyName): Promise<number> {
    const active = (await this.kms.listKeyVersions(KMS_KEY_IDS[key])).find((v) => v.state === 'active');
    if (!active) throw new CrmException(CrmExceptionCode.Conflict, 'This key has no version yet: nothing to rewrap');
    return active.version;
  }
}
