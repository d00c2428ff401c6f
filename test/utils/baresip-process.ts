import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect, Socket } from 'node:net';
import { join } from 'node:path';

export const HAS_BARESIP = spawnSync('baresip', ['-h']).error === undefined;

export interface BaresipOptions {
  dir: string;
  /** UDP/TCP port; baresip listens for TLS on the next one. */
  sipPort: number;
  ctrlPort: number;
  /** One PEM with certificate and key, for TLS. */
  certificatePem: string;
  caFile: string;
  /** The account line (see baresip's accounts file), e.g. `<sip:agent@127.0.0.1;transport=tls>;auth_pass=…`. */
  account: string;
  /** WAV played as the microphone. */
  playFile: string;
  /** Folder where the sndfile module writes what was heard. */
  recordDir: string;
}

export interface BaresipEvent {
  type: string;
  class?: string;
  param?: string;
  peeruri?: string;
}

/**
 * A baresip soft phone as a test endpoint: SIP over TLS with mandatory SRTP, auto-answer, a WAV as its
 * microphone and a recording of what it hears. Its ctrl_tcp socket reports events (registered, call
 * established, call closed), so tests wait for events instead of sleeping.
 */
export class BaresipPhone extends EventEmitter {
  readonly events: BaresipEvent[] = [];
  private log = '';

  private constructor(
    private readonly child: ChildProcess,
    private readonly ctrl: Socket,
  ) {
    super();
  }

  static async start(o: BaresipOptions): Promise<BaresipPhone> {
    mkdirSync(o.dir, { recursive: true });
    mkdirSync(o.recordDir, { recursive: true });
    writeFileSync(
      join(o.dir, 'config'),
      [
        `sip_listen 127.0.0.1:${o.sipPort}`,
        `sip_certificate ${o.certificatePem}`,
        `sip_cafile ${o.caFile}`,
        'sip_trans_def tls',
        'poll_method epoll',
        'audio_player aufile,/dev/null',
        `audio_source aufile,${o.playFile}`,
        'audio_alert aufile,/dev/null',
        'ausrc_srate 8000',
        'auplay_srate 8000',
        'ausrc_channels 1',
        'auplay_channels 1',
        `snd_path ${o.recordDir}`,
        'rtp_ports 40000-49999',
        'module_path /usr/lib/baresip/modules',
        'module g711.so',
        'module aufile.so',
        'module sndfile.so',
        'module srtp.so',
        'module_app account.so',
        'module_app menu.so',
        'module ctrl_tcp.so',
        `ctrl_tcp_listen 127.0.0.1:${o.ctrlPort}`,
        '',
      ].join('\n'),
    );
    writeFileSync(join(o.dir, 'accounts'), `${o.account}\n`);
    writeFileSync(join(o.dir, 'contacts'), '');
    const child = spawn('baresip', ['-s', '-f', o.dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    const collect = (chunk: Buffer) => {
      log += chunk.toString();
      if (log.length > 100_000) log = log.slice(-50_000);
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    const ctrl = await connectWithRetry(o.ctrlPort, child, () => log);
    const phone = new BaresipPhone(child, ctrl);
    phone.log = log;
    child.stdout!.on('data', (chunk: Buffer) => (phone.log = (phone.log + chunk.toString()).slice(-50_000)));
    phone.readEvents();
    return phone;
  }

  output(): string {
    return this.log;
  }

  /** Resolves with the first event (past or future) of that type, e.g. CALL_ESTABLISHED, REGISTER_OK. */
  waitFor(type: string, timeoutMs = 15_000): Promise<BaresipEvent> {
    const seen = this.events.find((e) => e.type === type);
    if (seen) return Promise.resolve(seen);
    return new Promise<BaresipEvent>((resolve, reject) => {
      const onEvent = (event: BaresipEvent) => {
        if (event.type !== type) return;
        clearTimeout(timer);
        this.off('event', onEvent);
        resolve(event);
      };
      const timer = setTimeout(() => {
        this.off('event', onEvent);
        reject(new Error(`baresip: no ${type} within ${timeoutMs} ms; events: ${this.events.map((e) => e.type).join(',')}\n${this.log.slice(-1500)}`));
      }, timeoutMs);
      this.on('event', onEvent);
    });
  }

  count(type: string): number {
    return this.events.filter((e) => e.type === type).length;
  }

  /** Sends a command on the control socket (e.g. `hangup`). */
  command(command: string, params = ''): void {
    const body = JSON.stringify({ command, params, token: String(Date.now()) });
    this.ctrl.write(`${Buffer.byteLength(body)}:${body},`);
  }

  async stop(): Promise<void> {
    this.ctrl.destroy();
    if (this.child.exitCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }

  /** ctrl_tcp speaks netstrings: `<length>:<json>,`. */
  private readEvents(): void {
    let buffer = Buffer.alloc(0);
    this.ctrl.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const colon = buffer.indexOf(0x3a);
        if (colon < 0) return;
        const length = Number(buffer.subarray(0, colon).toString());
        if (buffer.length < colon + 1 + length + 1) return;
        const body = buffer.subarray(colon + 1, colon + 1 + length).toString();
        buffer = buffer.subarray(colon + 1 + length + 1);
        try {
          const message = JSON.parse(body) as BaresipEvent & { event?: boolean };
          if (message.event) {
            this.events.push(message);
            this.emit('event', message);
          }
        } catch {
          // Not an event we understand; ignore.
        }
      }
    });
  }
}

async function connectWithRetry(port: number, child: ChildProcess, log: () => string): Promise<Socket> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`baresip exited (${child.exitCode}): ${log().slice(-800)}`);
    try {
      const socket = connect(port, '127.0.0.1');
      await once(socket, 'connect');
      return socket;
    } catch {
      if (Date.now() > deadline) throw new Error(`baresip control socket did not open: ${log().slice(-800)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
