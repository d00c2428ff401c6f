import { trunkUri } from './trunk.types';

describe('trunkUri', () => {
  const trunk = { host: 'sip.carrier.example', port: 5061, transport: 'tls' as const };

  it('puts the number, host, port and transport in a SIP URI', () => {
    expect(trunkUri(trunk, '+4930123456')).toBe('sip:+4930123456@sip.carrier.example:5061;transport=tls');
    expect(trunkUri({ host: '2001:db8::1', port: 5060, transport: 'udp' }, '004930123')).toBe('sip:004930123@[2001:db8::1]:5060;transport=udp');
  });

  it('refuses anything but digits, so lead data cannot reach the SIP message', () => {
    for (const bad of ['+49 30 123', '123@evil.example', '+4930;transport=udp', '1', '<sip:x>', '']) {
      expect(() => trunkUri(trunk, bad)).toThrow(RangeError);
    }
  });
});
