export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** When a campaign may call, in each lead's own local time. */
export interface CallingWindow {
  startHour: number;
  endHour: number;
  days: Weekday[];
  /** ISO dates (YYYY-MM-DD) in the lead's local calendar when nobody is called. */
  holidays: string[];
}

const INTL_WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/**
 * Whether a lead may be called now: inside the window in every one of its time zones (a lead whose
 * country spans several zones is only called when it is within hours everywhere in that country).
 * A zone the runtime does not know counts as outside: never call when the local time is unknown.
 */
export function isWithinCallingWindow(window: CallingWindow, timezones: readonly string[], now: Date): boolean {
  return timezones.length > 0 && timezones.every((zone) => insideOne(window, zone, now));
}

function insideOne(window: CallingWindow, zone: string, now: Date): boolean {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      weekday: 'short',
    });
  } catch {
    return false;
  }
  const parts = Object.fromEntries(format.formatToParts(now).map((p) => [p.type, p.value]));
  const day = WEEKDAYS[INTL_WEEKDAYS.indexOf(parts.weekday)];
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const hour = Number(parts.hour);
  return window.days.includes(day) && !window.holidays.includes(date) && hour >= window.startHour && hour < window.endHour;
}

/** The calling window as the campaigns table stores it (days comma-separated, holidays as JSON). */
export interface CallingWindowColumns {
  window_start_hour: number | string;
  window_end_hour: number | string;
  window_days: string;
  holidays: string;
}

/** Read by the CRM and the dialer alike, so both see the same window. */
export function callingWindowFromColumns(r: CallingWindowColumns): CallingWindow {
  return {
    startHour: Number(r.window_start_hour),
    endHour: Number(r.window_end_hour),
    days: r.window_days.split(',') as Weekday[],
    holidays: JSON.parse(r.holidays) as string[],
  };
}
