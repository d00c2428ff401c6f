import { Injectable, Logger } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { AuditService } from '@app/audit';
import { KmsRepository } from '@app/crypto';
import { newSegmentedFileHeader, PcapFormatError, readPcapUdp, sealSegments, SegmentSealer, UdpDatagram } from '@app/recording-format';
import { CallRegistryRepository, PauseRecord } from '../calls/call-registry.repository';
import { RecordingStorageConfig } from '../recording.config';
import { PauseSpan, RecordingRepository } from '../recordings/recording.repository';
import { RecordingStoreRepository } from '../store/recording-store.repository';
import { buildCallAudio, RECORDING_CHANNELS, RECORDING_SAMPLE_RATE } from './call-audio.builder';
import { FinishedCall, SpoolRepository } from './spool.repository';

/** The KMS key whose versions wrap every recording's data key. */
export const RECORDINGS_KEY_ID = 'recordings';

export function dataKeyContext(recordingId: string): string {
  return `recordings:${recordingId}`;
}

export type IngestOutcome = 'committed' | 'cleared' | 'waiting' | 'unsupported_codec' | 'failed' | 'skipped';

export interface ReconcileResult {
  temporariesRemoved: number;
  orphansRemoved: number;
}

const WRITE_CHUNK_BYTES = 1024 * 1024;

/**
 * Turns finished rtpengine recordings into encrypted recordings. The order of steps is what makes a
 * crash at any moment safe: the encrypted file is durable under its final name before the row that
 * makes it a recording is inserted, and the spool is cleared only after that. A crash before the
 * row leaves the spool untouched (the call is ingested again, the orphan file removed by reconcile);
 * a crash after it leaves a committed recording whose spool is cleared on the next pass.
 * Plaintext audio exists only in the spool and in this process's memory.
 */
@Injectable()
export class IngestService {
  private readonly logger = new Logger('RecordingIngest');

  constructor(
    private readonly spool: SpoolRepository,
    private readonly store: RecordingStoreRepository,
    private readonly recordings: RecordingRepository,
    private readonly calls: CallRegistryRepository,
    private readonly kms: KmsRepository,
    private readonly audit: AuditService,
    private readonly config: RecordingStorageConfig,
  ) {}

  /** Run before the first pass: removes what an interrupted write left. Idempotent. */
  async reconcile(): Promise<ReconcileResult> {
    const temporariesRemoved = await this.store.removeTemporaries();
    const files = await this.store.listCommitted();
    const known = await this.recordings.keyedIds(files);
    const orphans = files.filter((id) => !known.has(id));
    // A file without a row was never committed (its data key died with the crashed process); a file
    // whose row has no key any more was erased. Neither can ever be read again.
    for (const id of orphans) await this.store.remove(id);
    if (temporariesRemoved + orphans.length > 0) {
      this.logger.warn(`reconcile removed ${temporariesRemoved} temporary and ${orphans.length} orphan file(s)`);
    }
    return { temporariesRemoved, orphansRemoved: orphans.length };
  }

  /** One pass over the spool. Each call is independent: one bad call never blocks the others. */
  async ingestPending(): Promise<Record<IngestOutcome, number>> {
    const counts: Record<IngestOutcome, number> = { committed: 0, cleared: 0, waiting: 0, unsupported_codec: 0, failed: 0, skipped: 0 };
    for (const call of await this.spool.listFinished()) {
      try {
        counts[await this.ingestOne(call)]++;
      } catch (error) {
        counts.failed++;
        this.logger.error(`ingest of one call failed: ${(error as Error).name}`);
      }
    }
    return counts;
  }

  async ingestOne(call: FinishedCall): Promise<IngestOutcome> {
    const existing = await this.recordings.findByCallId(call.callId);
    if (existing) {
      if (existing.status === 'committed' || existing.status === 'deleted') {
        await this.spool.clear(call);
        return 'cleared';
      }
      return 'skipped'; // unsupported or failed: the spool is kept for an operator to look at
    }
    const info = await this.calls.find(call.callId);
    if (!info) return 'waiting';
    const pcaps = await this.spool.readPcaps(call);
    if (!pcaps) return 'waiting';

    const id = randomUUID();
    const base = {
      id,
      callId: call.callId,
      campaignId: info.campaignId,
      agentUserId: info.agentUserId,
      sampleRate: RECORDING_SAMPLE_RATE,
      channels: RECORDING_CHANNELS,
    };
    let datagrams: UdpDatagram[];
    try {
      datagrams = pcaps.flatMap((p) => readPcapUdp(p));
    } catch (error) {
      if (!(error instanceof PcapFormatError)) throw error;
      return this.recordUnplayable(base, 'failed', null, null, 'unreadable_pcap');
    }
    const audio = buildCallAudio(datagrams, info, this.config.maxCallSeconds);
    if (audio.kind === 'no_media') return this.recordUnplayable(base, 'failed', null, null, 'no_media');
    if (audio.kind === 'unsupported_codec') {
      return this.recordUnplayable(base, 'unsupported_codec', audio.codec, audio.startedAtUs, 'unsupported_codec');
    }

    const plaintext = audio.wav;
    const sha256 = createHash('sha256').update(plaintext).digest();
    const dataKey = await this.kms.generateDataKey(RECORDINGS_KEY_ID, dataKeyContext(id));
    const header = newSegmentedFileHeader(id, plaintext.length, this.config.segmentBytes);
    try {
      await this.store.commit(id, sealSegments(new SegmentSealer(dataKey.plaintext, header), chunks(plaintext)));
    } finally {
      dataKey.plaintext.fill(0);
      plaintext.fill(0);
    }
    const startedAt = new Date(Math.floor(audio.startedAtUs / 1000));
    const inserted = await this.recordings.insert({
      ...base,
      status: 'committed',
      codec: audio.codec,
      startedAt,
      durationMs: audio.durationMs,
      plaintextBytes: header.plaintextBytes,
      plaintextSha256: sha256,
      segmentBytes: header.segmentBytes,
      segmentCount: header.segmentCount,
      wrappedKey: dataKey.wrapped,
      pauses: pauseSpans(await this.calls.pausesOf(call.callId), startedAt, audio.durationMs),
      failureReason: null,
    });
    if (!inserted) {
      await this.store.remove(id); // another ingest committed this call first
      await this.spool.clear(call);
      return 'cleared';
    }
    await this.audit.record({
      action: 'recording.ingest',
      outcome: 'success',
      targetType: 'recording',
      targetId: id,
      details: { codec: audio.codec, durationMs: audio.durationMs, segments: header.segmentCount, keyVersion: dataKey.wrapped.version },
    });
    await this.spool.clear(call);
    return 'committed';
  }

  private async recordUnplayable(
    base: { id: string; callId: string; campaignId: string; agentUserId: string; sampleRate: number; channels: number },
    status: 'unsupported_codec' | 'failed',
    codec: string | null,
    startedAtUs: number | null,
    reason: string,
  ): Promise<IngestOutcome> {
    const inserted = await this.recordings.insert({
      ...base,
      status,
      codec,
      startedAt: startedAtUs === null ? null : new Date(Math.floor(startedAtUs / 1000)),
      durationMs: 0,
      plaintextBytes: 0,
      plaintextSha256: null,
      segmentBytes: 0,
      segmentCount: 0,
      wrappedKey: null,
      pauses: [],
      failureReason: reason,
    });
    if (inserted) {
      await this.audit.record({
        action: 'recording.ingest',
        outcome: 'failure',
        targetType: 'recording',
        targetId: base.id,
        details: { reason, codec },
      });
    }
    return status;
  }
}

function* chunks(buffer: Buffer): Iterable<Buffer> {
  for (let i = 0; i < buffer.length; i += WRITE_CHUNK_BYTES) yield buffer.subarray(i, i + WRITE_CHUNK_BYTES);
}

/** Pauses as offsets into the audio, clipped to it; an unfinished pause runs to the end. */
export function pauseSpans(pauses: readonly PauseRecord[], startedAt: Date, durationMs: number): PauseSpan[] {
  return pauses
    .map((p) => ({
      startMs: Math.max(0, p.startedAt.getTime() - startedAt.getTime()),
      endMs: Math.min(durationMs, (p.endedAt ?? new Date(startedAt.getTime() + durationMs)).getTime() - startedAt.getTime()),
    }))
    .filter((s) => s.endMs > s.startMs);
}
