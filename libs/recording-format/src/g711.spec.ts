import { ALAW_TO_LINEAR, linearToAlaw, linearToUlaw, ULAW_TO_LINEAR } from './g711';

describe('G.711', () => {
  it('decodes the reference points of µ-law and A-law', () => {
    expect(ULAW_TO_LINEAR[0xff]).toBe(0);
    expect(ULAW_TO_LINEAR[0x7f]).toBe(0);
    expect(ULAW_TO_LINEAR[0x80]).toBe(32124);
    expect(ULAW_TO_LINEAR[0x00]).toBe(-32124);
    expect(ALAW_TO_LINEAR[0xd5]).toBe(8);
    expect(ALAW_TO_LINEAR[0x55]).toBe(-8);
    expect(ALAW_TO_LINEAR[0xaa]).toBe(32256);
    expect(ALAW_TO_LINEAR[0x2a]).toBe(-32256);
  });

  it('encodes every decoded value back to a code that decodes to the same value', () => {
    for (let code = 0; code < 256; code++) {
      expect(ULAW_TO_LINEAR[linearToUlaw(ULAW_TO_LINEAR[code])]).toBe(ULAW_TO_LINEAR[code]);
      expect(ALAW_TO_LINEAR[linearToAlaw(ALAW_TO_LINEAR[code])]).toBe(ALAW_TO_LINEAR[code]);
    }
  });

  it('quantises within the companding error across the range', () => {
    for (let x = -32000; x <= 32000; x += 37) {
      const tolerance = Math.max(16, Math.abs(x) / 16);
      expect(Math.abs(ULAW_TO_LINEAR[linearToUlaw(x)] - x)).toBeLessThanOrEqual(tolerance);
      expect(Math.abs(ALAW_TO_LINEAR[linearToAlaw(x)] - x)).toBeLessThanOrEqual(tolerance);
    }
  });
});
