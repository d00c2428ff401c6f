import 'reflect-metadata';
import { createCipheriv, randomBytes, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Role } from '@app/domain';
import { KmsRepository } from '@app/crypto';
import { newSegmentedFileHeader, sealSegments, SegmentSealer, wavHeader, WAV_HEADER_BYTES } from '@app/recording-format';
import { dataKeyContext, RECORDINGS_KEY_ID } from '../../apps/recording/src/ingest/ingest.service';
import { RecordingRepository } from '../../apps/recording/src/recordings/recording.repository';
import { FsRecordingStoreRepository } from '../../apps/recording/src/store/fs-recording-store.repository';
import { RecordingStoreRepository } from '../../apps/recording/src/store/recording-store.repository';
import { RecordingHarness } from '../../test/e2e/recording/recording-harness';

/**
 * Recording benchmarks, in one run on one machine:
 *  1. encrypt-and-store throughput (segmented AES-256-GCM + write + fsync + rename) beside raw
 *     Node AES-256-GCM over the same bytes in memory; the ratio is the figure;
 *  2. time to first byte of a Range request into the middle of a 2-hour recording, through HTTP,
 *     with access check, key unwrap, header and first-segment authentication and the audit write.
 * Run: node --require ./test/e2e/recording/ts-register.js bench/recording/recording.bench.ts
 * (needs the test MariaDB, as the tests do).
 */
const SEGMENT_BYTES = Number(process.env.RECORDING_SEGMENT_BYTES ?? 65_536);
const TWO_HOURS_BYTES = 2 * 3600 * 8000 * 2 * 2;
const THROUGHPUT_BYTES = Number(process.env.BENCH_MB ?? 256) * 1024 * 1024;
const CHUNK = 1024 * 1024;
const REPEATS = 3;
const SEEKS = 30;

function audio(bytes: number): Buffer {
  const b = Buffer.alloc(bytes);
  for (let i = 0; i + 1 < bytes; i += 2) b.writeInt16LE(Math.round(8000 * Math.sin(i / 17)), i);
  return b;
}

function* chunks(buffer: Buffer): Iterable<Buffer> {
  for (let i = 0; i < buffer.length; i += CHUNK) yield buffer.subarray(i, i + CHUNK);
}

function rawGcm(plaintext: Buffer): number {
  const started = process.hrtime.bigint();
  const cipher = createCipheriv('aes-256-gcm', randomBytes(32), randomBytes(12));
  for (const chunk of chunks(plaintext)) cipher.update(chunk);
  cipher.final();
  cipher.getAuthTag();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function sealOnly(plaintext: Buffer): Promise<number> {
  const started = process.hrtime.bigint();
  const sealer = new SegmentSealer(randomBytes(32), newSegmentedFileHeader(randomUUID(), plaintext.length, SEGMENT_BYTES));
  for await (const part of sealSegments(sealer, chunks(plaintext))) void part;
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function plainStore(dir: string, plaintext: Buffer): Promise<number> {
  const { open, unlink } = await import('node:fs/promises');
  const path = join(dir, 'plain.bin');
  const started = process.hrtime.bigint();
  const file = await open(path, 'w');
  for (const chunk of chunks(plaintext)) await file.write(chunk);
  await file.sync();
  await file.close();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await unlink(path);
  return seconds;
}

async function sealAndStore(store: RecordingStoreRepository, plaintext: Buffer): Promise<number> {
  const id = randomUUID();
  const started = process.hrtime.bigint();
  const sealer = new SegmentSealer(randomBytes(32), newSegmentedFileHeader(id, plaintext.length, SEGMENT_BYTES));
  await store.commit(id, sealSegments(sealer, chunks(plaintext)));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await store.remove(id);
  return seconds;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function throughput(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rec-bench-'));
  try {
    const store = new FsRecordingStoreRepository(dir);
    const plaintext = audio(THROUGHPUT_BYTES);
    const mb = plaintext.length / 1024 / 1024;
    const raw: number[] = [];
    const sealed: number[] = [];
    const stored: number[] = [];
    const plain: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      plain.push(mb / (await plainStore(dir, plaintext)));
      raw.push(mb / rawGcm(plaintext));
      sealed.push(mb / (await sealOnly(plaintext)));
      stored.push(mb / (await sealAndStore(store, plaintext)));
    }
    const r = median(raw);
    const s = median(sealed);
    const w = median(stored);
    console.log(`throughput over ${mb} MiB, ${SEGMENT_BYTES}-byte segments, median of ${REPEATS}:`);
    console.log(`  raw Node AES-256-GCM (one stream, memory)      ${r.toFixed(0)} MB/s`);
    console.log(`  segmented seal (memory)                         ${s.toFixed(0)} MB/s  (${((s / r) * 100).toFixed(0)}% of raw)`);
    console.log(`  segmented seal + write + fsync + rename (disk)  ${w.toFixed(0)} MB/s  (${((w / r) * 100).toFixed(0)}% of raw)`);
    console.log(`  for scale: the same bytes written + fsynced unencrypted  ${median(plain).toFixed(0)} MB/s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function seek(): Promise<void> {
  const h = await RecordingHarness.start(SEGMENT_BYTES);
  try {
    await h.app.listen(0, '127.0.0.1');
    const port = (h.app.getHttpServer().address() as AddressInfo).port;
    const qa = await h.user(Role.Qa);
    const id = randomUUID();
    const dataBytes = TWO_HOURS_BYTES;
    const wav = Buffer.concat([wavHeader({ sampleRate: 8000, channels: 2 }, dataBytes), audio(dataBytes)]);
    const kms = h.app.get(KmsRepository);
    const key = await kms.generateDataKey(RECORDINGS_KEY_ID, dataKeyContext(id));
    const header = newSegmentedFileHeader(id, wav.length, SEGMENT_BYTES);
    await h.app.get(RecordingStoreRepository).commit(id, sealSegments(new SegmentSealer(key.plaintext, header), chunks(wav)));
    const { createHash } = await import('node:crypto');
    await h.app.get(RecordingRepository).insert({
      id,
      callId: `bench-${id}`,
      campaignId: randomUUID(),
      agentUserId: randomUUID(),
      status: 'committed',
      codec: 'PCMU',
      startedAt: new Date(),
      durationMs: 7_200_000,
      sampleRate: 8000,
      channels: 2,
      plaintextBytes: wav.length,
      plaintextSha256: createHash('sha256').update(wav).digest(),
      segmentBytes: SEGMENT_BYTES,
      segmentCount: header.segmentCount,
      wrappedKey: key.wrapped,
      pauses: [],
      failureReason: null,
    });
    const ttfb = (start: number): Promise<number> =>
      new Promise((resolve, reject) => {
        const began = process.hrtime.bigint();
        const req = httpRequest(
          { host: '127.0.0.1', port, path: `/recordings/${id}/audio`, headers: { Authorization: `Bearer ${qa.session.accessToken}`, Range: `bytes=${start}-` } },
          (res) => {
            if (res.statusCode !== 206) reject(new Error(`status ${res.statusCode}`));
            res.once('data', () => {
              resolve(Number(process.hrtime.bigint() - began) / 1e6);
              res.destroy();
            });
          },
        );
        req.on('error', reject);
        req.end();
      });
    const middle = WAV_HEADER_BYTES + Math.floor(dataBytes / 2);
    await ttfb(middle); // warm-up
    const times: number[] = [];
    for (let i = 0; i < SEEKS; i++) times.push(await ttfb(middle + Math.floor(Math.random() * SEGMENT_BYTES * 50)));
    console.log(`seek into the middle of a 2-hour recording (${(wav.length / 1024 / 1024).toFixed(0)} MiB WAV), HTTP Range, ${SEEKS} requests:`);
    console.log(`  time to first byte: median ${median(times).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms`);
  } finally {
    await h.stop();
  }
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${process.arch}, ${(await import('node:os')).cpus()[0]?.model ?? 'cpu'}`);
  await throughput();
  await seek();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
