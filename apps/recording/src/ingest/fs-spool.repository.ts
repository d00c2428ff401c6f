import { readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { syncDir } from '../store/fs-recording-store.repository';
import { parseRtpengineMetadata } from './rtpengine-metadata';
import { FinishedCall, SpoolRepository } from './spool.repository';

export class FsSpoolRepository extends SpoolRepository {
  constructor(private readonly dir: string) {
    super();
  }

  async listFinished(): Promise<FinishedCall[]> {
    const metadataDir = join(this.dir, 'metadata');
    let names: string[];
    try {
      names = (await readdir(metadataDir)).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const calls: FinishedCall[] = [];
    for (const name of names) {
      const content = await readFile(join(metadataDir, name), 'utf8').catch(() => null);
      const parsed = content === null ? null : parseRtpengineMetadata(name, content);
      if (parsed) calls.push({ callId: parsed.callId, metadataName: name, pcapNames: parsed.pcapNames });
    }
    return calls;
  }

  async readPcaps(call: FinishedCall): Promise<Buffer[] | null> {
    const files: Buffer[] = [];
    for (const name of call.pcapNames) {
      try {
        files.push(await readFile(join(this.dir, 'pcaps', name)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    }
    return files;
  }

  async clear(call: FinishedCall): Promise<void> {
    for (const name of call.pcapNames) await removeIfThere(join(this.dir, 'pcaps', name));
    await syncDir(join(this.dir, 'pcaps')).catch(() => undefined);
    await removeIfThere(join(this.dir, 'metadata', call.metadataName));
    await syncDir(join(this.dir, 'metadata'));
  }
}

async function removeIfThere(path: string): Promise<void> {
  await unlink(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}
