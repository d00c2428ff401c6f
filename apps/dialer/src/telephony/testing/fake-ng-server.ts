import { createSocket, RemoteInfo, Socket } from 'node:dgram';
import { AddressInfo } from 'node:net';

/** Values a fake rtpengine replies with. */
export type FakeNgValue = string | number | FakeNgValue[] | { [key: string]: FakeNgValue };

export function bencode(value: FakeNgValue): string {
  if (typeof value === 'number') return `i${Math.trunc(value)}e`;
  if (typeof value === 'string') return `${Buffer.byteLength(value)}:${value}`;
  if (Array.isArray(value)) return `l${value.map(bencode).join('')}e`;
  const keys = Object.keys(value).sort();
  return `d${keys.map((k) => bencode(k) + bencode(value[k])).join('')}e`;
}

export interface NgRequest {
  cookie: string;
  /** The raw bencoded dictionary, for assertions on what was sent. */
  body: string;
  command: string;
  from: { address: string; port: number };
}

/**
 * A stand-in for rtpengine's ng socket, for unit tests: it sees each command and answers with what
 * the test's handler returns (null: no answer; reply() can answer later).
 */
export class FakeNgServer {
  readonly requests: NgRequest[] = [];
  handler: (request: NgRequest) => { reply: FakeNgValue } | null = () => ({ reply: { result: 'pong' } });

  private constructor(private readonly socket: Socket) {
    socket.on('message', (data: Buffer, from: RemoteInfo) => this.onMessage(data, from));
  }

  static async start(): Promise<FakeNgServer> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new FakeNgServer(socket);
  }

  get port(): number {
    return (this.socket.address() as AddressInfo).port;
  }

  /** Answers a request now (e.g. after the client gave up on it). */
  reply(request: NgRequest, value: FakeNgValue): Promise<void> {
    return new Promise((resolve, reject) =>
      this.socket.send(`${request.cookie} ${bencode(value)}`, request.from.port, request.from.address, (error) => (error ? reject(error) : resolve())),
    );
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }

  private onMessage(data: Buffer, from: RemoteInfo): void {
    const text = data.toString('utf8');
    const space = text.indexOf(' ');
    const cookie = text.slice(0, space);
    const body = text.slice(space + 1);
    const command = /7:command(\d+):/.exec(body);
    const name = command ? body.substr(command.index + command[0].length, Number(command[1])) : '';
    const request = { cookie, body, command: name, from: { address: from.address, port: from.port } };
    this.requests.push(request);
    const answer = this.handler(request);
    if (!answer) return;
    this.socket.send(`${cookie} ${bencode(answer.reply)}`, from.port, from.address);
  }
}
