/** Bencode, as rtpengine's ng control protocol speaks it: byte strings, integers, lists, dictionaries. */
export type BencodeValue = string | Buffer | number | BencodeValue[] | { [key: string]: BencodeValue };

export function bencode(value: BencodeValue): Buffer {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error('bencode integers must be safe integers');
    return Buffer.from(`i${value}e`);
  }
  if (typeof value === 'string' || Buffer.isBuffer(value)) {
    const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
    return Buffer.concat([Buffer.from(`${bytes.length}:`), bytes]);
  }
  if (Array.isArray(value)) return Buffer.concat([Buffer.from('l'), ...value.map(bencode), Buffer.from('e')]);
  const keys = Object.keys(value).sort();
  return Buffer.concat([Buffer.from('d'), ...keys.flatMap((k) => [bencode(k), bencode(value[k])]), Buffer.from('e')]);
}

export class BencodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BencodeError';
  }
}

/** Decodes one value; strings come back as UTF-8 text. */
export function bdecode(input: Buffer): BencodeValue {
  const [value, end] = decodeAt(input, 0, 0);
  if (end !== input.length) throw new BencodeError('trailing bytes');
  return value;
}

function decodeAt(b: Buffer, at: number, depth: number): [BencodeValue, number] {
  if (depth > 32) throw new BencodeError('nested too deeply');
  const c = b[at];
  if (c === 0x69) {
    const end = b.indexOf(0x65, at);
    if (end < 0) throw new BencodeError('unterminated integer');
    const text = b.toString('ascii', at + 1, end);
    if (!/^-?\d+$/.test(text)) throw new BencodeError('bad integer');
    return [Number(text), end + 1];
  }
  if (c === 0x6c || c === 0x64) {
    const list: BencodeValue[] = [];
    let i = at + 1;
    while (b[i] !== 0x65) {
      if (i >= b.length) throw new BencodeError('unterminated container');
      const [v, next] = decodeAt(b, i, depth + 1);
      list.push(v);
      i = next;
    }
    if (c === 0x6c) return [list, i + 1];
    if (list.length % 2 !== 0) throw new BencodeError('dictionary without a value');
    const dict: { [key: string]: BencodeValue } = {};
    for (let k = 0; k < list.length; k += 2) {
      if (typeof list[k] !== 'string') throw new BencodeError('dictionary key is not a string');
      dict[list[k] as string] = list[k + 1];
    }
    return [dict, i + 1];
  }
  const colon = b.indexOf(0x3a, at);
  const lengthText = colon < 0 ? '' : b.toString('ascii', at, colon);
  if (!/^\d+$/.test(lengthText)) throw new BencodeError('bad string length');
  const start = colon + 1;
  const end = start + Number(lengthText);
  if (end > b.length) throw new BencodeError('string runs past the end');
  return [b.toString('utf8', start, end), end];
}
