/**
 * User-Agent values of SIP scanning and password-guessing tools, as they ship by default. Only
 * tools with no legitimate business registering to our registrar are listed; diagnostic tools an
 * operator might use (sipsak, sipp) are not. A scanner that changes its User-Agent passes this
 * check and meets the digest throttle instead.
 *
 * - friendly-scanner, sipvicious, sipcli: SIPVicious (svmap/svwar/svcrack) and its defaults
 * - sip-scan, sipscan: generic scanner builds
 * - VaxSIPUserAgent: the VaxVoIP SDK default, seen almost only in brute-force traffic
 * - iWar: the iWar war dialer
 * - sundayddr: a long-running scanning botnet
 * - smap: the smap SIP scanner
 * - pplsip: a brute-force tool seen in honeypot logs
 */
export const SCANNER_USER_AGENTS: readonly { name: string; pattern: RegExp }[] = [
  { name: 'friendly-scanner', pattern: /friendly-scanner/i },
  { name: 'sipvicious', pattern: /sipvicious/i },
  { name: 'sipcli', pattern: /\bsipcli\b/i },
  { name: 'sip-scan', pattern: /\bsip-?scan\b/i },
  { name: 'VaxSIPUserAgent', pattern: /VaxSIPUserAgent/i },
  { name: 'iWar', pattern: /\biWar\b/i },
  { name: 'sundayddr', pattern: /sundayddr/i },
  { name: 'smap', pattern: /^smap\b/i },
  { name: 'pplsip', pattern: /\bpplsip\b/i },
];

/** The listed scanner a User-Agent names, or null. */
export function scannerIn(userAgent: string | undefined | null): string | null {
  if (!userAgent) return null;
  return SCANNER_USER_AGENTS.find((s) => s.pattern.test(userAgent))?.name ?? null;
}
