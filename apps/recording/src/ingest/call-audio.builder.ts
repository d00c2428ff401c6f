import { endianness } from 'node:os';
import { ALAW_TO_LINEAR, parseRtp, ULAW_TO_LINEAR, UdpDatagram, wavHeader, WAV_HEADER_BYTES } from '@app/recording-format';

export const RECORDING_SAMPLE_RATE = 8000;
export const RECORDING_CHANNELS = 2;
export const CUSTOMER_CHANNEL = 0;
export const AGENT_CHANNEL = 1;

/** How to tell the customer's leg; every other stream is the agent's. */
export interface LegHint {
  customerSsrc: number | null;
  customerAddress: string | null;
}

export type CallAudio =
  | { kind: 'audio'; wav: Buffer; codec: string; startedAtUs: number; durationMs: number; samples: number }
  | { kind: 'unsupported_codec'; codec: string; startedAtUs: number | null }
  | { kind: 'no_media' };

const PT_PCMU = 0;
const PT_PCMA = 8;
const PT_COMFORT_NOISE = 13;
const FIRST_DYNAMIC_PT = 96;
/** A stream whose RTP clock drifts this far from the capture clock is re-anchored (a timestamp jump). */
const REANCHOR_SAMPLES = 30 * RECORDING_SAMPLE_RATE;

interface Placement {
  channel: number;
  position: number;
  payload: Buffer;
  table: Int16Array;
}

interface StreamState {
  channel: number;
  prevTimestamp: number;
  ext: number;
  anchorSamples: number;
  anchorExt: number;
  media: number;
  dynamic: number;
}

/**
 * Builds the call's stereo audio (left customer, right agent) from its RTP. Within a stream, samples
 * are placed by RTP timestamp; streams are placed against each other by the capture time of their
 * first packet. Lost packets, PCI pauses and comfort noise leave silence. Dynamic payload types mixed
 * into a G.711 stream are telephone events and are dropped; a stream in any other codec makes the
 * whole call "unsupported codec" rather than noise.
 */
export function buildCallAudio(datagrams: readonly UdpDatagram[], hint: LegHint, maxSeconds: number): CallAudio {
  const packets = datagrams
    .map((d) => ({ d, rtp: parseRtp(d.payload) }))
    .filter((p): p is { d: UdpDatagram; rtp: NonNullable<ReturnType<typeof parseRtp>> } => p.rtp !== null)
    .sort((a, b) => a.d.timeUs - b.d.timeUs);
  const media = packets.filter((p) => p.rtp.payloadType !== PT_COMFORT_NOISE);
  if (media.length === 0) return { kind: 'no_media' };

  const unsupported = media.find((p) => p.rtp.payloadType < FIRST_DYNAMIC_PT && p.rtp.payloadType !== PT_PCMU && p.rtp.payloadType !== PT_PCMA);
  const t0 = (media.find((p) => p.rtp.payloadType < FIRST_DYNAMIC_PT) ?? media[0]).d.timeUs;
  if (unsupported) return { kind: 'unsupported_codec', codec: `PT${unsupported.rtp.payloadType}`, startedAtUs: t0 };

  const streams = new Map<string, StreamState>();
  const placements: Placement[] = [];
  const used = new Set<string>();
  const maxSamples = maxSeconds * RECORDING_SAMPLE_RATE;
  let totalSamples = 0;

  for (const { d, rtp } of media) {
    const key = `${d.source}|${rtp.ssrc}`;
    let stream = streams.get(key);
    if (rtp.payloadType >= FIRST_DYNAMIC_PT) {
      if (stream) stream.dynamic++;
      else streams.set(key, newStream(isCustomer(d.source, rtp.ssrc, hint), rtp.timestamp, 0, 1));
      continue;
    }
    const clockSamples = Math.round(((d.timeUs - t0) * RECORDING_SAMPLE_RATE) / 1_000_000);
    if (!stream || stream.media === 0) {
      stream = newStream(isCustomer(d.source, rtp.ssrc, hint), rtp.timestamp, 1, stream?.dynamic ?? 0);
      stream.anchorSamples = clockSamples;
      streams.set(key, stream);
    } else {
      stream.ext += (rtp.timestamp - stream.prevTimestamp) | 0; // signed 32-bit difference: wraps and reordering
      stream.prevTimestamp = rtp.timestamp;
      stream.media++;
      const expected = stream.anchorSamples + (stream.ext - stream.anchorExt);
      if (Math.abs(expected - clockSamples) > REANCHOR_SAMPLES) {
        stream.anchorSamples = clockSamples;
        stream.anchorExt = stream.ext;
      }
    }
    const position = stream.anchorSamples + (stream.ext - stream.anchorExt);
    if (position < 0 || position >= maxSamples) continue;
    const length = Math.min(rtp.payload.length, maxSamples - position);
    const table = rtp.payloadType === PT_PCMU ? ULAW_TO_LINEAR : ALAW_TO_LINEAR;
    used.add(rtp.payloadType === PT_PCMU ? 'PCMU' : 'PCMA');
    placements.push({ channel: stream.channel, position, payload: rtp.payload.subarray(0, length), table });
    totalSamples = Math.max(totalSamples, position + length);
  }

  if (placements.length === 0) {
    return { kind: 'unsupported_codec', codec: 'dynamic', startedAtUs: t0 };
  }

  const dataBytes = totalSamples * RECORDING_CHANNELS * 2;
  const wav = Buffer.alloc(WAV_HEADER_BYTES + dataBytes);
  wavHeader({ sampleRate: RECORDING_SAMPLE_RATE, channels: RECORDING_CHANNELS }, dataBytes).copy(wav, 0);
  if (endianness() === 'LE') {
    const pcm = new Int16Array(wav.buffer, wav.byteOffset + WAV_HEADER_BYTES, totalSamples * RECORDING_CHANNELS);
    for (const p of placements) {
      let at = p.position * RECORDING_CHANNELS + p.channel;
      for (let i = 0; i < p.payload.length; i++, at += RECORDING_CHANNELS) pcm[at] = p.table[p.payload[i]];
    }
  } else {
    for (const p of placements) {
      for (let i = 0; i < p.payload.length; i++) {
        wav.writeInt16LE(p.table[p.payload[i]], WAV_HEADER_BYTES + ((p.position + i) * RECORDING_CHANNELS + p.channel) * 2);
      }
    }
  }
  return {
    kind: 'audio',
    wav,
    codec: [...used].sort().reverse().join('+'),
    startedAtUs: t0,
    durationMs: Math.round((totalSamples * 1000) / RECORDING_SAMPLE_RATE),
    samples: totalSamples,
  };
}

function newStream(customer: boolean, timestamp: number, media: number, dynamic: number): StreamState {
  return {
    channel: customer ? CUSTOMER_CHANNEL : AGENT_CHANNEL,
    prevTimestamp: timestamp,
    ext: 0,
    anchorSamples: 0,
    anchorExt: 0,
    media,
    dynamic,
  };
}

function isCustomer(source: string, ssrc: number, hint: LegHint): boolean {
  if (hint.customerSsrc !== null && ssrc === hint.customerSsrc) return true;
  return hint.customerAddress !== null && source === hint.customerAddress;
}
