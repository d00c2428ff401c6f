import { randomUUID } from 'node:crypto';
import { createServer, Server, Socket } from 'node:net';
import { AddressInfo } from 'node:net';

export type FakeDrachtioMode = 'drachtio' | 'accept-and-close' | 'silent';

/**
 * Enough of drachtio-server's control protocol (drachtio-srf lib/wire-protocol.js: frames are
 * "<byte length>#<msgId>|<command>|…") to see the dialer authenticate: it answers
 * "authenticate|<secret>|<tags>" with OK and a SIP hostport when the secret is right, NOK otherwise.
 * Other modes accept the TCP connection and close it at once, or never answer.
 */
export class FakeDrachtioServer {
  mode: FakeDrachtioMode = 'drachtio';
  connections = 0;
  readonly secretsSeen: string[] = [];
  readonly sockets = new Set<Socket>();
  private readonly waiters: { count: number; resolve: () => void }[] = [];

  private constructor(
    private readonly server: Server,
    private readonly secret: string,
  ) {
    server.on('connection', (socket) => this.onConnection(socket));
  }

  static async start(secret: string): Promise<FakeDrachtioServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new FakeDrachtioServer(server, secret);
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Resolves once `count` connections have been accepted in all. */
  connectionCount(count: number): Promise<void> {
    if (this.connections >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  /** Drops every client connection, as a restarting drachtio-server would. */
  dropAll(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  close(): Promise<void> {
    this.dropAll();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private onConnection(socket: Socket): void {
    this.connections += 1;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    for (const waiter of this.waiters.filter((w) => this.connections >= w.count)) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    if (this.mode === 'accept-and-close') {
      socket.destroy();
      return;
    }
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        const hash = buffer.indexOf('#');
        if (hash < 0) return;
        const length = Number(buffer.slice(0, hash));
        if (Buffer.byteLength(buffer.slice(hash + 1)) < length) return;
        const frame = buffer.slice(hash + 1, hash + 1 + length);
        buffer = buffer.slice(hash + 1 + length);
        this.onFrame(socket, frame);
      }
    });
  }

  private onFrame(socket: Socket, frame: string): void {
    const [msgId, command, secret] = frame.split('|');
    if (command !== 'authenticate' || this.mode === 'silent') return;
    this.secretsSeen.push(secret);
    const verdict = secret === this.secret ? 'OK|127.0.0.1:5061;transport=tls|v0.9.3' : 'NOK';
    const reply = `${randomUUID()}|response|${msgId}|${verdict}`;
    socket.write(`${Buffer.byteLength(reply)}#${reply}`);
  }
}
