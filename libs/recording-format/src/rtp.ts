/** RFC 3550 fixed header, with CSRCs, header extension and padding removed from the payload. */
export interface RtpPacket {
  payloadType: number;
  marker: boolean;
  sequence: number;
  timestamp: number;
  ssrc: number;
  payload: Buffer;
}

export function parseRtp(datagram: Buffer): RtpPacket | null {
  if (datagram.length < 12 || datagram[0] >> 6 !== 2) return null;
  const payloadType = datagram[1] & 0x7f;
  // 72..76 are RTCP packet types seen through the marker bit: not media.
  if (payloadType >= 72 && payloadType <= 76) return null;
  let offset = 12 + (datagram[0] & 0x0f) * 4;
  if (datagram[0] & 0x10) {
    if (datagram.length < offset + 4) return null;
    offset += 4 + datagram.readUInt16BE(offset + 2) * 4;
  }
  let end = datagram.length;
  if (datagram[0] & 0x20) end -= datagram[datagram.length - 1];
  if (end < offset) return null;
  return {
    payloadType,
    marker: (datagram[1] & 0x80) !== 0,
    sequence: datagram.readUInt16BE(2),
    timestamp: datagram.readUInt32BE(4),
    ssrc: datagram.readUInt32BE(8),
    payload: datagram.subarray(offset, end),
  };
}

export function buildRtp(p: Omit<RtpPacket, 'marker'> & { marker?: boolean }): Buffer {
  const header = Buffer.alloc(12);
  header[0] = 0x80;
  header[1] = (p.marker ? 0x80 : 0) | (p.payloadType & 0x7f);
  header.writeUInt16BE(p.sequence & 0xffff, 2);
  header.writeUInt32BE(p.timestamp >>> 0, 4);
  header.writeUInt32BE(p.ssrc >>> 0, 8);
  return Buffer.concat([header, p.payload]);
}
