import { scannerIn } from './scanner-user-agents';

describe('scannerIn', () => {
  it.each([
    ['friendly-scanner', 'friendly-scanner'],
    ['sipvicious', 'sipvicious'],
    ['SIPVicious 0.3.4', 'sipvicious'],
    ['sipcli/v1.8', 'sipcli'],
    ['sip-scan', 'sip-scan'],
    ['sipscan 1.0', 'sip-scan'],
    ['VaxSIPUserAgent/3.1', 'VaxSIPUserAgent'],
    ['iWar', 'iWar'],
    ['sundayddr', 'sundayddr'],
    ['smap 0.6.0', 'smap'],
    ['pplsip', 'pplsip'],
  ])('recognises %s', (userAgent, name) => {
    expect(scannerIn(userAgent)).toBe(name);
  });

  it.each([
    'Linphone Desktop/5.2.4 (Ubuntu 22.04) Linphone/5.3.1',
    'Zoiper rv2.10.19.6',
    'MicroSIP/3.21.3',
    'Yealink SIP-T54W 96.86.0.15',
    'PolycomVVX-VVX_450-UA/6.4.3.5156',
    'baresip v3.10.1 (x86_64/linux)',
    'Grandstream GXP2170 1.0.11.23',
    'Cisco-CP8845/14.2.1',
    'sipsak 0.9.8',
    'Bria 6 release 6.7.1',
    'telephone-smapper-app', // "smap" only counts as the tool's own name
  ])('lets %s through', (userAgent) => {
    expect(scannerIn(userAgent)).toBeNull();
  });

  it('lets a missing User-Agent through (the digest decides)', () => {
    expect(scannerIn(undefined)).toBeNull();
    expect(scannerIn('')).toBeNull();
  });
});
