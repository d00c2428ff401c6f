/** The plaintext of every recording: RIFF/WAVE, PCM 16-bit little-endian, interleaved channels. */
export const WAV_HEADER_BYTES = 44;

export interface WavFormat {
  sampleRate: number;
  channels: number;
}

export function wavHeader(format: WavFormat, dataBytes: number): Buffer {
  const blockAlign = format.channels * 2;
  const header = Buffer.alloc(WAV_HEADER_BYTES);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(format.channels, 22);
  header.writeUInt32LE(format.sampleRate, 24);
  header.writeUInt32LE(format.sampleRate * blockAlign, 28);
  header.writeUInt16LE(blockAlign, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(dataBytes, 40);
  return header;
}

/** Reads back what wavHeader wrote; null when the buffer is not such a header. */
export function parseWavHeader(buffer: Buffer): (WavFormat & { dataBytes: number }) | null {
  if (buffer.length < WAV_HEADER_BYTES) return null;
  if (buffer.toString('ascii', 0, 4) !== 'RIFF' || buffer.toString('ascii', 8, 12) !== 'WAVE') return null;
  if (buffer.toString('ascii', 36, 40) !== 'data' || buffer.readUInt16LE(20) !== 1 || buffer.readUInt16LE(34) !== 16) return null;
  return { channels: buffer.readUInt16LE(22), sampleRate: buffer.readUInt32LE(24), dataBytes: buffer.readUInt32LE(40) };
}
