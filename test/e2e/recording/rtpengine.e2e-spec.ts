import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomInt, randomUUID } from 'node:crypto';
import { createSocket, Socket } from 'node:dgram';
import { mkdirSync, readdirSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Role } from '@app/domain';
import { buildRtp, linearToUlaw, ULAW_TO_LINEAR } from '@app/recording-format';
import { bdecode, bencode, BencodeValue } from '../../../apps/recording/src/calls/bencode';
import { samplesOfWav } from './recording-fixtures';
import { RecordingHarness } from './recording-harness';

const hasRtpengine = spawnSync('rtpengine', ['--version']).status === 0;
const maybe = hasRtpengine ? describe : describe.skip;
if (!hasRtpengine) console.log('rtpengine e2e skipped: no rtpengine binary on PATH (apt-get install rtpengine-daemon)');

const PACKETS = 50;
const SAMPLES = 160;

function leg(hz: number): Buffer[] {
  return Array.from({ length: PACKETS }, (_, p) =>
    Buffer.from(Array.from({ length: SAMPLES }, (_, i) => linearToUlaw(12000 * Math.cos((2 * Math.PI * hz * (p * SAMPLES + i)) / 8000)))),
  );
}

function sdp(port: number): string {
  return ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${port} RTP/AVP 0`, 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', ''].join('\r\n');
}

async function bindUdp(): Promise<Socket> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return socket;
}

/**
 * One call through a real rtpengine (userspace, --recording-method=pcap): two legs send G.711 tones
 * through it, the call is deleted, rtpengine's own pcap and metadata are ingested, and the played-back
 * audio is compared sample by sample with what each leg sent.
 */
maybe('recording through a real rtpengine (pcap method)', () => {
  let h: RecordingHarness;
  let rtpengine: ChildProcess;
  let ngPort: number;
  let ng: Socket;

  async function command(message: { [key: string]: BencodeValue }): Promise<{ [key: string]: BencodeValue }> {
    const cookie = randomUUID().slice(0, 8);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('rtpengine did not answer')), 3000);
      const onMessage = (data: Buffer) => {
        if (!data.toString('ascii', 0, cookie.length).startsWith(cookie)) return;
        clearTimeout(timer);
        ng.off('message', onMessage);
        resolve(bdecode(data.subarray(cookie.length + 1)) as { [key: string]: BencodeValue });
      };
      ng.on('message', onMessage);
      ng.send(Buffer.concat([Buffer.from(`${cookie} `), bencode(message)]), ngPort, '127.0.0.1');
    });
  }

  beforeAll(async () => {
    h = await RecordingHarness.start();
    mkdirSync(h.storage.spoolDir, { recursive: true });
    ngPort = randomInt(20000, 29000);
    const low = randomInt(30000, 39000) & ~1;
    rtpengine = spawn(
      'rtpengine',
      [
        '--foreground', '--log-stderr', '--table=-1', '--interface=127.0.0.1', `--listen-ng=127.0.0.1:${ngPort}`,
        `--port-min=${low}`, `--port-max=${low + 100}`, `--recording-dir=${h.storage.spoolDir}`, '--recording-method=pcap', '--log-level=6', '--delete-delay=0',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    await new Promise<void>((resolve, reject) => {
      let log = '';
      rtpengine.stderr!.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes('Startup complete')) resolve();
      });
      rtpengine.on('exit', (code) => reject(new Error(`rtpengine exited (${code}): ${log.slice(-500)}`)));
    });
    ng = await bindUdp();
  });
  afterAll(async () => {
    ng?.close();
    rtpengine?.kill('SIGTERM');
    await h?.stop();
  });

  it('records both legs into one stereo file, customer left and agent right, sample for sample', async () => {
    const qa = await h.user(Role.Qa);
    const agentId = (await h.crm.createUser(Role.Agent)).id;
    const campaignId = await h.campaign({ agentPlayback: false, agents: [agentId] });
    const callId = randomUUID();
    const customer = await bindUdp();
    const agent = await bindUdp();
    const customerSsrc = 0x0c0ffee1;
    try {
      const offer = await command({
        command: 'offer', 'call-id': callId, 'from-tag': 'customer', sdp: sdp((customer.address() as AddressInfo).port), 'record call': 'yes',
      });
      expect(offer.result).toBe('ok');
      const answer = await command({
        command: 'answer', 'call-id': callId, 'from-tag': 'customer', 'to-tag': 'agent', sdp: sdp((agent.address() as AddressInfo).port),
      });
      expect(answer.result).toBe('ok');
      const towardAgent = Number(/m=audio (\d+)/.exec(String(offer.sdp))![1]); // where the customer's side is received
      const towardCustomer = Number(/m=audio (\d+)/.exec(String(answer.sdp))![1]);
      await h
        .http()
        .post('/recordings/calls')
        .set('Authorization', `Bearer ${h.dialerToken()}`)
        .send({ callId, campaignId, agentUserId: agentId, customerSsrc, startedAt: new Date().toISOString() })
        .expect(204);

      const customerAudio = leg(440);
      const agentAudio = leg(1000);
      for (let p = 0; p < PACKETS; p++) {
        customer.send(buildRtp({ payloadType: 0, sequence: 1000 + p, timestamp: 5000 + p * SAMPLES, ssrc: customerSsrc, payload: customerAudio[p] }), towardCustomer, '127.0.0.1');
        agent.send(buildRtp({ payloadType: 0, sequence: 7 + p, timestamp: 90_000 + p * SAMPLES, ssrc: 0x0a6e0001, payload: agentAudio[p] }), towardAgent, '127.0.0.1');
        await new Promise((r) => setTimeout(r, 20)); // real-time pacing, as phones send
      }
      expect((await command({ command: 'delete', 'call-id': callId, 'from-tag': 'customer' })).result).toBe('ok');

      // rtpengine moves the metadata file into metadata/ when the recording is complete.
      for (let i = 0; i < 100 && readdirSync(join(h.storage.spoolDir, 'metadata')).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      const counts = await h.ingest().ingestPending();
      expect(counts.committed).toBe(1);

      const [row] = await h.crm.db.sql<Array<{ id: string; codec: string }>>('SELECT id, codec FROM recordings WHERE call_id = ?', [callId]);
      expect(row.codec).toBe('PCMU');
      const res = await h
        .http()
        .get(`/recordings/${row.id}/audio`)
        .set('Authorization', `Bearer ${qa.session.accessToken}`)
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        })
        .expect(200);
      const samples = samplesOfWav(res.body as Buffer);
      for (const [channel, sent] of [[0, customerAudio], [1, agentAudio]] as Array<[number, Buffer[]]>) {
        const expected = Int16Array.from(Buffer.concat(sent), (code) => ULAW_TO_LINEAR[code]);
        const got = samples.filter((_, i) => i % 2 === channel);
        const start = got.findIndex((s) => s !== 0);
        expect(start).toBeGreaterThanOrEqual(0);
        expect(Buffer.from(got.slice(start, start + expected.length).buffer).equals(Buffer.from(expected.buffer))).toBe(true);
      }
    } finally {
      customer.close();
      agent.close();
    }
  });
});
