import { buildRtp, linearToUlaw, ULAW_TO_LINEAR, UdpDatagram } from '@app/recording-format';
import { buildCallAudio } from './call-audio.builder';

const T0 = 1_700_000_000_000_000;
const hint = { customerSsrc: 1, customerAddress: null };

function packet(ssrc: number, pt: number, seq: number, ts: number, timeUs: number, payload = Buffer.alloc(160, linearToUlaw(1000))): UdpDatagram {
  return { timeUs, source: ssrc === 1 ? '203.0.113.5:4000' : '10.0.0.9:5000', destination: '10.0.0.1:3000', payload: buildRtp({ payloadType: pt, sequence: seq, timestamp: ts, ssrc, payload }) };
}

function channel(wav: Buffer, ch: number): number[] {
  const out: number[] = [];
  for (let i = 44 + ch * 2; i < wav.length; i += 4) out.push(wav.readInt16LE(i));
  return out;
}

describe('buildCallAudio', () => {
  it('drops telephone events and comfort noise (silence), and places packets by RTP timestamp', () => {
    const audio = buildCallAudio(
      [
        packet(1, 0, 1, 1000, T0),
        packet(1, 101, 2, 1160, T0 + 20_000, Buffer.from([1, 2, 3, 4])), // DTMF event
        packet(1, 13, 3, 1320, T0 + 40_000, Buffer.from([0x40])), // comfort noise
        packet(1, 0, 4, 1480, T0 + 60_000),
      ],
      hint,
      60,
    );
    expect(audio.kind).toBe('audio');
    if (audio.kind !== 'audio') return;
    const left = channel(audio.wav, 0);
    expect(left).toHaveLength(640);
    const one = ULAW_TO_LINEAR[linearToUlaw(1000)];
    expect(left.slice(0, 160).every((s) => s === one)).toBe(true);
    expect(left.slice(160, 480).every((s) => s === 0)).toBe(true);
    expect(left.slice(480).every((s) => s === one)).toBe(true);
    expect(channel(audio.wav, 1).every((s) => s === 0)).toBe(true);
    expect(audio.codec).toBe('PCMU');
  });

  it('re-anchors a stream whose RTP clock jumps far from the capture clock, instead of inventing hours of silence', () => {
    const audio = buildCallAudio([packet(2, 8, 1, 0, T0), packet(2, 8, 2, 0x7fff0000, T0 + 20_000)], hint, 3600);
    expect(audio.kind === 'audio' && audio.durationMs).toBe(40);
  });

  it('calls a stream of another codec unsupported, and a call without RTP media no media', () => {
    expect(buildCallAudio([packet(1, 0, 1, 0, T0), packet(2, 18, 1, 0, T0)], hint, 60)).toMatchObject({ kind: 'unsupported_codec', codec: 'PT18' });
    expect(buildCallAudio([packet(2, 111, 1, 0, T0)], hint, 60)).toMatchObject({ kind: 'unsupported_codec', codec: 'dynamic' });
    expect(buildCallAudio([{ timeUs: T0, source: 'a:1', destination: 'b:2', payload: Buffer.from('not rtp') }], hint, 60)).toEqual({ kind: 'no_media' });
  });

  it('cuts a call at the maximum length', () => {
    const packets = Array.from({ length: 100 }, (_, p) => packet(1, 0, p, p * 160, T0 + p * 20_000));
    const audio = buildCallAudio(packets, hint, 1);
    expect(audio.kind === 'audio' && audio.samples).toBe(8000);
  });
});
