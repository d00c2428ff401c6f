import { CallingWindow, isWithinCallingWindow } from './calling-window';

const window: CallingWindow = { startHour: 9, endHour: 20, days: ['mon', 'tue', 'wed', 'thu', 'fri'], holidays: ['2026-12-25'] };

describe('calling window in the lead’s local time', () => {
  it('uses the lead’s zone, not the server’s', () => {
    const t = new Date('2026-11-23T15:00:00Z'); // Monday: 15:00 London, 10:00 New York, 00:00 Tokyo (Tue)
    expect(isWithinCallingWindow(window, ['Europe/London'], t)).toBe(true);
    expect(isWithinCallingWindow(window, ['America/New_York'], t)).toBe(true);
    expect(isWithinCallingWindow(window, ['Asia/Tokyo'], t)).toBe(false);
  });

  it('end hour is exclusive, weekends and holidays are closed', () => {
    expect(isWithinCallingWindow(window, ['Europe/London'], new Date('2026-11-23T20:00:00Z'))).toBe(false);
    expect(isWithinCallingWindow(window, ['Europe/London'], new Date('2026-11-23T19:59:00Z'))).toBe(true);
    expect(isWithinCallingWindow(window, ['Europe/London'], new Date('2026-11-22T12:00:00Z'))).toBe(false); // Sunday
    expect(isWithinCallingWindow(window, ['Europe/London'], new Date('2026-12-25T12:00:00Z'))).toBe(false);
  });

  it('a lead spread over several zones is callable only when every zone is inside the window', () => {
    const us = ['America/New_York', 'America/Los_Angeles'];
    expect(isWithinCallingWindow(window, us, new Date('2026-11-23T14:30:00Z'))).toBe(false); // 06:30 in LA
    expect(isWithinCallingWindow(window, us, new Date('2026-11-23T18:00:00Z'))).toBe(true);
    expect(isWithinCallingWindow(window, [], new Date('2026-11-23T18:00:00Z'))).toBe(false);
  });

  it('an unknown zone is outside the window: never call when the local time is unknown', () => {
    const t = new Date('2026-11-23T15:00:00Z');
    expect(isWithinCallingWindow(window, ['Mars/Olympus_Mons'], t)).toBe(false);
    expect(isWithinCallingWindow(window, ['Europe/London', 'Not/A_Zone'], t)).toBe(false);
  });
});
