import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ALAW_TO_LINEAR,
  buildRtp,
  linearToAlaw,
  linearToUlaw,
  PcapWriteRecord,
  ULAW_TO_LINEAR,
  writePcapUdp,
} from '@app/recording-format';

export const CUSTOMER = { ip: '203.0.113.5', port: 40000, ssrc: 0x1111aaaa };
export const AGENT = { ip: '10.20.0.9', port: 20000, ssrc: 0x2222bbbb };
const RTPENGINE = { ip: '10.20.0.1', port: 30000 };

export interface ToneCallOptions {
  seconds: number;
  /** Payload type: 0 PCMU, 8 PCMA, anything else is sent as-is (for unsupported-codec tests). */
  payloadType?: number;
  customerHz?: number;
  agentHz?: number;
  /** The agent's first packet comes this long after the customer's. */
  agentDelayMs?: number;
  /** Every n-th customer packet is lost. */
  dropEvery?: number;
  startUs?: number;
}

export interface ToneCall {
  pcap: Buffer;
  /** What the recording must contain, sample by sample: [left = customer, right = agent] per frame. */
  expected: Int16Array;
  frames: number;
}

const PACKET_SAMPLES = 160;

/** Two G.711 tones, one per leg, as rtpengine would capture them: 20 ms packets, random SSRC clocks. */
export function toneCall(options: ToneCallOptions): ToneCall {
  const pt = options.payloadType ?? 0;
  const encode = pt === 8 ? linearToAlaw : linearToUlaw;
  const decode = pt === 8 ? ALAW_TO_LINEAR : ULAW_TO_LINEAR;
  const startUs = options.startUs ?? 1_763_740_800_000_000;
  const packets = Math.round((options.seconds * 8000) / PACKET_SAMPLES);
  const agentDelaySamples = Math.round(((options.agentDelayMs ?? 100) * 8000) / 1000);
  const frames = packets * PACKET_SAMPLES + agentDelaySamples;
  const expected = new Int16Array(frames * 2);
  const records: PcapWriteRecord[] = [];
  const legs = [
    { leg: CUSTOMER, hz: options.customerHz ?? 440, channel: 0, offset: 0, ts0: randomBytes(4).readUInt32BE(0), seq0: 100 },
    { leg: AGENT, hz: options.agentHz ?? 1000, channel: 1, offset: agentDelaySamples, ts0: 0xffffff00, seq0: 65530 }, // wraps
  ];
  for (const { leg, hz, channel, offset, ts0, seq0 } of legs) {
    for (let p = 0; p < packets; p++) {
      const payload = Buffer.alloc(PACKET_SAMPLES);
      for (let i = 0; i < PACKET_SAMPLES; i++) {
        const n = p * PACKET_SAMPLES + i;
        const code = encode(12000 * Math.sin((2 * Math.PI * hz * n) / 8000));
        payload[i] = code;
        const dropped = channel === 0 && options.dropEvery !== undefined && p % options.dropEvery === options.dropEvery - 1;
        if (!dropped) expected[(offset + n) * 2 + channel] = decode[code];
      }
      if (channel === 0 && options.dropEvery !== undefined && p % options.dropEvery === options.dropEvery - 1) continue;
      records.push({
        timeUs: startUs + Math.round(((offset + p * PACKET_SAMPLES) * 1_000_000) / 8000) + (p % 3) * 700, // a little jitter
        source: { ip: leg.ip, port: leg.port },
        destination: RTPENGINE,
        payload: buildRtp({ payloadType: pt, sequence: (seq0 + p) & 0xffff, timestamp: (ts0 + p * PACKET_SAMPLES) >>> 0, ssrc: leg.ssrc, payload }),
      });
    }
  }
  records.sort((a, b) => a.timeUs - b.timeUs);
  return { pcap: writePcapUdp(records), expected, frames };
}

/** Puts a finished call into an rtpengine pcap spool as 10.5 does: pcaps/<prefix>.pcap, then metadata/rtpengine-meta-<prefix>.txt. */
export function writeSpoolCall(spoolDir: string, callId: string, pcap: Buffer): { pcapPath: string; metaPath: string } {
  const prefix = `${encodeURIComponent(callId)}-${randomBytes(8).toString('hex')}`;
  mkdirSync(join(spoolDir, 'pcaps'), { recursive: true });
  mkdirSync(join(spoolDir, 'metadata'), { recursive: true });
  const pcapPath = join(spoolDir, 'pcaps', `${prefix}.pcap`);
  const metaPath = join(spoolDir, 'metadata', `rtpengine-meta-${prefix}.txt`);
  writeFileSync(pcapPath, pcap);
  writeFileSync(metaPath, `${pcapPath}\n\n\nTimestamp started ms: 1763740800000.000\n\n`);
  return { pcapPath, metaPath };
}

export function samplesOfWav(wav: Buffer): Int16Array {
  const data = wav.subarray(44);
  return new Int16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length));
}

export function newCallId(): string {
  return `${randomUUID()}@test.invalid`;
}
