import { parseRtpengineMetadata } from './rtpengine-metadata';

describe('parseRtpengineMetadata', () => {
  const content = '/var/spool/rtpengine/pcaps/abc%40host-0123456789abcdef.pcap\n\n\nTimestamp started ms: 1.0\n\nSDP mode: offer\n';

  it('reads the call id from the file name and the pcap names from the first lines (10.5 and older names)', () => {
    for (const name of ['rtpengine-meta-abc%40host-0123456789abcdef.txt', 'abc%40host-0123456789abcdef.meta']) {
      expect(parseRtpengineMetadata(name, content)).toEqual({ callId: 'abc@host', pcapNames: ['abc%40host-0123456789abcdef.pcap'] });
    }
  });

  it('never follows a path out of the spool and ignores files it does not know', () => {
    expect(parseRtpengineMetadata('x-0123456789abcdef.txt', '/etc/passwd\n\n')).toBeNull();
    expect(parseRtpengineMetadata('x-0123456789abcdef.txt', '../../secret/.pcap\n\n')).toBeNull();
    expect(parseRtpengineMetadata('x-0123456789abcdef.txt', '/a/../../b/evil.pcap\n\n')).toEqual({ callId: 'x', pcapNames: ['evil.pcap'] });
    expect(parseRtpengineMetadata('notes.txt', content)).toBeNull();
    expect(parseRtpengineMetadata('x-0123456789abcdef.txt', '\n\n')).toBeNull();
  });
});
