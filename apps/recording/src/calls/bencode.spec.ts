import { bdecode, bencode, BencodeError } from './bencode';

describe('bencode', () => {
  it('encodes dictionaries with sorted keys, as rtpengine expects', () => {
    expect(bencode({ command: 'ping', 'call-id': 'a@b', n: 3, l: ['x', 1] }).toString()).toBe('d7:call-id3:a@b7:command4:ping1:ll1:xi1ee1:ni3ee');
  });

  it('round-trips, and refuses malformed input', () => {
    const value = { result: 'ok', list: ['a', 'bb', 42], nested: { x: -1 } };
    expect(bdecode(bencode(value))).toEqual(value);
    for (const bad of ['d3:abc', 'i12', '5:ab', 'di1ei2ee', 'le1', '3:abcX']) {
      expect(() => bdecode(Buffer.from(bad))).toThrow(BencodeError);
    }
  });
});
