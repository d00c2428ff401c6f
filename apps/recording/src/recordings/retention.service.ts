import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '@app/audit';
import { Clock } from '@app/domain';
import { RecordingException, RecordingExceptionCode } from '../recording.exception';
import { RecordingStoreRepository } from '../store/recording-store.repository';
import { RecordingRepository } from './recording.repository';

const BATCH = 200;

/**
 * Retention and legal hold. A recording past its campaign's retention is destroyed unless held:
 * its data key first (from then on no copy of the file, backups included, can be read), then its
 * file. Each destruction and each hold change is audited.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger('RecordingRetention');

  constructor(
    private readonly recordings: RecordingRepository,
    private readonly store: RecordingStoreRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async purgeExpired(): Promise<number> {
    let destroyed = 0;
    for (;;) {
      const now = this.clock.now();
      const ids = await this.recordings.findExpired(now, BATCH);
      let progressed = false;
      for (const id of ids) {
        if (!(await this.recordings.destroy(id, now))) continue; // held or deleted meanwhile
        progressed = true;
        destroyed++;
        await this.store.remove(id);
        await this.audit.record({ action: 'recording.delete', outcome: 'success', targetType: 'recording', targetId: id, details: { reason: 'retention' } });
      }
      if (ids.length < BATCH || !progressed) break;
    }
    if (destroyed > 0) this.logger.log(`retention destroyed ${destroyed} recording(s)`);
    return destroyed;
  }

  /** Erasure on request (data-subject request): the same destruction, refused under legal hold. */
  async erase(recordingId: string): Promise<void> {
    const recording = await this.recordings.findById(recordingId);
    if (!recording || recording.status === 'deleted') throw new RecordingException(RecordingExceptionCode.NotFound);
    if (recording.legalHold) throw new RecordingException(RecordingExceptionCode.UnderLegalHold);
    if (!(await this.recordings.destroy(recordingId, this.clock.now()))) throw new RecordingException(RecordingExceptionCode.UnderLegalHold);
    await this.store.remove(recordingId);
    await this.audit.record({ action: 'recording.delete', outcome: 'success', targetType: 'recording', targetId: recordingId, details: { reason: 'erasure' } });
  }

  async setLegalHold(recordingId: string, hold: boolean): Promise<void> {
    if (!(await this.recordings.setLegalHold(recordingId, hold))) throw new RecordingException(RecordingExceptionCode.NotFound);
    await this.audit.record({
      action: hold ? 'recording.legal_hold_set' : 'recording.legal_hold_release',
      outcome: 'success',
      targetType: 'recording',
      targetId: recordingId,
    });
  }
}
