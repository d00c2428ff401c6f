import { constants } from 'node:fs';
import { mkdir, open, readdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { EncryptedFileHandle, RecordingStoreRepository } from './recording-store.repository';

const FINAL = '.rec';
const TEMP = '.tmp';
const WRITE_BATCH_BYTES = 1024 * 1024;
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Encrypted files in one directory: <id>.rec when committed, <id>.tmp while being written. */
export class FsRecordingStoreRepository extends RecordingStoreRepository {
  constructor(private readonly dir: string) {
    super();
  }

  async commit(recordingId: string, chunks: AsyncIterable<Buffer>): Promise<void> {
    const id = checked(recordingId);
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const temp = join(this.dir, `${id}${TEMP}`);
    const file = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    try {
      // Segments are small; writing them in batches of about 1 MiB keeps the syscall count low.
      let batch: Buffer[] = [];
      let batchBytes = 0;
      for await (const chunk of chunks) {
        batch.push(chunk);
        batchBytes += chunk.length;
        if (batchBytes >= WRITE_BATCH_BYTES) {
          await file.writev(batch);
          batch = [];
          batchBytes = 0;
        }
      }
      if (batch.length > 0) await file.writev(batch);
      await file.sync();
    } catch (error) {
      await file.close();
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    await file.close();
    await rename(temp, join(this.dir, `${id}${FINAL}`));
    await syncDir(this.dir);
  }

  async open(recordingId: string): Promise<EncryptedFileHandle | null> {
    let file;
    try {
      file = await open(join(this.dir, `${checked(recordingId)}${FINAL}`), constants.O_RDONLY);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    const { size } = await file.stat();
    const handle = file;
    return {
      size,
      async read(offset: number, length: number): Promise<Buffer> {
        const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
        let done = 0;
        while (done < buffer.length) {
          const { bytesRead } = await handle.read(buffer, done, buffer.length - done, offset + done);
          if (bytesRead === 0) break;
          done += bytesRead;
        }
        return done === buffer.length ? buffer : buffer.subarray(0, done);
      },
      close: () => handle.close(),
    };
  }

  async remove(recordingId: string): Promise<void> {
    await unlink(join(this.dir, `${checked(recordingId)}${FINAL}`)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    await syncDir(this.dir);
  }

  async listCommitted(): Promise<string[]> {
    return (await this.names()).filter((n) => n.endsWith(FINAL)).map((n) => n.slice(0, -FINAL.length)).filter((id) => ID.test(id));
  }

  async removeTemporaries(): Promise<number> {
    const temps = (await this.names()).filter((n) => n.endsWith(TEMP));
    for (const name of temps) await unlink(join(this.dir, name)).catch(() => undefined);
    if (temps.length > 0) await syncDir(this.dir);
    return temps.length;
  }

  private async names(): Promise<string[]> {
    try {
      return await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }
}

function checked(id: string): string {
  if (!ID.test(id)) throw new Error('recording id must be a lower-case UUID');
  return id;
}

/** Makes a rename or unlink durable: without it a crash can bring the old directory entry back. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
