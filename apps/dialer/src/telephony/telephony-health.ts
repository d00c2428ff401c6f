import { DrachtioConnection, DrachtioState } from './drachtio/drachtio.connection';
import { RtpengineState, RtpengineSupervisor } from './media/rtpengine.supervisor';

export interface TelephonyStatus {
  drachtio: DrachtioState;
  rtpengine: RtpengineState;
}

/** What the health check needs of each side; DrachtioConnection and RtpengineSupervisor fit. */
export interface StateSource<S> {
  readonly state: S;
  onStateChange(listener: (state: S) => void): () => void;
}

/**
 * Whether calls may be started: only while drachtio is connected and rtpengine answers. A call that
 * started before either went down is not stopped here (its session sees its own failures).
 *
 * Nest: provide it with a factory, e.g. `{ provide: TelephonyHealth, useFactory: TelephonyHealth.of,
 * inject: [DrachtioConnection, RtpengineSupervisor] }` (the constructor takes interfaces).
 */
export class TelephonyHealth {
  constructor(
    private readonly drachtio: StateSource<DrachtioState>,
    private readonly rtpengine: StateSource<RtpengineState>,
  ) {}

  /** For Nest: the usual pair of sources. */
  static of(drachtio: DrachtioConnection, rtpengine: RtpengineSupervisor): TelephonyHealth {
    return new TelephonyHealth(drachtio, rtpengine);
  }

  ready(): boolean {
    return this.drachtio.state === 'connected' && this.rtpengine.state === 'up';
  }

  status(): TelephonyStatus {
    return { drachtio: this.drachtio.state, rtpengine: this.rtpengine.state };
  }

  /** Called with the new readiness each time it changes. */
  onReadyChange(listener: (ready: boolean) => void): () => void {
    let last = this.ready();
    const check = () => {
      const now = this.ready();
      if (now === last) return;
      last = now;
      listener(now);
    };
    const offDrachtio = this.drachtio.onStateChange(check);
    const offRtpengine = this.rtpengine.onStateChange(check);
    return () => {
      offDrachtio();
      offRtpengine();
    };
  }
}
