import { TrunkSelector } from './trunk-selector';
import { Trunk } from './trunk.types';

function trunk(id: string, overrides: Partial<Trunk> = {}): Trunk {
  return {
    id,
    name: id,
    host: `${id}.carrier.example`,
    port: 5061,
    transport: 'tls',
    authUsername: null,
    authPassword: null,
    callerIdPrefixes: ['+49'],
    callerIdDefault: null,
    cpsLimit: 100,
    maxConcurrent: 10,
    priority: 100,
    enabled: true,
    ...overrides,
  };
}

describe('TrunkSelector', () => {
  let t = 0;
  const clock = () => t;
  beforeEach(() => {
    t = 0;
  });

  it('fails over in priority order, skipping trunks already tried, then gives up', () => {
    const selector = new TrunkSelector(clock);
    selector.setTrunks([trunk('backup', { priority: 20 }), trunk('primary', { priority: 10 }), trunk('last', { priority: 30 })]);
    const tried: string[] = [];
    const order: string[] = [];
    for (let lease = selector.acquire({ tried }); lease; lease = selector.acquire({ tried })) {
      order.push(lease.trunk.id);
      tried.push(lease.trunk.id);
      lease.release();
    }
    expect(order).toEqual(['primary', 'backup', 'last']);
  });

  it('skips disabled trunks', () => {
    const selector = new TrunkSelector(clock);
    selector.setTrunks([trunk('off', { priority: 1, enabled: false }), trunk('on', { priority: 2 })]);
    expect(selector.acquire()?.trunk.id).toBe('on');
  });

  it('skips a trunk at its concurrency limit until a call releases its slot', () => {
    const selector = new TrunkSelector(clock);
    selector.setTrunks([trunk('small', { priority: 1, maxConcurrent: 2 }), trunk('big', { priority: 2 })]);
    const a = selector.acquire()!;
    const b = selector.acquire()!;
    expect([a.trunk.id, b.trunk.id]).toEqual(['small', 'small']);
    expect(selector.acquire()?.trunk.id).toBe('big');
    expect(selector.inFlight('small')).toBe(2);
    a.release();
    a.release();
    expect(selector.inFlight('small')).toBe(1);
    expect(selector.acquire()?.trunk.id).toBe('small');
  });

  it('skips a trunk out of CPS tokens, and uses it again once it refills', () => {
    const selector = new TrunkSelector(clock);
    selector.setTrunks([trunk('slow', { priority: 1, cpsLimit: 1 }), trunk('other', { priority: 2, cpsLimit: 1 })]);
    expect(selector.acquire()?.trunk.id).toBe('slow');
    expect(selector.acquire()?.trunk.id).toBe('other');
    expect(selector.acquire()).toBeNull();
    t += 1000;
    expect(selector.acquire()?.trunk.id).toBe('slow');
  });

  it('takes a token only from the trunk that gets the call', () => {
    const selector = new TrunkSelector(clock);
    selector.setTrunks([trunk('full', { priority: 1, cpsLimit: 1, maxConcurrent: 1 }), trunk('b', { priority: 2, cpsLimit: 1 })]);
    const busy = selector.acquire()!; // full: its one slot and its one token
    expect(selector.acquire()?.trunk.id).toBe('b');
    busy.release();
    t += 1000;
    expect(selector.acquire()?.trunk.id).toBe('full');
  });

  it('honours an eligibility check (no caller ID for this trunk)', () => {
    const selector = new TrunkSelector(clock);
    selector.setTrunks([trunk('uk', { priority: 1, callerIdPrefixes: ['+44'] }), trunk('de', { priority: 2 })]);
    const lease = selector.acquire({ eligible: (tr) => tr.callerIdPrefixes.includes('+49') });
    expect(lease?.trunk.id).toBe('de');
  });

  it('spreads calls across trunks of equal priority by load', () => {
    const selector = new TrunkSelector(clock);
    selector.setTrunks([trunk('a', { maxConcurrent: 4 }), trunk('b', { maxConcurrent: 4 })]);
    const ids = [1, 2, 3, 4].map(() => selector.acquire()!.trunk.id);
    expect(ids.sort()).toEqual(['a', 'a', 'b', 'b']);
  });

  it('keeps slots of calls in progress across a configuration change, and new limits apply', () => {
    const selector = new TrunkSelector(clock);
    selector.setTrunks([trunk('a', { maxConcurrent: 2 })]);
    const first = selector.acquire()!;
    selector.acquire()!;
    selector.setTrunks([trunk('a', { maxConcurrent: 3, cpsLimit: 50 })]);
    expect(selector.inFlight('a')).toBe(2);
    expect(selector.acquire()?.trunk.id).toBe('a');
    expect(selector.acquire()).toBeNull();
    selector.setTrunks([]);
    first.release();
    expect(selector.inFlight('a')).toBe(2);
    expect(selector.acquire()).toBeNull();
  });

  it('never selects a trunk configured with zero capacity', () => {
    const selector = new TrunkSelector(clock);
    selector.setTrunks([trunk('zero', { maxConcurrent: 0 })]);
    expect(selector.acquire()).toBeNull();
  });
});
