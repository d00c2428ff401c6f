import { AbandonRateWindow } from './abandon-rate.window';

const DAY = 24 * 3600 * 1000;
const T0 = Date.UTC(2026, 0, 1, 0, 0, 0);
const at = (ms: number) => new Date(T0 + ms);

function record(window: AbandonRateWindow, when: number, answered: number, abandoned: number): void {
  for (let i = 0; i < answered; i++) window.record(at(when), 'answered');
  for (let i = 0; i < abandoned; i++) window.record(at(when), 'abandoned');
}

describe('AbandonRateWindow', () => {
  it('is 0 with no live answer', () => {
    expect(new AbandonRateWindow().rates(at(0))).toEqual({
      answered30d: 0,
      abandoned30d: 0,
      rate30d: 0,
      answered24h: 0,
      abandoned24h: 0,
      rate24h: 0,
    });
  });

  it('divides abandoned by live answers (answered + abandoned)', () => {
    const w = new AbandonRateWindow();
    record(w, 0, 97, 3);
    expect(w.rates(at(1000))).toMatchObject({ rate30d: 0.03, rate24h: 0.03, answered24h: 97, abandoned24h: 3 });
  });

  it('keeps 30 days and 24 hours apart, and forgets what is older than 30 days', () => {
    const w = new AbandonRateWindow();
    record(w, 0, 50, 10); // day 0
    record(w, 10 * DAY, 100, 0); // day 10
    record(w, 20 * DAY, 45, 5); // day 20
    expect(w.rates(at(20 * DAY + 3600_000))).toMatchObject({ answered30d: 195, abandoned30d: 15, answered24h: 45, abandoned24h: 5, rate24h: 0.1 });
    expect(w.rates(at(21 * DAY + 60_000))).toMatchObject({ answered24h: 0, abandoned24h: 0, rate24h: 0, answered30d: 195 });
    const later = w.rates(at(30 * DAY + 60_000));
    expect(later).toMatchObject({ answered30d: 145, abandoned30d: 5 });
    expect(later.rate30d).toBeCloseTo(5 / 150, 12);
  });

  it('files a late event under its own time', () => {
    const w = new AbandonRateWindow();
    record(w, 2 * DAY, 10, 0);
    record(w, 0, 0, 2); // reported late, two days old
    expect(w.rates(at(2 * DAY + 1000))).toMatchObject({ abandoned30d: 2, abandoned24h: 0, answered24h: 10 });
    record(w, 2 * DAY - 3600_000, 0, 1); // late, but within the day
    expect(w.rates(at(2 * DAY + 2000))).toMatchObject({ abandoned30d: 3, abandoned24h: 1 });
  });
});
