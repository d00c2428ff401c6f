import { randomBytes, randomUUID } from 'node:crypto';
import {
  encryptedFileBytes,
  newSegmentedFileHeader,
  SegmentIntegrityError,
  SegmentOpener,
  SegmentSealer,
  sealSegments,
  segmentFileOffset,
  SEGMENT_HEADER_BYTES,
} from './segmented-file';

async function sealAll(key: Buffer, id: string, plaintext: Buffer, segmentBytes: number, chunk = 5000): Promise<Buffer> {
  const sealer = new SegmentSealer(key, newSegmentedFileHeader(id, plaintext.length, segmentBytes));
  const chunks: Buffer[] = [];
  for (let i = 0; i < plaintext.length; i += chunk) chunks.push(plaintext.subarray(i, i + chunk));
  const out: Buffer[] = [];
  for await (const part of sealSegments(sealer, chunks)) out.push(part);
  return Buffer.concat(out);
}

function openAll(key: Buffer, file: Buffer): Buffer {
  const opener = new SegmentOpener(key, file.subarray(0, SEGMENT_HEADER_BYTES));
  const h = opener.header;
  if (file.length !== encryptedFileBytes(h)) throw new SegmentIntegrityError('size', 'size');
  const parts: Buffer[] = [];
  for (let i = 0; i < h.segmentCount; i++) {
    const start = segmentFileOffset(h, i);
    const end = i === h.segmentCount - 1 ? file.length : segmentFileOffset(h, i + 1);
    parts.push(opener.open(i, file.subarray(start, end)));
  }
  return Buffer.concat(parts);
}

describe('segmented AES-256-GCM recording file', () => {
  const key = randomBytes(32);
  const id = randomUUID();
  const plaintext = randomBytes(10_000);

  it.each([1024, 4096, 10_000, 65_536])('round-trips with %i-byte segments, whatever the input chunking', async (segmentBytes) => {
    const file = await sealAll(key, id, plaintext, segmentBytes, 777);
    expect(file.length).toBe(encryptedFileBytes({ plaintextBytes: plaintext.length, segmentBytes }));
    expect(openAll(key, file)).toEqual(plaintext);
  });

  it('uses a different nonce prefix per file and never the same nonce twice in a file', async () => {
    const a = await sealAll(key, id, plaintext, 1024);
    const b = await sealAll(key, id, plaintext, 1024);
    expect(a.subarray(40, 44)).not.toEqual(b.subarray(40, 44));
    const opener = new SegmentOpener(key, a.subarray(0, 64));
    const nonces = new Set(Array.from({ length: opener.header.segmentCount }, (_, i) => a.toString('hex', segmentFileOffset(opener.header, i), segmentFileOffset(opener.header, i) + 12)));
    expect(nonces.size).toBe(opener.header.segmentCount);
  });

  it('refuses a flipped byte anywhere', async () => {
    const file = await sealAll(key, id, plaintext, 1024);
    for (let i = 0; i < file.length; i += 97) {
      const bad = Buffer.from(file);
      bad[i] ^= 0x40;
      expect(() => openAll(key, bad)).toThrow(SegmentIntegrityError);
    }
  });

  it('refuses swapped segments, a segment from another recording, a truncation and another key', async () => {
    const file = await sealAll(key, id, plaintext, 1024);
    const stride = 1024 + 28;
    const swapped = Buffer.from(file);
    file.copy(swapped, 64, 64 + stride, 64 + 2 * stride);
    file.copy(swapped, 64 + stride, 64, 64 + stride);
    expect(() => openAll(key, swapped)).toThrow(SegmentIntegrityError);

    const other = await sealAll(key, randomUUID(), plaintext, 1024);
    const spliced = Buffer.from(file);
    other.copy(spliced, 64 + stride, 64 + stride, 64 + 2 * stride);
    expect(() => openAll(key, spliced)).toThrow(SegmentIntegrityError);

    // Cut after a whole segment, header rewritten to match: the new last segment was not sealed as last.
    const header = newSegmentedFileHeader(id, 3 * 1024, 1024);
    const sealer = new SegmentSealer(key, { ...header, noncePrefix: file.subarray(40, 44) });
    const cut = Buffer.concat([sealer.headerBytes, file.subarray(64, 64 + 3 * stride)]);
    expect(() => openAll(key, cut)).toThrow(SegmentIntegrityError);
    expect(() => openAll(key, file.subarray(0, file.length - 1))).toThrow(SegmentIntegrityError);
    expect(() => openAll(randomBytes(32), file)).toThrow(SegmentIntegrityError);
  });
});
