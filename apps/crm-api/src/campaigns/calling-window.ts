import { CallingWindow, WEEKDAYS } from './campaign.types';

/**
 * Whether a lead may be called now: inside the window in every one of its time zones (a lead whose
 * country spans several zones is only called when it is within hours everywhere in that country).
 */
export function isWithinCallingWindow(window: CallingWindow, timezones: readonly string[], now: Date): boolean {
  return timezones.length > 0 && timezones.every((zone) => insideOne(window, zone, now));
}

function insideOne(window: CallingWindow, zone: string, now: Date): boolean {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      weekday: 'short',
    })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  const day = WEEKDAYS[['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday)];
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const hour = Number(parts.hour);
  return window.days.includes(day) && !window.holidays.includes(date) && hour >= window.startHour && hour < window.endHour;
}
