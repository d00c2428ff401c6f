/**
 * A small libpcap reader: the classic file format (both byte orders, micro- and nanosecond
 * timestamps) with the link types rtpengine and capture tools write, down to UDP datagrams.
 * pcapng is not read: rtpengine writes classic pcap.
 */

export enum LinkType {
  Ethernet = 1,
  /** DLT_RAW as some BSDs number it. */
  RawBsd = 12,
  RawOpenBsd = 14,
  Raw = 101,
  LinuxSll = 113,
  Ipv4 = 228,
  Ipv6 = 229,
}

export class PcapFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PcapFormatError';
  }
}

export interface UdpDatagram {
  /** Capture time, microseconds since the epoch. */
  timeUs: number;
  source: string;
  destination: string;
  payload: Buffer;
}

const MAGIC_US = 0xa1b2c3d4;
const MAGIC_NS = 0xa1b23c4d;
const UDP = 17;

/** Every UDP datagram in the file, in file order; other packets are skipped. */
export function readPcapUdp(file: Buffer): UdpDatagram[] {
  if (file.length < 24) throw new PcapFormatError('file is shorter than a pcap header');
  const magicBe = file.readUInt32BE(0);
  const magicLe = file.readUInt32LE(0);
  let le: boolean;
  let nanos: boolean;
  if (magicLe === MAGIC_US || magicLe === MAGIC_NS) {
    le = true;
    nanos = magicLe === MAGIC_NS;
  } else if (magicBe === MAGIC_US || magicBe === MAGIC_NS) {
    le = false;
    nanos = magicBe === MAGIC_NS;
  } else {
    throw new PcapFormatError('not a classic pcap file');
  }
  const u32 = (offset: number) => (le ? file.readUInt32LE(offset) : file.readUInt32BE(offset));
  const linkType = u32(20) & 0x0fffffff;
  const out: UdpDatagram[] = [];
  let offset = 24;
  while (offset + 16 <= file.length) {
    const seconds = u32(offset);
    const fraction = u32(offset + 4);
    const captured = u32(offset + 8);
    const start = offset + 16;
    const end = start + captured;
    if (end > file.length) break; // a record cut short by a crash of the writer: ignore the tail
    const timeUs = seconds * 1_000_000 + (nanos ? Math.floor(fraction / 1000) : fraction);
    const udp = udpOf(linkType, file.subarray(start, end));
    if (udp) out.push({ timeUs, ...udp });
    offset = end;
  }
  return out;
}

function udpOf(linkType: number, frame: Buffer): Omit<UdpDatagram, 'timeUs'> | null {
  switch (linkType) {
    case LinkType.Ethernet:
      return etherPayload(frame, 12);
    case LinkType.LinuxSll:
      return etherPayload(frame, 14);
    case LinkType.Raw:
    case LinkType.RawBsd:
    case LinkType.RawOpenBsd:
    case LinkType.Ipv4:
    case LinkType.Ipv6:
      return ipPayload(frame);
    default:
      throw new PcapFormatError(`unsupported link type ${linkType}`);
  }
}

/** Ethernet (type at 12) and Linux cooked (type at 14), skipping 802.1Q tags. */
function etherPayload(frame: Buffer, typeOffset: number): Omit<UdpDatagram, 'timeUs'> | null {
  let offset = typeOffset;
  if (frame.length < offset + 2) return null;
  let type = frame.readUInt16BE(offset);
  while (type === 0x8100 || type === 0x88a8) {
    offset += 4;
    if (frame.length < offset + 2) return null;
    type = frame.readUInt16BE(offset);
  }
  if (type !== 0x0800 && type !== 0x86dd) return null;
  return ipPayload(frame.subarray(offset + 2));
}

function ipPayload(packet: Buffer): Omit<UdpDatagram, 'timeUs'> | null {
  if (packet.length < 1) return null;
  const version = packet[0] >> 4;
  if (version === 4) {
    if (packet.length < 20) return null;
    const headerBytes = (packet[0] & 0x0f) * 4;
    const fragment = packet.readUInt16BE(6);
    if ((fragment & 0x1fff) !== 0 || (fragment & 0x2000) !== 0) return null; // fragments: RTP never needs them
    if (packet[9] !== UDP) return null;
    const total = Math.min(packet.readUInt16BE(2) || packet.length, packet.length);
    const src = `${packet[12]}.${packet[13]}.${packet[14]}.${packet[15]}`;
    const dst = `${packet[16]}.${packet[17]}.${packet[18]}.${packet[19]}`;
    return udpPayload(packet.subarray(headerBytes, total), src, dst);
  }
  if (version === 6) {
    if (packet.length < 40) return null;
    if (packet[6] !== UDP) return null; // extension headers are not followed: RTP does not use them
    const total = Math.min(40 + packet.readUInt16BE(4), packet.length);
    return udpPayload(packet.subarray(40, total), ipv6(packet.subarray(8, 24)), ipv6(packet.subarray(24, 40)));
  }
  return null;
}

function udpPayload(segment: Buffer, srcIp: string, dstIp: string): Omit<UdpDatagram, 'timeUs'> | null {
  if (segment.length < 8) return null;
  const length = Math.min(segment.readUInt16BE(4) || segment.length, segment.length);
  return {
    source: endpoint(srcIp, segment.readUInt16BE(0)),
    destination: endpoint(dstIp, segment.readUInt16BE(2)),
    payload: segment.subarray(8, length),
  };
}

/** "ip:port", with IPv6 in brackets: the form the dialer's call metadata uses. */
export function endpoint(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

function ipv6(bytes: Buffer): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
  return groups.join(':');
}

export interface PcapWriteRecord {
  timeUs: number;
  source: { ip: string; port: number };
  destination: { ip: string; port: number };
  payload: Buffer;
}

/** Writes IPv4/UDP datagrams as a pcap (raw IP, as rtpengine does by default). For tests and tools. */
export function writePcapUdp(records: readonly PcapWriteRecord[], linkType: LinkType.Raw | LinkType.Ethernet = LinkType.Raw): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(MAGIC_US, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(linkType, 20);
  const parts: Buffer[] = [header];
  for (const r of records) {
    const udp = Buffer.alloc(8);
    udp.writeUInt16BE(r.source.port, 0);
    udp.writeUInt16BE(r.destination.port, 2);
    udp.writeUInt16BE(8 + r.payload.length, 4);
    const ip = Buffer.alloc(20);
    ip[0] = 0x45;
    ip.writeUInt16BE(20 + 8 + r.payload.length, 2);
    ip[8] = 64;
    ip[9] = UDP;
    r.source.ip.split('.').forEach((o, i) => (ip[12 + i] = Number(o)));
    r.destination.ip.split('.').forEach((o, i) => (ip[16 + i] = Number(o)));
    const link = linkType === LinkType.Ethernet ? Buffer.from('0000000000020000000000010800', 'hex') : Buffer.alloc(0);
    const frame = Buffer.concat([link, ip, udp, r.payload]);
    const record = Buffer.alloc(16);
    record.writeUInt32LE(Math.floor(r.timeUs / 1_000_000), 0);
    record.writeUInt32LE(r.timeUs % 1_000_000, 4);
    record.writeUInt32LE(frame.length, 8);
    record.writeUInt32LE(frame.length, 12);
    parts.push(record, frame);
  }
  return Buffer.concat(parts);
}
