import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * The encrypted recording file (version 1). All integers big-endian.
 *
 *   header (64 bytes)
 *     0  magic "CCRA"            4
 *     4  version = 1             1
 *     5  reserved (zero)         3
 *     8  recording id (UUID)    16
 *    24  segment bytes           4   plaintext bytes per segment (the last may be shorter)
 *    28  segment count           4
 *    32  plaintext bytes         8
 *    40  nonce prefix            4   random, fixed for the file
 *    44  reserved (zero)        20
 *   segment i (at 64 + i × (segment bytes + 28))
 *     nonce (12) = nonce prefix ‖ u64 i  |  AES-256-GCM ciphertext  |  tag (16)
 *
 * Each recording has its own fresh data key, so (key, nonce) never repeats: the index is unique
 * within the file. The associated data of segment i is the whole header ‖ u64 i ‖ u8 isLast, so a
 * segment cannot be moved to another place or another recording, the header cannot be edited
 * (every segment would fail), and cutting the file after any segment is detected: the new last
 * segment was sealed with isLast = 0.
 */
export const SEGMENT_FILE_MAGIC = 'CCRA';
export const SEGMENT_FILE_VERSION = 1;
export const SEGMENT_HEADER_BYTES = 64;
export const SEGMENT_NONCE_BYTES = 12;
export const SEGMENT_TAG_BYTES = 16;
export const SEGMENT_OVERHEAD_BYTES = SEGMENT_NONCE_BYTES + SEGMENT_TAG_BYTES;
export const MIN_SEGMENT_BYTES = 1024;
export const MAX_SEGMENT_BYTES = 16 * 1024 * 1024;

export interface SegmentedFileHeader {
  recordingId: string;
  segmentBytes: number;
  segmentCount: number;
  plaintextBytes: number;
  noncePrefix: Buffer;
}

export type SegmentIntegrityProblem = 'header' | 'size' | 'segment';

/** The file is not what was written: tampered, truncated, reordered or opened with another key. */
export class SegmentIntegrityError extends Error {
  constructor(
    readonly problem: SegmentIntegrityProblem,
    message: string,
    readonly segmentIndex: number | null = null,
  ) {
    super(message);
    this.name = 'SegmentIntegrityError';
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function segmentCountFor(plaintextBytes: number, segmentBytes: number): number {
  return Math.max(1, Math.ceil(plaintextBytes / segmentBytes));
}

/** A header for a new file, with a fresh nonce prefix. */
export function newSegmentedFileHeader(recordingId: string, plaintextBytes: number, segmentBytes: number): SegmentedFileHeader {
  if (!UUID.test(recordingId)) throw new Error('recording id must be a UUID');
  if (!Number.isInteger(segmentBytes) || segmentBytes < MIN_SEGMENT_BYTES || segmentBytes > MAX_SEGMENT_BYTES) {
    throw new Error(`segment size must be an integer from ${MIN_SEGMENT_BYTES} to ${MAX_SEGMENT_BYTES}`);
  }
  if (!Number.isSafeInteger(plaintextBytes) || plaintextBytes < 0) throw new Error('plaintext size must be a non-negative integer');
  const segmentCount = segmentCountFor(plaintextBytes, segmentBytes);
  if (segmentCount > 0xffffffff) throw new Error('too many segments');
  return { recordingId: recordingId.toLowerCase(), segmentBytes, segmentCount, plaintextBytes, noncePrefix: randomBytes(4) };
}

export function encodeSegmentedFileHeader(h: SegmentedFileHeader): Buffer {
  const b = Buffer.alloc(SEGMENT_HEADER_BYTES);
  b.write(SEGMENT_FILE_MAGIC, 0, 'ascii');
  b[4] = SEGMENT_FILE_VERSION;
  Buffer.from(h.recordingId.replace(/-/g, ''), 'hex').copy(b, 8);
  b.writeUInt32BE(h.segmentBytes, 24);
  b.writeUInt32BE(h.segmentCount, 28);
  b.writeBigUInt64BE(BigInt(h.plaintextBytes), 32);
  h.noncePrefix.copy(b, 40, 0, 4);
  return b;
}

export function decodeSegmentedFileHeader(b: Buffer): SegmentedFileHeader {
  if (b.length < SEGMENT_HEADER_BYTES || b.toString('ascii', 0, 4) !== SEGMENT_FILE_MAGIC) {
    throw new SegmentIntegrityError('header', 'not an encrypted recording');
  }
  if (b[4] !== SEGMENT_FILE_VERSION) throw new SegmentIntegrityError('header', 'unknown encrypted recording version');
  const hex = b.toString('hex', 8, 24);
  const recordingId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  const segmentBytes = b.readUInt32BE(24);
  const segmentCount = b.readUInt32BE(28);
  const plaintextBytes = Number(b.readBigUInt64BE(32));
  if (
    segmentBytes < MIN_SEGMENT_BYTES ||
    segmentBytes > MAX_SEGMENT_BYTES ||
    !Number.isSafeInteger(plaintextBytes) ||
    segmentCount !== segmentCountFor(plaintextBytes, segmentBytes)
  ) {
    throw new SegmentIntegrityError('header', 'encrypted recording header is inconsistent');
  }
  return { recordingId, segmentBytes, segmentCount, plaintextBytes, noncePrefix: Buffer.from(b.subarray(40, 44)) };
}

export function encryptedFileBytes(h: Pick<SegmentedFileHeader, 'plaintextBytes' | 'segmentBytes'>): number {
  return SEGMENT_HEADER_BYTES + segmentCountFor(h.plaintextBytes, h.segmentBytes) * SEGMENT_OVERHEAD_BYTES + h.plaintextBytes;
}

export function segmentFileOffset(h: Pick<SegmentedFileHeader, 'segmentBytes'>, index: number): number {
  return SEGMENT_HEADER_BYTES + index * (h.segmentBytes + SEGMENT_OVERHEAD_BYTES);
}

export function segmentPlaintextBytes(h: SegmentedFileHeader, index: number): number {
  if (index < 0 || index >= h.segmentCount) throw new RangeError('segment index out of range');
  return index === h.segmentCount - 1 ? h.plaintextBytes - index * h.segmentBytes : h.segmentBytes;
}

/** The sealed bytes of segment i: nonce, ciphertext, tag. */
export function sealedSegmentBytes(h: SegmentedFileHeader, index: number): number {
  return segmentPlaintextBytes(h, index) + SEGMENT_OVERHEAD_BYTES;
}

function nonceOf(h: SegmentedFileHeader, index: number): Buffer {
  const nonce = Buffer.alloc(SEGMENT_NONCE_BYTES);
  h.noncePrefix.copy(nonce, 0, 0, 4);
  nonce.writeBigUInt64BE(BigInt(index), 4);
  return nonce;
}

function aadOf(header: Buffer, index: number, isLast: boolean): Buffer {
  const aad = Buffer.alloc(SEGMENT_HEADER_BYTES + 9);
  header.copy(aad, 0);
  aad.writeBigUInt64BE(BigInt(index), SEGMENT_HEADER_BYTES);
  aad[SEGMENT_HEADER_BYTES + 8] = isLast ? 1 : 0;
  return aad;
}

function assertKey(key: Buffer): void {
  if (key.length !== 32) throw new Error('AES-256-GCM needs a 32-byte key');
}

/** Seals segment after segment of one file; holds the header bytes that go into every AAD. */
export class SegmentSealer {
  readonly headerBytes: Buffer;

  constructor(
    private readonly key: Buffer,
    readonly header: SegmentedFileHeader,
  ) {
    assertKey(key);
    this.headerBytes = encodeSegmentedFileHeader(header);
  }

  seal(index: number, plaintext: Buffer): Buffer {
    if (plaintext.length !== segmentPlaintextBytes(this.header, index)) throw new Error('segment has the wrong size');
    const nonce = nonceOf(this.header, index);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce, { authTagLength: SEGMENT_TAG_BYTES });
    cipher.setAAD(aadOf(this.headerBytes, index, index === this.header.segmentCount - 1));
    const body = cipher.update(plaintext);
    cipher.final();
    return Buffer.concat([nonce, body, cipher.getAuthTag()]);
  }
}

/** Opens segments of one file, given its (authenticated-by-use) header bytes. */
export class SegmentOpener {
  readonly header: SegmentedFileHeader;

  constructor(
    private readonly key: Buffer,
    private readonly headerBytes: Buffer,
  ) {
    assertKey(key);
    this.header = decodeSegmentedFileHeader(headerBytes);
  }

  open(index: number, sealed: Buffer): Buffer {
    const h = this.header;
    if (index < 0 || index >= h.segmentCount) throw new SegmentIntegrityError('segment', 'segment index out of range', index);
    if (sealed.length !== sealedSegmentBytes(h, index)) throw new SegmentIntegrityError('size', 'segment is truncated', index);
    const nonce = sealed.subarray(0, SEGMENT_NONCE_BYTES);
    if (!nonce.equals(nonceOf(h, index))) throw new SegmentIntegrityError('segment', 'segment is out of place', index);
    const decipher = createDecipheriv('aes-256-gcm', this.key, nonce, { authTagLength: SEGMENT_TAG_BYTES });
    decipher.setAAD(aadOf(this.headerBytes.subarray(0, SEGMENT_HEADER_BYTES), index, index === h.segmentCount - 1));
    decipher.setAuthTag(sealed.subarray(sealed.length - SEGMENT_TAG_BYTES));
    const body = decipher.update(sealed.subarray(SEGMENT_NONCE_BYTES, sealed.length - SEGMENT_TAG_BYTES));
    try {
      decipher.final();
    } catch {
      body.fill(0);
      throw new SegmentIntegrityError('segment', 'segment failed authentication', index);
    }
    return body;
  }
}

/**
 * Cuts a plaintext stream of the announced length into sealed segments, header first. The caller
 * writes what this yields, in order, to one file.
 */
export async function* sealSegments(sealer: SegmentSealer, plaintext: AsyncIterable<Buffer> | Iterable<Buffer>): AsyncGenerator<Buffer> {
  const h = sealer.header;
  yield sealer.headerBytes;
  let index = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let seen = 0;
  const flush = (size: number): Buffer => {
    const all = pending.length === 1 ? pending[0] : Buffer.concat(pending, pendingBytes);
    const segment = all.subarray(0, size);
    const rest = all.subarray(size);
    pending = rest.length > 0 ? [rest] : [];
    pendingBytes = rest.length;
    return sealer.seal(index++, segment);
  };
  for await (const chunk of plaintext) {
    seen += chunk.length;
    if (seen > h.plaintextBytes) throw new Error('plaintext is longer than announced');
    pending.push(chunk);
    pendingBytes += chunk.length;
    while (index < h.segmentCount && pendingBytes > 0 && pendingBytes >= segmentPlaintextBytes(h, index)) {
      yield flush(segmentPlaintextBytes(h, index));
    }
  }
  if (seen !== h.plaintextBytes) throw new Error('plaintext is shorter than announced');
  if (index < h.segmentCount) yield flush(segmentPlaintextBytes(h, index));
}
