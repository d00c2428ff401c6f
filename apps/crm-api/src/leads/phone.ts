import { CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';
import * as ct from 'countries-and-timezones';

export interface NormalisedPhone {
  e164: string;
  region: string | null;
}

/** E.164 via libphonenumber-js, or null when the text is not a valid number for the region. */
export function normalisePhone(raw: string, defaultRegion: string): NormalisedPhone | null {
  const text = raw.trim();
  if (text.length === 0 || text.length > 40) return null;
  const parsed = parsePhoneNumberFromString(text, defaultRegion.toUpperCase() as CountryCode);
  if (!parsed || !parsed.isValid()) return null;
  return { e164: parsed.number, region: parsed.country ?? null };
}

/** "+44 *** *** 1234": the country code and the last four digits, nothing else. */
export function maskPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  const code = parsed ? `+${parsed.countryCallingCode}` : '+';
  return `${code} *** *** ${e164.slice(-4)}`;
}

/**
 * The time zones a lead may be in. One zone when the CSV names it or the country has one; every zone
 * of a country that spans several (the dialer then calls only when the window is open in all of them);
 * the campaign's default when the country is unknown.
 */
export function leadTimezones(explicit: string | null, region: string | null, campaignDefault: string): string[] {
  if (explicit) return [explicit];
  const zones = region ? (ct.getCountry(region)?.timezones ?? []) : [];
  return zones.length > 0 ? [...zones] : [campaignDefault];
}

export function isValidTimezone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
