import * as ipaddr from 'ipaddr.js';

/** Parses "10.0.0.0/8", "2001:db8::/32" or a single address; throws a plain message when invalid. */
export function parseCidr(cidr: string): [ipaddr.IPv4 | ipaddr.IPv6, number] {
  const text = cidr.trim();
  if (!text.includes('/')) {
    const address = ipaddr.parse(text);
    return [address, address.kind() === 'ipv4' ? 32 : 128];
  }
  return ipaddr.parseCIDR(text);
}

export function isValidCidr(cidr: string): boolean {
  try {
    parseCidr(cidr);
    return true;
  } catch {
    return false;
  }
}

/** True when the address is inside any of the ranges. IPv4-mapped IPv6 addresses count as IPv4. */
export function ipInRanges(ip: string | null, cidrs: readonly string[]): boolean {
  if (!ip || !ipaddr.isValid(ip)) return false;
  let address = ipaddr.parse(ip);
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
    address = (address as ipaddr.IPv6).toIPv4Address();
  }
  return cidrs.some((cidr) => {
    try {
      const [range, bits] = parseCidr(cidr);
      return range.kind() === address.kind() && address.match(range, bits);
    } catch {
      return false;
    }
  });
}
