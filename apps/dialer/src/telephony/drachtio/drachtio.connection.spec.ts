import { createServer } from 'node:net';
import { AddressInfo } from 'node:net';
import Srf from 'drachtio-srf';
import { Secret } from '@app/config';
import { FakeDrachtioServer } from '../testing/fake-drachtio-server';
import { DrachtioConnection, DrachtioState } from './drachtio.connection';

const SECRET = 'cymru-test-secret';
const fast = { initialMs: 2, maxMs: 10 };

function connectionTo(port: number, overrides: { secret?: string; attemptTimeoutMs?: number; configure?: (srf: Srf) => void } = {}) {
  return new DrachtioConnection(
    { host: '127.0.0.1', port, secret: new Secret(overrides.secret ?? SECRET), backoff: fast, attemptTimeoutMs: overrides.attemptTimeoutMs ?? 5_000 },
    { random: () => 0.5, configure: overrides.configure },
  );
}

/** Resolves when the connection has entered `state` `times` times in all (counting from now). */
function reaches(connection: DrachtioConnection, state: DrachtioState, times = 1): Promise<void> {
  let seen = 0;
  return new Promise((resolve) => {
    const off = connection.onStateChange((s) => {
      if (s === state && ++seen >= times) {
        off();
        resolve();
      }
    });
  });
}

async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('DrachtioConnection', () => {
  let server: FakeDrachtioServer;
  let connection: DrachtioConnection | null = null;

  beforeEach(async () => {
    server = await FakeDrachtioServer.start(SECRET);
  });

  afterEach(async () => {
    connection?.stop();
    connection = null;
    await server.close();
  });

  it('connects, authenticates with the secret and reports the SIP endpoints', async () => {
    connection = connectionTo(server.port);
    const states: DrachtioState[] = [];
    connection.onStateChange((s) => states.push(s));
    const up = reaches(connection, 'connected');
    connection.start();
    await up;
    expect(states).toEqual(['connecting', 'connected']);
    expect(connection.state).toBe('connected');
    expect(connection.hostport).toBe('127.0.0.1:5061;transport=tls');
    expect(server.secretsSeen).toEqual([SECRET]);
  });

  it('reconnects with a new, configured Srf after drachtio drops the connection', async () => {
    const configured: Srf[] = [];
    connection = connectionTo(server.port, { configure: (srf) => configured.push(srf) });
    const first = reaches(connection, 'connected');
    connection.start();
    await first;
    const firstSrf = connection.srf;

    const states: DrachtioState[] = [];
    connection.onStateChange((s) => states.push(s));
    const again = reaches(connection, 'connected');
    server.dropAll();
    await again;
    expect(states).toEqual(['disconnected', 'connecting', 'connected']);
    expect(connection.lastFailure).toBeNull();
    expect(connection.srf).not.toBe(firstSrf);
    expect(configured).toEqual([firstSrf, connection.srf]);
    expect(server.secretsSeen).toEqual([SECRET, SECRET]);
  });

  it('keeps retrying, without crashing on socket errors, while nothing listens', async () => {
    connection = connectionTo(await unusedPort());
    const threeFailures = reaches(connection, 'disconnected', 3);
    connection.start();
    await threeFailures;
    expect(connection.attempts).toBeGreaterThanOrEqual(3);
    expect(connection.lastFailure).toBe('error');
  });

  it('keeps retrying against a server that accepts and closes at once', async () => {
    server.mode = 'accept-and-close';
    connection = connectionTo(server.port);
    const states: DrachtioState[] = [];
    connection.onStateChange((s) => states.push(s));
    connection.start();
    await server.connectionCount(3);
    expect(states).not.toContain('connected');
    expect(states.slice(0, 4)).toEqual(['connecting', 'disconnected', 'connecting', 'disconnected']);
  });

  it('treats a refused secret as a failed attempt, closes that socket and tries again', async () => {
    connection = connectionTo(server.port, { secret: 'not-the-secret' });
    const twoFailures = reaches(connection, 'disconnected', 2);
    connection.start();
    await twoFailures;
    expect(connection.lastFailure).toBe('auth');
    expect(server.secretsSeen.length).toBeGreaterThanOrEqual(2);
  });

  it('abandons an attempt drachtio never answers', async () => {
    server.mode = 'silent';
    connection = connectionTo(server.port, { attemptTimeoutMs: 30 });
    const failed = reaches(connection, 'disconnected');
    connection.start();
    await failed;
    expect(connection.lastFailure).toBe('timeout');
    await server.connectionCount(2);
  });

  it('stops: closes the connection and schedules nothing more', async () => {
    connection = connectionTo(server.port);
    const up = reaches(connection, 'connected');
    connection.start();
    await up;
    const socketClosed = new Promise<void>((resolve) => [...server.sockets][0].once('close', () => resolve()));
    connection.stop();
    await socketClosed;
    expect(connection.state).toBe('disconnected');
    expect(connection.retryScheduled).toBe(false);
  });
});
