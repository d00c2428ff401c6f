import { FakeNgServer } from '../testing/fake-ng-server';
import { NgRtpengineRepository } from './ng-rtpengine.repository';
import { RtpengineException } from './rtpengine.repository';
import { SrtpPolicyException } from './sdp-crypto-policy';

const plain = ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 5000 RTP/AVP 0', ''].join('\r\n');
const KEY = 'JPEaIxHegfuv53ykBPZk8hV0GO8kTiiqRMfHimEE';
const srtp = (suite: string) =>
  ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 40000 RTP/SAVP 0', `a=crypto:1 ${suite} inline:${KEY}`, ''].join('\r\n');

describe('NgRtpengineRepository (against a fake ng socket)', () => {
  let server: FakeNgServer;
  let repository: NgRtpengineRepository;

  beforeEach(async () => {
    server = await FakeNgServer.start();
    repository = new NgRtpengineRepository({ host: '127.0.0.1', port: server.port, timeoutMs: 200 });
  });

  afterEach(async () => {
    repository.close();
    await server.close();
  });

  it('sends the profile’s flags with an offer and returns the checked SDP', async () => {
    server.handler = () => ({ reply: { result: 'ok', sdp: srtp('AES_CM_128_HMAC_SHA1_80') } });
    const sdp = await repository.offer({ callId: 'c1', fromTag: 'carrier', sdp: plain, profile: 'srtp-sdes', record: true, label: 'customer' });
    expect(sdp).toContain('a=crypto:1 AES_CM_128_HMAC_SHA1_80');
    const body = server.requests[0].body;
    expect(server.requests[0].command).toBe('offer');
    expect(body).toContain('18:transport-protocol8:RTP/SAVP');
    expect(body).toContain('20:no-NULL_HMAC_SHA1_80');
    expect(body).toContain('11:record call3:yes');
    expect(body).toContain('5:label8:customer');
  });

  it('strips weak suites from what rtpengine returns, and refuses an SRTP leg left with none', async () => {
    server.handler = () => ({ reply: { result: 'ok', sdp: srtp('AES_CM_128_HMAC_SHA1_80').replace('\r\na=crypto', '\r\na=crypto:9 NULL_HMAC_SHA1_80 inline:' + KEY + '\r\na=crypto') } });
    const sdp = await repository.offer({ callId: 'c1', fromTag: 'a', sdp: plain, profile: 'srtp-sdes' });
    expect(sdp).not.toContain('NULL_HMAC');
    server.handler = () => ({ reply: { result: 'ok', sdp: srtp('NULL_HMAC_SHA1_32') } });
    await expect(repository.offer({ callId: 'c1', fromTag: 'a', sdp: plain, profile: 'srtp-sdes' })).rejects.toBeInstanceOf(SrtpPolicyException);
  });

  it('refuses a plain SDP from rtpengine for an SRTP leg', async () => {
    server.handler = () => ({ reply: { result: 'ok', sdp: plain } });
    await expect(repository.answer({ callId: 'c1', fromTag: 'a', toTag: 'b', sdp: plain, profile: 'srtp-sdes' })).rejects.toThrow('expected RTP/SAVP');
  });

  it('removes weak suites from an SDP before rtpengine sees it', async () => {
    server.handler = () => ({ reply: { result: 'ok', sdp: plain } });
    const offered = srtp('AES_CM_128_HMAC_SHA1_80').replace('\r\na=crypto', `\r\na=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:${KEY}\r\na=crypto`);
    await repository.offer({ callId: 'c1', fromTag: 'phone', sdp: offered, profile: 'rtp' });
    expect(server.requests[0].body).not.toContain('AES_CM_128_HMAC_SHA1_32 inline');
    expect(server.requests[0].body).toContain('AES_CM_128_HMAC_SHA1_80 inline');
  });

  it('rejects with the reason rtpengine gives for an error', async () => {
    server.handler = () => ({ reply: { result: 'error', 'error-reason': 'Failed to parse SDP' } });
    const attempt = repository.offer({ callId: 'c1', fromTag: 'a', sdp: plain, profile: 'rtp' });
    await expect(attempt).rejects.toBeInstanceOf(RtpengineException);
    await expect(attempt).rejects.toThrow('rtpengine refused offer: Failed to parse SDP');
  });

  it('treats the delete of an unknown call as done, whether rtpengine warns or errs', async () => {
    server.handler = () => ({ reply: { result: 'ok', warning: "Call-ID not found or tags didn't match" } });
    await expect(repository.delete('gone')).resolves.toBeUndefined();
    server.handler = () => ({ reply: { result: 'error', 'error-reason': 'Unknown call-id' } });
    await expect(repository.delete('gone', 'a')).resolves.toBeUndefined();
    server.handler = () => ({ reply: { result: 'error', 'error-reason': 'Incomplete message' } });
    await expect(repository.delete('gone')).rejects.toThrow('rtpengine refused delete: Incomplete message');
  });

  it('times out when rtpengine is silent, and drops the late reply without printing it', async () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      server.handler = () => null;
      const attempt = repository.offer({ callId: 'c1', fromTag: 'a', sdp: plain, profile: 'srtp-sdes' });
      await expect(attempt).rejects.toMatchObject({ failure: 'timeout' });
      await server.reply(server.requests[0], { result: 'ok', sdp: srtp('AES_CM_128_HMAC_SHA1_80') });
      // The late reply reaches the client before the pong to a later ping (same sockets, loopback).
      server.handler = () => ({ reply: { result: 'pong' } });
      await repository.ping();
      expect(repository.diagnostics.lateReplies).toBe(1);
      expect(log).not.toHaveBeenCalled();
    } finally {
      log.mockRestore();
    }
  });

  it('pings: pong is success, anything else a refusal', async () => {
    await expect(repository.ping()).resolves.toBeUndefined();
    server.handler = () => ({ reply: { result: 'error', 'error-reason': 'x' } });
    await expect(repository.ping()).rejects.toMatchObject({ failure: 'refused' });
  });

  it('reads where a party sends media from out of a query', async () => {
    server.handler = () => ({
      reply: {
        result: 'ok',
        tags: {
          customer: { tag: 'customer', medias: [{ streams: [{ endpoint: { family: 'IPv4', address: '203.0.113.9', port: 16422 } }] }] },
          agent: { tag: 'agent', medias: [{ streams: [{ endpoint: { family: 'IPv6', address: '2001:db8::5', port: 7078 } }] }] },
        },
      },
    });
    expect(await repository.mediaEndpoint('c1', 'customer')).toBe('203.0.113.9:16422');
    expect(await repository.mediaEndpoint('c1', 'agent')).toBe('[2001:db8::5]:7078');
    expect(await repository.mediaEndpoint('c1', 'nobody')).toBeNull();
  });

  it('returns the length of played media when rtpengine tells it', async () => {
    server.handler = () => ({ reply: { result: 'ok', duration: 2000 } });
    expect(await repository.playMedia('c1', 'customer', '/srv/hold.wav')).toBe(2000);
    server.handler = () => ({ reply: { result: 'ok' } });
    expect(await repository.playMedia('c1', 'customer', '/srv/hold.wav')).toBeNull();
  });
});
