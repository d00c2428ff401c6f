import { basename } from 'node:path';

/**
 * rtpengine names a call's files after <uri-escaped call id>-<16 hex>: pcaps/<prefix>.pcap, and
 * metadata/rtpengine-meta-<prefix>.txt once the recording is complete (10.5; the ".meta" form is
 * accepted too). While the call runs the metadata file sits in tmp/, which is never read.
 */
const META_NAME = /^(?:rtpengine-meta-)?(.+)-([0-9a-f]{16})\.(?:txt|meta)$/;

export interface ParsedMetadata {
  callId: string;
  pcapNames: string[];
}

/**
 * Reads a finished metadata file of the pcap method: its first lines (up to the first blank line)
 * are the paths of the call's pcap files; the rest (timestamps, SDP, METADATA chunks) is not needed.
 * Only the base names are kept: a path pointing outside the spool's pcaps/ is never followed.
 */
export function parseRtpengineMetadata(name: string, content: string): ParsedMetadata | null {
  const match = META_NAME.exec(name);
  if (!match) return null;
  let callId: string;
  try {
    callId = decodeURIComponent(match[1]);
  } catch {
    return null;
  }
  const pcapNames: string[] = [];
  for (const line of content.split('\n')) {
    const path = line.trim();
    if (path === '') break;
    const file = basename(path);
    if (!file.endsWith('.pcap') || file.startsWith('.')) return null;
    pcapNames.push(file);
  }
  return pcapNames.length > 0 ? { callId, pcapNames } : null;
}
