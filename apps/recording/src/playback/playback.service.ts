import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { AuditService } from '@app/audit';
import { AccessService, Permission, Principal } from '@app/auth';
import { CryptoIntegrityError, KmsException, KmsRepository } from '@app/crypto';
import {
  encryptedFileBytes,
  SegmentIntegrityError,
  SegmentOpener,
  segmentFileOffset,
  sealedSegmentBytes,
  SEGMENT_HEADER_BYTES,
} from '@app/recording-format';
import { dataKeyContext } from '../ingest/ingest.service';
import { RecordingException, RecordingExceptionCode } from '../recording.exception';
import { RecordingRecord, RecordingRepository } from '../recordings/recording.repository';
import { EncryptedFileHandle, RecordingStoreRepository } from '../store/recording-store.repository';
import { parseByteRange } from './byte-range';

export type PlaybackPurpose = 'play' | 'download';

export type Playback =
  | { kind: 'unsatisfiable'; totalBytes: number }
  | { kind: 'audio'; totalBytes: number; start: number; end: number; partial: boolean; body: Readable };

/** Failures of the plaintext as a whole (digest mismatch) surface as this on the stream. */
export class PlaybackIntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlaybackIntegrityError';
  }
}

interface OpenedFile {
  file: EncryptedFileHandle;
  opener: SegmentOpener;
  key: Buffer;
}

/**
 * Streams a recording's plaintext WAV, or a byte range of it, decrypting only the segments that
 * cover the range. Everything that can be checked before the first byte is checked before it (access,
 * key, file size, header against the row, the first segment), so most failures are a clean error
 * answer; a later segment that fails stops the stream. A play from the first to the last byte is
 * also checked against the SHA-256 of the plaintext taken at ingest.
 */
@Injectable()
export class PlaybackService {
  private readonly logger = new Logger('RecordingPlayback');

  constructor(
    private readonly access: AccessService,
    private readonly recordings: RecordingRepository,
    private readonly store: RecordingStoreRepository,
    private readonly kms: KmsRepository,
    private readonly audit: AuditService,
  ) {}

  async open(principal: Principal, recordingId: string, rangeHeader: string | undefined, purpose: PlaybackPurpose): Promise<Playback> {
    const action = purpose === 'play' ? 'recording.play' : 'recording.download';
    try {
      await this.access.requireAccess(principal, purpose === 'play' ? Permission.RecordingPlay : Permission.RecordingDownload, recordingId);
    } catch (error) {
      await this.audit.record({ action, outcome: 'denied', targetType: 'recording', targetId: recordingId });
      throw error;
    }
    const recording = await this.recordings.findById(recordingId);
    if (!recording || recording.status === 'deleted') throw new RecordingException(RecordingExceptionCode.NotFound);
    if (recording.status !== 'committed' || !recording.wrappedKey || !recording.plaintextSha256) {
      throw new RecordingException(RecordingExceptionCode.NotPlayable);
    }
    const total = recording.plaintextBytes;
    const range = parseByteRange(rangeHeader, total);
    if (range.kind === 'unsatisfiable') return { kind: 'unsatisfiable', totalBytes: total };
    const start = range.kind === 'range' ? range.start : 0;
    const end = range.kind === 'range' ? range.end : total - 1;

    const opened = await this.openFile(recording);
    let first: Buffer;
    const firstIndex = Math.floor(start / recording.segmentBytes);
    try {
      first = await this.readSegment(opened, firstIndex);
    } catch (error) {
      await this.cleanup(opened);
      throw await this.integrityFailure(recording.id, error);
    }
    try {
      await this.audit.record({
        action,
        outcome: 'success',
        targetType: 'recording',
        targetId: recording.id,
        details: { rangeStart: start, rangeEnd: end, totalBytes: total },
      });
    } catch (error) {
      await this.cleanup(opened);
      throw error;
    }
    const whole = start === 0 && end === total - 1;
    return {
      kind: 'audio',
      totalBytes: total,
      start,
      end,
      partial: range.kind === 'range',
      body: Readable.from(this.plaintext(recording, opened, first, start, end, whole)),
    };
  }

  private async *plaintext(
    recording: RecordingRecord,
    opened: OpenedFile,
    first: Buffer,
    start: number,
    end: number,
    whole: boolean,
  ): AsyncGenerator<Buffer> {
    const size = recording.segmentBytes;
    const digest = whole ? createHash('sha256') : null;
    try {
      const lastIndex = Math.floor(end / size);
      for (let index = Math.floor(start / size); index <= lastIndex; index++) {
        let segment: Buffer;
        if (index === Math.floor(start / size)) segment = first;
        else {
          try {
            segment = await this.readSegment(opened, index);
          } catch (error) {
            throw await this.integrityFailure(recording.id, error);
          }
        }
        const from = Math.max(start - index * size, 0);
        const to = Math.min(end - index * size + 1, segment.length);
        const slice = segment.subarray(from, to);
        digest?.update(slice);
        if (digest && index === lastIndex && !digest.digest().equals(recording.plaintextSha256!)) {
          // The last bytes are held back: a client never receives a complete file that does not match.
          throw await this.integrityFailure(recording.id, new PlaybackIntegrityError('plaintext digest mismatch'));
        }
        yield slice;
      }
    } finally {
      await this.cleanup(opened);
    }
  }

  private async openFile(recording: RecordingRecord): Promise<OpenedFile> {
    let key: Buffer;
    try {
      key = await this.kms.decrypt(recording.wrappedKey!, dataKeyContext(recording.id));
    } catch (error) {
      if (error instanceof KmsException) throw new RecordingException(RecordingExceptionCode.KeyUnavailable);
      if (error instanceof CryptoIntegrityError) throw await this.integrityFailure(recording.id, error);
      throw error;
    }
    const file = await this.store.open(recording.id);
    if (!file) {
      key.fill(0);
      throw await this.integrityFailure(recording.id, new PlaybackIntegrityError('encrypted file is missing'));
    }
    try {
      const expected = encryptedFileBytes({ plaintextBytes: recording.plaintextBytes, segmentBytes: recording.segmentBytes });
      if (file.size !== expected) throw new SegmentIntegrityError('size', 'encrypted file has the wrong size');
      const opener = new SegmentOpener(key, await file.read(0, SEGMENT_HEADER_BYTES));
      const h = opener.header;
      if (
        h.recordingId !== recording.id ||
        h.plaintextBytes !== recording.plaintextBytes ||
        h.segmentBytes !== recording.segmentBytes ||
        h.segmentCount !== recording.segmentCount
      ) {
        throw new SegmentIntegrityError('header', 'encrypted file header does not match the recording');
      }
      return { file, opener, key };
    } catch (error) {
      key.fill(0);
      await file.close();
      throw await this.integrityFailure(recording.id, error);
    }
  }

  private async readSegment(opened: OpenedFile, index: number): Promise<Buffer> {
    const h = opened.opener.header;
    const length = sealedSegmentBytes(h, index);
    return opened.opener.open(index, await opened.file.read(segmentFileOffset(h, index), length));
  }

  private async cleanup(opened: OpenedFile): Promise<void> {
    opened.key.fill(0);
    await opened.file.close().catch(() => undefined);
  }

  /** Audits the failure and gives the error to throw; anything not about integrity is rethrown as is. */
  private async integrityFailure(recordingId: string, error: unknown): Promise<Error> {
    if (!(error instanceof SegmentIntegrityError || error instanceof CryptoIntegrityError || error instanceof PlaybackIntegrityError)) {
      return error instanceof Error ? error : new Error('non-error thrown');
    }
    this.logger.error(`recording ${recordingId} failed its integrity check: ${error.message}`);
    await this.audit
      .record({
        action: 'recording.integrity_failure',
        outcome: 'failure',
        targetType: 'recording',
        targetId: recordingId,
        details: { problem: error instanceof SegmentIntegrityError ? error.problem : error.name, segment: error instanceof SegmentIntegrityError ? error.segmentIndex : null },
      })
      .catch(() => undefined);
    return new RecordingException(RecordingExceptionCode.IntegrityFailed);
  }
}
