/** Random access to one committed encrypted file. */
export interface EncryptedFileHandle {
  readonly size: number;
  read(offset: number, length: number): Promise<Buffer>;
  close(): Promise<void>;
}

/**
 * Encrypted recording files. Writes are crash-safe: a file appears under its final name only
 * complete and on stable storage, and a crash leaves at most a temporary file behind.
 */
export abstract class RecordingStoreRepository {
  /** Writes all chunks to a temporary file, fsyncs it, renames it to the final name and fsyncs the directory. */
  abstract commit(recordingId: string, chunks: AsyncIterable<Buffer>): Promise<void>;
  /** Null when there is no committed file. */
  abstract open(recordingId: string): Promise<EncryptedFileHandle | null>;
  abstract remove(recordingId: string): Promise<void>;
  /** Ids of every committed file. */
  abstract listCommitted(): Promise<string[]>;
  /** Deletes every temporary file left by an interrupted write; returns how many. */
  abstract removeTemporaries(): Promise<number>;
}
