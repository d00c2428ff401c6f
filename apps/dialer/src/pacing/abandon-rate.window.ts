/** Live answers and abandons over the two windows regulators look at. */
export interface AbandonRates {
  answered30d: number;
  abandoned30d: number;
  /** abandoned / (answered + abandoned), 0 when there was no live answer. */
  rate30d: number;
  answered24h: number;
  abandoned24h: number;
  rate24h: number;
}

export interface AbandonRateWindowOptions {
  /** Events are counted per bucket of this many seconds, so memory stays bounded (default 60). */
  bucketSeconds?: number;
}

interface Bucket {
  start: number;
  answered: number;
  abandoned: number;
}

const DAY_MS = 24 * 3600 * 1000;
const MONTH_MS = 30 * DAY_MS;

/**
 * Rolling 30-day and 24-hour abandon rates from timestamped live answers, the regulator's way:
 * abandoned / (answered + abandoned), answering machines excluded. The dialer reads the same figures
 * from its database; this in-memory form serves the simulation. Counts are kept per bucket, so the
 * windows are exact to one bucket and a month of calls costs at most 43,200 buckets.
 *
 * Time may only move forward for `rates` (buckets older than 30 days are dropped); an event may be
 * recorded late, into the bucket it belongs to, as long as it is within the 30 days.
 */
export class AbandonRateWindow {
  private readonly bucketMs: number;
  private buckets: Bucket[] = [];
  /** Index of the first bucket inside the last 24 hours, as of the last `rates` call. */
  private dayStart = 0;
  private readonly month = { answered: 0, abandoned: 0 };
  private readonly day = { answered: 0, abandoned: 0 };

  constructor(options: AbandonRateWindowOptions = {}) {
    this.bucketMs = Math.max(1, options.bucketSeconds ?? 60) * 1000;
  }

  record(at: Date, outcome: 'answered' | 'abandoned'): void {
    const start = Math.floor(at.getTime() / this.bucketMs) * this.bucketMs;
    let index = this.buckets.length - 1;
    if (index < 0 || this.buckets[index].start < start) {
      this.buckets.push({ start, answered: 0, abandoned: 0 });
      index += 1;
    } else {
      while (index >= 0 && this.buckets[index].start > start) index -= 1;
      if (index < 0 || this.buckets[index].start !== start) {
        this.buckets.splice(index + 1, 0, { start, answered: 0, abandoned: 0 });
        index += 1;
        if (index < this.dayStart) this.dayStart += 1;
      }
    }
    this.buckets[index][outcome] += 1;
    this.month[outcome] += 1;
    if (index >= this.dayStart) this.day[outcome] += 1;
  }

  rates(now: Date): AbandonRates {
    const nowMs = now.getTime();
    // A bucket leaves a window whole once its start is out of it. The day window is moved first:
    // anything old enough to leave the month has then already left the day sums.
    while (this.dayStart < this.buckets.length && this.buckets[this.dayStart].start <= nowMs - DAY_MS) {
      this.day.answered -= this.buckets[this.dayStart].answered;
      this.day.abandoned -= this.buckets[this.dayStart].abandoned;
      this.dayStart += 1;
    }
    let drop = 0;
    while (drop < this.buckets.length && this.buckets[drop].start <= nowMs - MONTH_MS) {
      this.month.answered -= this.buckets[drop].answered;
      this.month.abandoned -= this.buckets[drop].abandoned;
      drop += 1;
    }
    if (drop > 0) {
      this.buckets = this.buckets.slice(drop);
      this.dayStart -= drop;
    }
    return {
      answered30d: this.month.answered,
      abandoned30d: this.month.abandoned,
      rate30d: ratio(this.month.abandoned, this.month.answered),
      answered24h: this.day.answered,
      abandoned24h: this.day.abandoned,
      rate24h: ratio(this.day.abandoned, this.day.answered),
    };
  }
}

function ratio(abandoned: number, answered: number): number {
  return answered + abandoned === 0 ? 0 : abandoned / (answered + abandoned);
}
