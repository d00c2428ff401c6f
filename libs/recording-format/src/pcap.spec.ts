import { LinkType, PcapFormatError, readPcapUdp, writePcapUdp } from './pcap';
import { buildRtp, parseRtp } from './rtp';

describe('pcap reader', () => {
  const records = [
    { timeUs: 1_700_000_000_123_456, source: { ip: '10.0.0.1', port: 4000 }, destination: { ip: '10.0.0.2', port: 5000 }, payload: Buffer.from('one') },
    { timeUs: 1_700_000_000_143_456, source: { ip: '10.0.0.2', port: 5000 }, destination: { ip: '10.0.0.1', port: 4000 }, payload: Buffer.from('two') },
  ];

  it.each([LinkType.Raw, LinkType.Ethernet] as const)('reads UDP datagrams of link type %i with time and endpoints', (linkType) => {
    const datagrams = readPcapUdp(writePcapUdp(records, linkType));
    expect(datagrams.map((d) => [d.timeUs, d.source, d.destination, d.payload.toString()])).toEqual([
      [1_700_000_000_123_456, '10.0.0.1:4000', '10.0.0.2:5000', 'one'],
      [1_700_000_000_143_456, '10.0.0.2:5000', '10.0.0.1:4000', 'two'],
    ]);
  });

  it('reads a big-endian file and ignores a record cut short at the end', () => {
    const le = writePcapUdp(records);
    const be = Buffer.from(le);
    for (const offset of [0, 16, 20]) be.writeUInt32BE(le.readUInt32LE(offset), offset);
    be.writeUInt16BE(le.readUInt16LE(4), 4);
    be.writeUInt16BE(le.readUInt16LE(6), 6);
    let offset = 24;
    while (offset < le.length) {
      for (const field of [0, 4, 8, 12]) be.writeUInt32BE(le.readUInt32LE(offset + field), offset + field);
      offset += 16 + le.readUInt32LE(offset + 8);
    }
    expect(readPcapUdp(be)).toHaveLength(2);
    expect(readPcapUdp(le.subarray(0, le.length - 2))).toHaveLength(1);
  });

  it('refuses what is not a pcap', () => {
    expect(() => readPcapUdp(Buffer.alloc(40))).toThrow(PcapFormatError);
  });

  it('parses RTP and strips CSRCs, extension and padding', () => {
    const plain = parseRtp(buildRtp({ payloadType: 8, sequence: 7, timestamp: 0xfffffff0, ssrc: 0xdeadbeef, payload: Buffer.from([1, 2, 3]) }));
    expect(plain).toMatchObject({ payloadType: 8, sequence: 7, timestamp: 0xfffffff0, ssrc: 0xdeadbeef });
    expect([...plain!.payload]).toEqual([1, 2, 3]);
    const fancy = Buffer.concat([
      Buffer.from([0xb1, 0x00, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2]), // V=2, P, X, CC=1
      Buffer.from([0, 0, 0, 9]), // CSRC
      Buffer.from([0xbe, 0xde, 0, 1, 1, 2, 3, 4]), // one-word extension
      Buffer.from([9, 9, 0, 2]), // payload 9 9, then 2 bytes of padding
    ]);
    expect([...parseRtp(fancy)!.payload]).toEqual([9, 9]);
    expect(parseRtp(Buffer.from([0x80, 200, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]))).toBeNull(); // RTCP SR
  });
});
