export type ByteRange =
  | { kind: 'whole' }
  | { kind: 'range'; start: number; end: number }
  | { kind: 'unsatisfiable' };

const SINGLE = /^bytes=(\d*)-(\d*)$/;

/**
 * One byte range over a representation of `total` bytes (RFC 9110 §14). No header means the whole
 * file; a malformed, multiple, inverted or out-of-bounds range is unsatisfiable (416), so a client
 * never gets a different part than it asked for. An end past the file is clipped.
 */
export function parseByteRange(header: string | undefined, total: number): ByteRange {
  if (header === undefined || header.trim() === '') return { kind: 'whole' };
  const match = SINGLE.exec(header.trim().replace(/\s+/g, ''));
  if (!match || (match[1] === '' && match[2] === '')) return { kind: 'unsatisfiable' };
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (!Number.isSafeInteger(suffix) || suffix === 0 || total === 0) return { kind: 'unsatisfiable' };
    return { kind: 'range', start: Math.max(0, total - suffix), end: total - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? total - 1 : Math.min(Number(match[2]), total - 1);
  if (!Number.isSafeInteger(start) || start >= total || Number(match[2] || start) < start) return { kind: 'unsatisfiable' };
  return { kind: 'range', start, end };
}
