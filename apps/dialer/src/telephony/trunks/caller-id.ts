import { Trunk } from './trunk.types';

/** Caller IDs are presented in From and P-Asserted-Identity: digits with an optional "+", nothing else. */
const PRESENTABLE = /^\+?[0-9]{3,20}$/;

export function isPresentableCallerId(value: string): boolean {
  return PRESENTABLE.test(value);
}

/**
 * The caller ID to present through `trunk` for a campaign: the first of the campaign's caller IDs
 * that starts with one of the trunk's prefixes (carriers only let through numbers they were assigned),
 * else the trunk's default, else null, meaning the call must not go through this trunk. Malformed
 * values are never chosen.
 */
export function chooseCallerId(trunk: Pick<Trunk, 'callerIdPrefixes' | 'callerIdDefault'>, campaignCallerIds: readonly string[]): string | null {
  const prefixes = trunk.callerIdPrefixes.filter((p) => p.length > 0);
  const match = campaignCallerIds.find((id) => isPresentableCallerId(id) && prefixes.some((prefix) => id.startsWith(prefix)));
  if (match) return match;
  if (trunk.callerIdDefault && isPresentableCallerId(trunk.callerIdDefault)) return trunk.callerIdDefault;
  return null;
}
