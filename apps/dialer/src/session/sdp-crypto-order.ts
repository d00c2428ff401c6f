/** The SRTP suite an answer chose (its first a=crypto line), or null. */
export function chosenSuite(sdp: string): string | null {
  return /^a=crypto:\d+ (\S+)/m.exec(sdp)?.[1] ?? null;
}

/**
 * Moves the crypto lines of `suite` first in every media section, keeping everything else in order.
 * Offering the suite a leg already uses first lets a re-INVITE keep its keys: some endpoints
 * (baresip 1.0 among them) fail to decrypt after switching suites mid-call.
 */
export function preferSuite(sdp: string, suite: string): string {
  const lines = sdp.split(/\r\n|\n/);
  const out: string[] = [];
  let section: string[] = [];
  const flush = () => {
    const isCrypto = (l: string) => l.startsWith('a=crypto:');
    const preferred = section.filter((l) => isCrypto(l) && l.split(' ')[1] === suite);
    const others = section.filter((l) => isCrypto(l) && l.split(' ')[1] !== suite);
    const cryptos = [...preferred, ...others];
    let next = 0;
    out.push(...section.map((l) => (isCrypto(l) ? cryptos[next++] : l)));
    section = [];
  };
  for (const line of lines) {
    if (line.startsWith('m=')) flush();
    section.push(line);
  }
  flush();
  return out.join('\r\n');
}
