import { Clock } from '@app/domain';

/** A clock the test moves: lockout expiry and TOTP steps without waiting. Starts at real time. */
export class TestClock extends Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
