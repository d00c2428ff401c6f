import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, NgDictionary } from 'rtpengine-client';
import { HAS_RTPENGINE, RtpengineProcess, startRtpengine } from '../../../../../test/utils/rtpengine-process';
import { NgRtpengineRepository } from './ng-rtpengine.repository';
import { profileFlags } from './rtpengine-flags';
import { SrtpPolicyException, enforceStrongSrtp, strongSuitesIn, weakSuitesIn } from './sdp-crypto-policy';

const maybe = HAS_RTPENGINE ? describe : describe.skip;
if (!HAS_RTPENGINE) console.log('rtpengine medium tests skipped: no rtpengine binary on PATH (apt-get install rtpengine-daemon)');

const lines = (l: string[]) => [...l, ''].join('\r\n');

/** A carrier's plain offer. */
const carrier = (port: number) =>
  lines(['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${port} RTP/AVP 0 8 101`, 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:101 telephone-event/8000', 'a=sendrecv']);

/** A phone whose SRTP offer leads with suites we refuse, the one good suite last (tag 4). */
const weakFirstPhone = (port: number) =>
  lines([
    'v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${port} RTP/SAVP 0 8`, 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000',
    'a=crypto:1 NULL_HMAC_SHA1_80 inline:d0RmdmcmVCspeEc3QGZiNWpVLFJhQX1cfHAwJSoj|2^31',
    'a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj|2^31',
    'a=crypto:3 F8_128_HMAC_SHA1_80 inline:MTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5QUJjZGVm|2^31',
    'a=crypto:4 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^31',
    'a=sendrecv',
  ]);

const cryptoLines = (sdp: string) => sdp.split('\r\n').filter((l) => l.startsWith('a=crypto:'));
const protocolOf = (sdp: string) => /^m=audio \d+ (\S+)/m.exec(sdp)?.[1];

/**
 * NgRtpengineRepository against a real rtpengine 10.5 (userspace, loopback). Some cases also talk to
 * rtpengine with the raw client and only profileFlags(), to show that rtpengine itself (not just our
 * SDP filter) keeps to the strong suites.
 */
maybe('NgRtpengineRepository against a real rtpengine', () => {
  let rtpengine: RtpengineProcess;
  let repository: NgRtpengineRepository;
  let raw: Client;
  let spool: string;
  let n = 0;
  const callId = () => `medium-${process.pid}-${++n}`;

  async function rawCommand(command: 'offer' | 'answer', options: NgDictionary): Promise<NgDictionary> {
    return raw[command]({ host: '127.0.0.1', port: rtpengine.ngPort }, options);
  }

  beforeAll(async () => {
    spool = mkdtempSync(join(tmpdir(), 'rtpengine-spool-'));
    // --config-file=none: the packaged /etc/rtpengine/rtpengine.conf would add fixed CLI and HTTP ports
    // (taken when another rtpengine runs on this machine) and the kernel recording method.
    rtpengine = await startRtpengine(['--config-file=none', `--recording-dir=${spool}`, '--recording-method=pcap']);
    repository = new NgRtpengineRepository({ host: '127.0.0.1', port: rtpengine.ngPort, timeoutMs: 3000 });
    raw = new Client({ timeout: 3000 });
    raw.on('error', () => undefined);
  });

  afterAll(async () => {
    repository?.close();
    raw?.close();
    await rtpengine?.stop();
    rmSync(spool, { recursive: true, force: true });
  });

  it('answers a ping', async () => {
    await expect(repository.ping()).resolves.toBeUndefined();
  });

  it('turns a carrier’s plain offer into RTP/SAVP with only strong SDES suites', async () => {
    const sdp = await repository.offer({ callId: callId(), fromTag: 'carrier', sdp: carrier(5000), profile: 'srtp-sdes' });
    expect(protocolOf(sdp)).toBe('RTP/SAVP');
    expect(weakSuitesIn(sdp)).toEqual([]);
    expect(strongSuitesIn(sdp)).toEqual(expect.arrayContaining(['AES_CM_128_HMAC_SHA1_80']));
    expect(sdp).not.toMatch(/a=(candidate|ice-ufrag|fingerprint|rtcp-mux)/);
  });

  it('rtpengine itself offers only the strong suites with our flags, and NULL/F8/32-bit ones without them', async () => {
    const withPolicy = await rawCommand('offer', { ...profileFlags('srtp-sdes'), 'call-id': callId(), 'from-tag': 'carrier', sdp: carrier(5002) });
    const offered = String(withPolicy.sdp);
    expect(weakSuitesIn(offered)).toEqual([]);
    expect(strongSuitesIn(offered)).toEqual(['AEAD_AES_256_GCM', 'AEAD_AES_128_GCM', 'AES_CM_128_HMAC_SHA1_80']);

    const { SDES: _sdes, ...noPolicy } = profileFlags('srtp-sdes');
    const withoutPolicy = await rawCommand('offer', { ...noPolicy, 'call-id': callId(), 'from-tag': 'carrier', sdp: carrier(5004) });
    expect(weakSuitesIn(String(withoutPolicy.sdp))).toEqual(expect.arrayContaining(['NULL_HMAC_SHA1_80', 'F8_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32']));
  });

  it('answers a phone that offers NULL and 32-bit suites first with a strong suite only', async () => {
    const id = callId();
    const towardCarrier = await repository.offer({ callId: id, fromTag: 'phone', sdp: weakFirstPhone(6000), profile: 'rtp', label: 'agent' });
    expect(protocolOf(towardCarrier)).toBe('RTP/AVP');
    expect(cryptoLines(towardCarrier)).toEqual([]);
    const towardPhone = await repository.answer({ callId: id, fromTag: 'phone', toTag: 'carrier', sdp: carrier(7000), profile: 'srtp-sdes', label: 'customer' });
    expect(protocolOf(towardPhone)).toBe('RTP/SAVP');
    expect(cryptoLines(towardPhone)).toHaveLength(1);
    expect(cryptoLines(towardPhone)[0]).toMatch(/^a=crypto:4 AES_CM_128_HMAC_SHA1_80 inline:/);
    await repository.delete(id);
  });

  it('rtpengine itself picks the strong suite when the offer reaching it still lists weak ones first', async () => {
    const id = callId();
    await rawCommand('offer', { ...profileFlags('rtp'), 'call-id': id, 'from-tag': 'phone', sdp: weakFirstPhone(6002) });
    const answer = await rawCommand('answer', { ...profileFlags('srtp-sdes'), 'call-id': id, 'from-tag': 'phone', 'to-tag': 'carrier', sdp: carrier(7002) });
    expect(cryptoLines(String(answer.sdp))).toEqual([expect.stringMatching(/^a=crypto:4 AES_CM_128_HMAC_SHA1_80 /)]);
  });

  it('refuses a phone that offers only refused suites (rtpengine would answer RTP/SAVP with no key at all)', async () => {
    const weakOnly = weakFirstPhone(6004).replace(/a=crypto:4 .*\r\n/, '');
    await expect(repository.offer({ callId: callId(), fromTag: 'phone', sdp: weakOnly, profile: 'rtp' })).rejects.toBeInstanceOf(SrtpPolicyException);

    const id = callId();
    await rawCommand('offer', { ...profileFlags('rtp'), 'call-id': id, 'from-tag': 'phone', sdp: weakOnly });
    const answer = await rawCommand('answer', { ...profileFlags('srtp-sdes'), 'call-id': id, 'from-tag': 'phone', 'to-tag': 'carrier', sdp: carrier(7004) });
    expect(protocolOf(String(answer.sdp))).toBe('RTP/SAVP');
    expect(cryptoLines(String(answer.sdp))).toEqual([]);
    expect(() => enforceStrongSrtp(String(answer.sdp))).toThrow(SrtpPolicyException);
  });

  it('pins an SRTP leg to one suite when told to exclude the other strong ones', async () => {
    const sdp = await repository.offer({
      callId: callId(),
      fromTag: 'carrier',
      sdp: carrier(5060),
      profile: 'srtp-sdes',
      excludeSuites: ['AEAD_AES_256_GCM', 'AEAD_AES_128_GCM'],
    });
    expect(strongSuitesIn(sdp)).toEqual(['AES_CM_128_HMAC_SHA1_80']);
    expect(weakSuitesIn(sdp)).toEqual([]);
  });

  it('passes a strong SRTP offer on as SRTP, minus the weak suites', async () => {
    const id = callId();
    const sdp = await repository.offer({ callId: id, fromTag: 'phone', sdp: weakFirstPhone(6006), profile: 'srtp-sdes' });
    expect(weakSuitesIn(sdp)).toEqual([]);
    expect(strongSuitesIn(sdp)[0]).toBe('AES_CM_128_HMAC_SHA1_80');
  });

  it('offers DTLS-SRTP with ICE toward WebRTC', async () => {
    const sdp = await repository.offer({ callId: callId(), fromTag: 'carrier', sdp: carrier(5006), profile: 'dtls-srtp' });
    expect(protocolOf(sdp)).toBe('UDP/TLS/RTP/SAVPF');
    expect(sdp).toMatch(/^a=fingerprint:sha-256 /m);
    expect(sdp).toMatch(/^a=candidate:/m);
    expect(sdp).toMatch(/^a=rtcp-mux/m);
    expect(cryptoLines(sdp)).toEqual([]);
  });

  it('says where a party sends media from', async () => {
    const id = callId();
    await repository.offer({ callId: id, fromTag: 'carrier', sdp: carrier(5008), profile: 'srtp-sdes' });
    expect(await repository.mediaEndpoint(id, 'carrier')).toBe('127.0.0.1:5008');
    expect(await repository.mediaEndpoint(id, 'nobody')).toBeNull();
  });

  it('lets a manager listen to both legs over SRTP, then stop', async () => {
    const id = callId();
    await repository.offer({ callId: id, fromTag: 'customer', sdp: carrier(5010), profile: 'rtp' });
    await repository.answer({ callId: id, fromTag: 'customer', toTag: 'agent', sdp: carrier(5012), profile: 'rtp' });
    const sub = await repository.subscribe({ callId: id, fromTags: 'all', profile: 'srtp-sdes', toTag: 'manager' });
    expect(sub.toTag).toBe('manager');
    expect(sub.fromTags.sort()).toEqual(['agent', 'customer']);
    expect(sub.sdp.match(/^m=audio \d+ RTP\/SAVP /gm)).toHaveLength(2);
    expect(sub.sdp).toMatch(/^a=sendonly/m);
    expect(weakSuitesIn(sub.sdp)).toEqual([]);

    // The manager's phone accepts PCMU only and the AES_CM_128_HMAC_SHA1_80 key of each section.
    const managerAnswer = answerTo(sub.sdp, [5020, 5022]);
    await expect(repository.subscribeAnswer(id, 'manager', managerAnswer, 'srtp-sdes')).resolves.toBeUndefined();
    await expect(repository.unsubscribe(id, 'manager')).resolves.toBeUndefined();
  });

  it('plays a media file to a party and says how long it is', async () => {
    const id = callId();
    await repository.offer({ callId: id, fromTag: 'customer', sdp: carrier(5030), profile: 'rtp' });
    await repository.answer({ callId: id, fromTag: 'customer', toTag: 'agent', sdp: carrier(5032), profile: 'rtp' });
    const file = join(spool, 'hold.wav');
    writeFileSync(file, wavOfSilence(8000, 2));
    expect(await repository.playMedia(id, 'customer', file)).toBe(2000);
    await expect(repository.stopMedia(id, 'customer')).resolves.toBeUndefined();
    await expect(repository.playMedia(id, 'customer', join(spool, 'missing.wav'))).rejects.toThrow('rtpengine refused playMedia');
  });

  it('records a call to the spool when asked (the recording service ingests it from there)', async () => {
    const id = callId();
    await repository.offer({ callId: id, fromTag: 'customer', sdp: carrier(5040), profile: 'srtp-sdes', record: true, label: 'customer' });
    await repository.answer({ callId: id, fromTag: 'customer', toTag: 'agent', sdp: weakFirstPhone(5042), profile: 'rtp', label: 'agent' });
    await repository.delete(id);
    const metadata = await eventually(() => readdirSync(join(spool, 'metadata')).filter((f) => f.includes(id)));
    expect(metadata).toHaveLength(1);
  });

  it('deletes calls, and takes the delete of an unknown call in its stride', async () => {
    const id = callId();
    await repository.offer({ callId: id, fromTag: 'carrier', sdp: carrier(5050), profile: 'srtp-sdes' });
    await expect(repository.delete(id, 'carrier')).resolves.toBeUndefined();
    await expect(repository.delete(id)).resolves.toBeUndefined();
    await expect(repository.delete('never-existed')).resolves.toBeUndefined();
    await expect(repository.mediaEndpoint(id, 'carrier')).rejects.toThrow(/rtpengine refused query/);
  });
});

/** A recvonly answer to a subscription offer: PCMU only, and the AES_CM_128_HMAC_SHA1_80 suite of each section. */
function answerTo(offer: string, ports: number[]): string {
  const sections = offer.split(/\r\n(?=m=)/).slice(1);
  const keys = ['PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR', 'd0RmdmcmVCspeEc3QGZiNWpVLFJhQX1cfHAwJSoj'];
  return lines([
    'v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0',
    ...sections.flatMap((section, i) => {
      const tag = /^a=crypto:(\d+) AES_CM_128_HMAC_SHA1_80 /m.exec(section)![1];
      return [`m=audio ${ports[i]} RTP/SAVP 0`, 'a=rtpmap:0 PCMU/8000', 'a=recvonly', `a=crypto:${tag} AES_CM_128_HMAC_SHA1_80 inline:${keys[i]}`];
    }),
  ]);
}

/** A mono 16-bit PCM WAV of silence. */
function wavOfSilence(rate: number, seconds: number): Buffer {
  const data = Buffer.alloc(rate * seconds * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** Polls until `read` returns a non-empty list (rtpengine writes the metadata file after the delete returns). */
async function eventually<T>(read: () => T[], attempts = 100): Promise<T[]> {
  for (let i = 0; i < attempts; i++) {
    let found: T[] = [];
    try {
      found = read();
    } catch {
      found = [];
    }
    if (found.length > 0) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return [];
}
