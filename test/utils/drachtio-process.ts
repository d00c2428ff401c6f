import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

/**
 * drachtio-server is in no package registry: it is built by hand outside the repository and found
 * through DRACHTIO_BIN or PATH. Null when it is not on this machine (SIP end-to-end tests skip).
 */
const CONVENTIONAL_PATH = '/opt/drachtio/bin/drachtio';

export function findDrachtio(): string | null {
  const fromEnv = process.env.DRACHTIO_BIN;
  if (fromEnv && spawnSync(fromEnv, ['--version']).status === 0) return fromEnv;
  if (spawnSync('drachtio', ['--version']).status === 0) return 'drachtio';
  // Where scripts/test.sh also looks: the conventional prefix of a hand build.
  if (spawnSync(CONVENTIONAL_PATH, ['--version']).status === 0) return CONVENTIONAL_PATH;
  return null;
}

export const DRACHTIO_BIN = findDrachtio();

export interface DrachtioProcess {
  adminPort: number;
  secret: string;
  tlsPort: number;
  udpPort: number;
  tcpPort: number;
  log(): string;
  stop(): Promise<void>;
  /** Starts it again after stop(), on the same ports (the dialer must reconnect on its own). */
  start(): Promise<void>;
  restart(): Promise<void>;
}

/** A drachtio-server on loopback: admin socket, SIP over TLS, plus UDP and TCP for load tests. */
export async function startDrachtio(o: { dir: string; certFile: string; keyFile: string; caFile: string }): Promise<DrachtioProcess> {
  if (!DRACHTIO_BIN) throw new Error('drachtio-server not found (DRACHTIO_BIN or PATH)');
  const config = join(o.dir, 'drachtio.conf.xml');
  // drachtio always reads a configuration file; everything else comes from the command line.
  writeFileSync(config, '<drachtio><admin/></drachtio>\n');
  // Below Linux's ephemeral range (32768+), so that while it is stopped for a restart no client socket
  // of another process can take its ports; apart from rtpengine's (20000+) and baresip's (16000+).
  const adminPort = randomInt(10000, 12000);
  const sipBase = randomInt(12000, 13990);
  const secret = randomBytes(12).toString('hex');
  const tlsPort = sipBase + 1;
  const udpPort = sipBase;
  const tcpPort = sipBase + 2;
  const args = [
    '-f', config, '--noconfig', '--stdout', '--address', '127.0.0.1', '--port', String(adminPort), '--secret', secret,
    '--contact', `sips:127.0.0.1:${tlsPort};transport=tls`,
    '--contact', `sip:127.0.0.1:${udpPort};transport=udp`,
    '--contact', `sip:127.0.0.1:${tcpPort};transport=tcp`,
    '--key-file', o.keyFile, '--cert-file', o.certFile, '--chain-file', o.caFile,
    '--loglevel', 'info', '--sofia-loglevel', '3',
  ];
  let child: ChildProcess;
  let log = '';
  const launchOnce = async () => {
    let sofiaStarted = false;
    child = spawn(DRACHTIO_BIN!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (chunk: Buffer) => {
      const text = chunk.toString();
      // Seen per launch, not by offset into the log (which is trimmed when it grows).
      if (text.includes('Starting sofia event loop')) sofiaStarted = true;
      log += text;
      if (log.length > 400_000) log = log.slice(-200_000);
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    await waitForPort(adminPort, child, () => log);
    // The admin port opens before the SIP stack binds; ready only once sofia runs (or it failed).
    const deadline = Date.now() + 10_000;
    while (!sofiaStarted) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`drachtio exited: ${log.slice(-800)}`);
      if (Date.now() > deadline) throw new Error(`drachtio did not start its SIP stack: ${log.slice(-800)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  // A restart on the same ports can find them still held for a moment: try a few times.
  const launch = async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await launchOnce();
      } catch (err) {
        // Never leave a half-started server behind to fight the next attempt for the ports.
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise((r) => child.once('exit', r));
          child.kill('SIGKILL');
          await exited;
        }
        if (attempt >= 10) throw err;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  };
  await launch();
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 3000).unref();
    });
  return {
    adminPort,
    secret,
    tlsPort,
    udpPort,
    tcpPort,
    log: () => log,
    stop,
    start: launch,
    restart: async () => {
      await stop();
      await launch();
    },
  };
}

async function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`drachtio exited (${child.exitCode}): ${log().slice(-1000)}`);
    const open = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`drachtio did not open its admin port: ${log().slice(-1000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
