import { StateListeners } from './state-listeners';
import { StateSource, TelephonyHealth } from './telephony-health';

class Source<S> implements StateSource<S> {
  private readonly listeners = new StateListeners<S>();
  constructor(public state: S) {}
  set(state: S): void {
    this.state = state;
    this.listeners.emit(state);
  }
  onStateChange(listener: (state: S) => void): () => void {
    return this.listeners.add(listener);
  }
}

describe('TelephonyHealth', () => {
  it('is ready only while drachtio is connected and rtpengine is up', () => {
    const drachtio = new Source<'connecting' | 'connected' | 'disconnected'>('connecting');
    const rtpengine = new Source<'up' | 'down'>('down');
    const health = new TelephonyHealth(drachtio, rtpengine);
    expect(health.ready()).toBe(false);
    drachtio.set('connected');
    expect(health.ready()).toBe(false);
    rtpengine.set('up');
    expect(health.ready()).toBe(true);
    expect(health.status()).toEqual({ drachtio: 'connected', rtpengine: 'up' });
    drachtio.set('disconnected');
    expect(health.ready()).toBe(false);
    drachtio.set('connected');
    rtpengine.set('down');
    expect(health.ready()).toBe(false);
  });

  it('tells listeners when readiness changes, and only then', () => {
    const drachtio = new Source<'connecting' | 'connected' | 'disconnected'>('connected');
    const rtpengine = new Source<'up' | 'down'>('down');
    const health = new TelephonyHealth(drachtio, rtpengine);
    const seen: boolean[] = [];
    const off = health.onReadyChange((r) => seen.push(r));
    rtpengine.set('up');
    drachtio.set('connected');
    drachtio.set('disconnected');
    drachtio.set('connecting');
    drachtio.set('connected');
    off();
    rtpengine.set('down');
    expect(seen).toEqual([true, false, true]);
  });
});
