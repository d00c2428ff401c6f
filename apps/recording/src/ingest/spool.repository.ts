/** A call whose recording rtpengine has finished: its metadata file has reached metadata/. */
export interface FinishedCall {
  callId: string;
  /** The metadata file's name inside metadata/. */
  metadataName: string;
  /** The pcap files' names inside pcaps/. */
  pcapNames: string[];
}

/**
 * rtpengine's recording spool (--recording-method=pcap). The only place plaintext audio may be on
 * disk; nothing here is modified, only read and, once the encrypted recording is committed, deleted.
 */
export abstract class SpoolRepository {
  abstract listFinished(): Promise<FinishedCall[]>;
  /** Null when a pcap is gone (already cleared). */
  abstract readPcaps(call: FinishedCall): Promise<Buffer[] | null>;
  /** Deletes the pcaps first and the metadata file last, so a crash in between is finished next time. */
  abstract clear(call: FinishedCall): Promise<void>;
}
