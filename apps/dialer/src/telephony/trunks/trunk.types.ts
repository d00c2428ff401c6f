import { SealedSecret } from '../sealed-secret';

export type TrunkTransport = 'tls' | 'tcp' | 'udp';
export const TRUNK_TRANSPORTS: readonly TrunkTransport[] = ['tls', 'tcp', 'udp'];

/** A carrier connection the dialer places customer calls through (table sip_trunks). */
export interface Trunk {
  id: string;
  name: string;
  host: string;
  port: number;
  transport: TrunkTransport;
  /** Digest credentials, when the carrier challenges. The password stays encrypted until a challenge needs it. */
  authUsername: string | null;
  authPassword: SealedSecret | null;
  /** Caller IDs this trunk may present start with one of these (E.164 prefixes, e.g. "+4930"). */
  callerIdPrefixes: string[];
  /** Presented when none of the campaign's caller IDs fits the prefixes; null: such calls are refused. */
  callerIdDefault: string | null;
  /** New calls per second allowed (fractions allowed: 0.5 = one call every two seconds). */
  cpsLimit: number;
  maxConcurrent: number;
  /** Lower is tried first. */
  priority: number;
  enabled: boolean;
}

/** A number as the dialer dials it: E.164 with a leading "+", digits only. */
const DIALABLE = /^\+?[0-9]{3,20}$/;

export function isDialableNumber(value: string): boolean {
  return DIALABLE.test(value);
}

/**
 * The Request-URI for `number` through `trunk`. The number is checked so that nothing but digits can
 * reach the SIP message (a lead's phone field is user data).
 */
export function trunkUri(trunk: Pick<Trunk, 'host' | 'port' | 'transport'>, number: string): string {
  if (!isDialableNumber(number)) throw new RangeError('not a dialable number');
  const host = trunk.host.includes(':') && !trunk.host.startsWith('[') ? `[${trunk.host}]` : trunk.host;
  return `sip:${number}@${host}:${trunk.port};transport=${trunk.transport}`;
}
