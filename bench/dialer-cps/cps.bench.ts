/**
 * Calls per second through drachtio-server to a sipp UAS over UDP: the dialer's call session (every
 * SDP through rtpengine, CDR bookkeeping in memory, customer answered then released) beside a bare
 * drachtio-srf script that places the same calls (INVITE, 200, ACK, BYE) through the same server,
 * in the same run.
 *   node --require ./bench/import/ts-register.js bench/dialer-cps/cps.bench.ts [calls] [concurrency]
 * Needs drachtio-server (DRACHTIO_BIN, PATH or /opt/drachtio/bin/drachtio), rtpengine and sipp.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import Srf from 'drachtio-srf';
import { OutboundCallSession } from '../../apps/dialer/src/session/outbound-call.session';
import { DrachtioSipRepository } from '../../apps/dialer/src/session/drachtio-sip.repository';
import { RtpengineSessionMedia } from '../../apps/dialer/src/session/session-adapters';
import { NgRtpengineRepository } from '../../apps/dialer/src/telephony/media/ng-rtpengine.repository';
import { DRACHTIO_BIN, startDrachtio } from '../../test/utils/drachtio-process';
import { HAS_RTPENGINE, startRtpengine } from '../../test/utils/rtpengine-process';
import { createTestPki } from '../../test/utils/test-pki';

const CALLS = Number(process.argv[2] ?? 400);
const CONCURRENCY = Number(process.argv[3] ?? 20);
const SIPP_PORT = 17060;
const OFFER = ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 9 RTP/AVP 0', 'a=rtpmap:0 PCMU/8000', ''].join('\r\n');

async function run(label: string, placeOne: (n: number) => Promise<boolean>): Promise<{ label: string; cps: number; ok: number; seconds: number }> {
  let next = 0;
  let ok = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < CALLS) {
        const n = next++;
        if (await placeOne(n).catch(() => false)) ok += 1;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { label, cps: ok / seconds, ok, seconds };
}

async function main(): Promise<void> {
  const sipp = spawnSync('sipp', ['-v']).status !== null;
  if (!DRACHTIO_BIN || !HAS_RTPENGINE || !sipp) {
    console.log('SKIPPED: the CPS benchmark needs drachtio-server, rtpengine and sipp');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'cps-bench-'));
  const pki = createTestPki(join(dir, 'pki'));
  const drachtio = await startDrachtio({ dir, certFile: pki.certFile, keyFile: pki.keyFile, caFile: pki.caFile });
  const rtpengine = await startRtpengine();
  const uas: ChildProcess = spawn('sipp', ['-sn', 'uas', '-i', '127.0.0.1', '-p', String(SIPP_PORT), '-nostdin', '-bg'], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 500));
  const srf = new Srf();
  srf.on('error', () => undefined);
  await new Promise<void>((resolve) => {
    srf.on('connect', () => resolve());
    srf.connect({ host: '127.0.0.1', port: drachtio.adminPort, secret: drachtio.secret });
  });
  const uri = `sip:+4420700000@127.0.0.1:${SIPP_PORT};transport=udp`;

  const bare = await run('bare drachtio-srf (INVITE, ACK, BYE)', async () => {
    const dialog = await srf.createUAC(uri, { localSdp: OFFER, headers: { From: '<sip:+442071838750@localhost>' } });
    await new Promise<void>((r) => dialog.destroy(undefined, () => r()));
    return true;
  });

  const rtp = new NgRtpengineRepository({ host: '127.0.0.1', port: rtpengine.ngPort });
  const media = new RtpengineSessionMedia(rtp, '');
  const sip = new DrachtioSipRepository(() => srf, () => null);
  const dialer = await run('dialer call session (rtpengine offer/answer/delete, trunk routing)', async (n) => {
    const session = new OutboundCallSession(
      {
        callId: `cps-${n}-${Date.now()}`,
        campaignId: 'bench',
        callerIds: ['+442071838750'],
        number: '+4420700000',
        agentId: null,
        record: false,
        ringTimeoutSeconds: 10,
        agentWaitSeconds: 0, // no waiting for an agent: signalling and media set-up only
        agentRingTimeoutSeconds: 5,
        agentMedia: 'rtp',
      },
      {
        sip,
        media,
        routing: {
          next: async (_ids, _number, tried) =>
            tried.length > 0 ? null : { trunk: 'sipp', uri, callerId: '+442071838750', auth: null, media: 'rtp', release: () => undefined },
          classify: () => ({ outcome: 'carrier_error', failover: false }),
        },
        // No agent: the customer is released as soon as it answers (the message is off), so both
        // runs place the same SIP transactions; the dialer adds rtpengine and its bookkeeping.
        agents: { reserveAny: async () => null, contact: async () => null, connected: async () => undefined, wrapUp: async () => undefined, release: async () => undefined },
        books: { ringing: async () => undefined, answered: async () => undefined, bridged: async () => undefined, finished: async () => undefined, recordingStarted: async () => undefined },
        now: () => new Date(),
        sleep: async () => undefined,
      },
    );
    const result = await session.run();
    return result.outcome === 'abandoned';
  });

  console.log(`conditions: node ${process.version}, ${cpus()[0]?.model ?? 'cpu'} x${cpus().length}; drachtio-server ${spawnSync(DRACHTIO_BIN, ['--version']).stdout.toString().trim()}, rtpengine userspace, sipp ${spawnSync('sipp', ['-v']).stdout.toString().match(/v[0-9.]+/)?.[0]} UAS over UDP on loopback; ${CALLS} calls per run, ${CONCURRENCY} at once`);
  for (const r of [bare, dialer]) console.log(`${r.label.padEnd(68)} ${r.cps.toFixed(1).padStart(7)} calls/s (${r.ok}/${CALLS} completed in ${r.seconds.toFixed(2)} s)`);
  console.log(`ratio dialer / bare: ${(dialer.cps / bare.cps).toFixed(2)}`);

  rtp.close();
  srf.disconnect();
  uas.kill('SIGKILL');
  spawnSync('pkill', ['-f', `sipp -sn uas -i 127.0.0.1 -p ${SIPP_PORT}`]);
  await rtpengine.stop();
  await drachtio.stop();
  rmSync(dir, { recursive: true, force: true });
}

void main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
