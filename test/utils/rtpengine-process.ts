import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';

export const HAS_RTPENGINE = spawnSync('rtpengine', ['--version']).status === 0;

export interface RtpengineProcess {
  ngPort: number;
  /** Everything it printed to stderr so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

/**
 * A real rtpengine in userspace (--table=-1) on loopback, on random ports, started for one test file.
 * Resolves once it says "Startup complete"; `extra` adds options such as the recording spool.
 */
export async function startRtpengine(extra: string[] = []): Promise<RtpengineProcess> {
  const ngPort = randomInt(20000, 29000);
  const low = randomInt(30000, 39000) & ~1;
  const child: ChildProcess = spawn(
    'rtpengine',
    [
      // The packaged /etc/rtpengine/rtpengine.conf fixes ports and a recording method: ignore it.
      '--config-file=none',
      '--foreground',
      '--log-stderr',
      '--table=-1',
      '--interface=127.0.0.1',
      `--listen-ng=127.0.0.1:${ngPort}`,
      // Its CLI port defaults to 2224: random too, so test files can run side by side.
      `--listen-cli=127.0.0.1:${ngPort + 1}`,
      `--port-min=${low}`,
      `--port-max=${low + 200}`,
      '--log-level=6',
      '--delete-delay=0',
      ...extra,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.length > 200_000) log = log.slice(-100_000);
      if (log.includes('Startup complete')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`rtpengine exited (${code}): ${log.slice(-500)}`)));
  });
  return {
    ngPort,
    log: () => log,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
