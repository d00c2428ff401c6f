import { TokenBucket } from './token-bucket';
import { Trunk } from './trunk.types';

/** A trunk with one of its call slots taken; release() gives the slot back (once; later calls do nothing). */
export interface TrunkLease {
  readonly trunk: Trunk;
  release(): void;
}

export interface AcquireOptions {
  /** Ids of trunks this call already tried (failover moves on to the next one). */
  tried?: readonly string[];
  /** Further conditions, e.g. that a caller ID can be presented through the trunk. */
  eligible?: (trunk: Trunk) => boolean;
}

/**
 * Chooses the trunk for each call attempt in this dialer instance: enabled trunks by priority (lower
 * first; among equals the less loaded, then by name), skipping those at their concurrent-call limit or
 * out of calls-per-second tokens. A token is taken only from the trunk that gets the call.
 *
 * Limits are per instance: with several dialer instances on one carrier account, configure each
 * trunk's limits divided by the number of instances.
 */
export class TrunkSelector {
  private trunks: Trunk[] = [];
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly active = new Map<string, number>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Replaces the configuration (after an admin change); calls in progress keep their slots. */
  setTrunks(trunks: readonly Trunk[]): void {
    this.trunks = [...trunks];
    const ids = new Set(trunks.map((t) => t.id));
    for (const id of this.buckets.keys()) if (!ids.has(id)) this.buckets.delete(id);
    for (const trunk of trunks) {
      const bucket = this.buckets.get(trunk.id);
      if (trunk.cpsLimit > 0 && (!bucket || bucket.ratePerSecond !== trunk.cpsLimit)) {
        this.buckets.set(trunk.id, new TokenBucket(trunk.cpsLimit, this.now));
      }
    }
  }

  /** Calls in progress through the trunk, from this instance. */
  inFlight(trunkId: string): number {
    return this.active.get(trunkId) ?? 0;
  }

  /** The next trunk to try, its slot and one CPS token taken; null when none can take the call now. */
  acquire(options: AcquireOptions = {}): TrunkLease | null {
    const tried = new Set(options.tried ?? []);
    for (const trunk of this.ordered()) {
      if (tried.has(trunk.id)) continue;
      if (options.eligible && !options.eligible(trunk)) continue;
      if (this.inFlight(trunk.id) >= trunk.maxConcurrent) continue;
      const bucket = this.buckets.get(trunk.id);
      if (!bucket || !bucket.tryTake()) continue;
      return this.lease(trunk);
    }
    return null;
  }

  private ordered(): Trunk[] {
    const load = (t: Trunk) => (t.maxConcurrent > 0 ? this.inFlight(t.id) / t.maxConcurrent : 1);
    return this.trunks
      .filter((t) => t.enabled && t.maxConcurrent > 0)
      .sort((a, b) => a.priority - b.priority || load(a) - load(b) || a.name.localeCompare(b.name));
  }

  private lease(trunk: Trunk): TrunkLease {
    this.active.set(trunk.id, this.inFlight(trunk.id) + 1);
    let released = false;
    return {
      trunk,
      release: () => {
        if (released) return;
        released = true;
        const left = this.inFlight(trunk.id) - 1;
        if (left > 0) this.active.set(trunk.id, left);
        else this.active.delete(trunk.id);
      },
    };
  }
}
