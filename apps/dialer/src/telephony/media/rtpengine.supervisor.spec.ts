import { FakeNgServer } from '../testing/fake-ng-server';
import { NgRtpengineRepository } from './ng-rtpengine.repository';
import { RtpengineRepository } from './rtpengine.repository';
import { RtpengineState, RtpengineSupervisor } from './rtpengine.supervisor';

function reaches(supervisor: RtpengineSupervisor, state: RtpengineState): Promise<void> {
  return new Promise((resolve) => {
    const off = supervisor.onStateChange((s) => {
      if (s === state) {
        off();
        resolve();
      }
    });
  });
}

describe('RtpengineSupervisor against a fake ng socket', () => {
  let server: FakeNgServer;
  let repository: NgRtpengineRepository;
  let supervisor: RtpengineSupervisor;

  beforeEach(async () => {
    server = await FakeNgServer.start();
    repository = new NgRtpengineRepository({ host: '127.0.0.1', port: server.port, timeoutMs: 50 });
    supervisor = new RtpengineSupervisor(repository, { intervalMs: 5, backoff: { initialMs: 5, maxMs: 20 } }, () => 0.5);
  });

  afterEach(async () => {
    await supervisor.stop();
    repository.close();
    await server.close();
  });

  it('is down until rtpengine first answers, then up', async () => {
    expect(supervisor.state).toBe('down');
    const up = reaches(supervisor, 'up');
    supervisor.start();
    await up;
    expect(server.requests[0].command).toBe('ping');
  });

  it('goes down when pings go unanswered and comes back with the first pong', async () => {
    const up = reaches(supervisor, 'up');
    supervisor.start();
    await up;

    server.handler = () => null;
    await reaches(supervisor, 'down');
    expect(supervisor.consecutiveFailures).toBeGreaterThanOrEqual(1);

    server.handler = () => ({ reply: { result: 'pong' } });
    await reaches(supervisor, 'up');
    expect(supervisor.consecutiveFailures).toBe(0);
  });
});

describe('RtpengineSupervisor schedule', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  class ScriptedRtpengine {
    pings = 0;
    answers = true;
    ping(): Promise<void> {
      this.pings += 1;
      return this.answers ? Promise.resolve() : Promise.reject(new Error('no answer'));
    }
  }

  async function tick(ms: number): Promise<void> {
    await jest.advanceTimersByTimeAsync(ms);
  }

  it('pings at the interval while up and backs off, doubling, while down', async () => {
    const rtpengine = new ScriptedRtpengine();
    const supervisor = new RtpengineSupervisor(rtpengine as unknown as RtpengineRepository, { intervalMs: 1000, backoff: { initialMs: 100, maxMs: 400 } }, () => 0.999);
    supervisor.start();
    await tick(0);
    expect(rtpengine.pings).toBe(1);
    expect(supervisor.state).toBe('up');
    await tick(999);
    expect(rtpengine.pings).toBe(1);
    rtpengine.answers = false;
    await tick(1);
    expect(rtpengine.pings).toBe(2);
    expect(supervisor.state).toBe('down');
    // Failure 1 waits ~100 ms, 2 ~200 ms, 3 and later ~400 ms (the cap).
    await tick(100);
    expect(rtpengine.pings).toBe(3);
    await tick(200);
    expect(rtpengine.pings).toBe(4);
    await tick(400);
    expect(rtpengine.pings).toBe(5);
    await tick(400);
    expect(rtpengine.pings).toBe(6);
    rtpengine.answers = true;
    await tick(400);
    expect(rtpengine.pings).toBe(7);
    expect(supervisor.state).toBe('up');
    await supervisor.stop();
    await tick(5000);
    expect(rtpengine.pings).toBe(7);
  });
});
