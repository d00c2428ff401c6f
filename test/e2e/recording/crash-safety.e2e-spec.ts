import { ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { LocalKmsRepository } from '@app/crypto';
import { encryptedFileBytes, SegmentOpener, segmentFileOffset, sealedSegmentBytes } from '@app/recording-format';
import { createTestDatabase, TestDatabase } from '../../utils/test-database';
import { testKmsConfig } from '../../utils/test-config';
import { newCallId, toneCall, writeSpoolCall } from './recording-fixtures';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'apps', 'recording', 'src', 'ingest.cli.ts');
const REGISTER = join(__dirname, 'ts-register.js');
const KILLED_RUNS = 5;

/**
 * kill -9 of the ingest at random moments, then a run to the end: exactly one recording, the spool
 * untouched until the recording is committed, and never plaintext outside the spool.
 */
describe('recording ingest survives kill -9 at any moment', () => {
  let db: TestDatabase;
  let root: string;
  let spool: string;
  let store: string;
  let callId: string;
  let spoolFiles: Map<string, string>;
  const masterKey = testKmsConfig().kmsMasterKey.reveal();

  beforeAll(async () => {
    db = await createTestDatabase('reccrash');
    root = mkdtempSync(join(tmpdir(), 'rec-crash-'));
    spool = join(root, 'spool');
    store = join(root, 'store');
    callId = newCallId();
    await db.sql(
      `INSERT INTO recording_calls (call_id, campaign_id, agent_user_id, customer_address, started_at)
       VALUES (?, '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', '203.0.113.5:40000', UTC_TIMESTAMP(3))`,
      [callId],
    );
    const { pcapPath, metaPath } = writeSpoolCall(spool, callId, toneCall({ seconds: 600 }).pcap);
    spoolFiles = new Map([pcapPath, metaPath].map((p) => [p, sha256(readFileSync(p))]));
  });
  afterAll(async () => {
    await db?.drop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  function start(dirs = { spool, store }): { child: ChildProcess; reconciled: Promise<number>; exited: Promise<number | null> } {
    const child = spawn(process.execPath, ['--require', REGISTER, CLI], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        DB_HOST: db.config.dbHost,
        DB_PORT: String(db.config.dbPort),
        DB_USER: db.config.dbUser,
        DB_PASSWORD: db.config.dbPassword.reveal(),
        DB_NAME: db.config.dbName,
        KMS_MASTER_KEY: masterKey,
        RECORDING_SPOOL_DIR: dirs.spool,
        RECORDING_STORE_DIR: dirs.store,
        RECORDING_SEGMENT_BYTES: '65536',
      },
    });
    let stdout = '';
    const reconciled = new Promise<number>((resolve) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('"phase":"reconciled"')) resolve(Date.now());
      });
    });
    child.stderr!.on('data', () => undefined);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return { child, reconciled, exited };
  }

  async function assertInvariants(): Promise<'committed' | 'not_yet'> {
    const rows = await db.sql<Array<{ id: string; status: string }>>('SELECT id, status FROM recordings WHERE call_id = ?', [callId]);
    expect(rows.length).toBeLessThanOrEqual(1);
    // Never plaintext outside the spool: whatever is in the store is ciphertext (or an empty temporary).
    for (const name of existsSync(store) ? readdirSync(store) : []) {
      expect(name).toMatch(/^[0-9a-f-]{36}\.(rec|tmp)$/);
      const bytes = readFileSync(join(store, name));
      if (bytes.length > 0) expect(bytes.subarray(0, 4).toString('latin1')).toBe('CCRA');
      expect(bytes.includes(Buffer.from('RIFF'))).toBe(false);
    }
    if (rows.length === 0) {
      // Not committed yet: the spool is exactly as rtpengine left it.
      for (const [path, digest] of spoolFiles) expect(sha256(readFileSync(path))).toBe(digest);
      return 'not_yet';
    }
    expect(rows[0].status).toBe('committed');
    return 'committed';
  }

  it('leaves exactly one readable recording and no plaintext, whatever moment the process dies at', async () => {
    // How long one ingest of this call takes here and now (on a copy of it, in other directories),
    // so that the kills below are spread over the whole ingest, whatever the machine's speed.
    const calibrationCall = newCallId();
    await db.sql(
      `INSERT INTO recording_calls (call_id, campaign_id, agent_user_id, customer_address, started_at)
       SELECT ?, campaign_id, agent_user_id, customer_address, started_at FROM recording_calls WHERE call_id = ?`,
      [calibrationCall, callId],
    );
    const calibration = { spool: join(root, 'calibration-spool'), store: join(root, 'calibration-store') };
    writeSpoolCall(calibration.spool, calibrationCall, readFileSync([...spoolFiles.keys()].find((p) => p.endsWith('.pcap'))!));
    const timed = start(calibration);
    const ingestStarted = await timed.reconciled;
    expect(await timed.exited).toBe(0);
    const ingestMs = Date.now() - ingestStarted;

    const outcomes: string[] = [];
    for (let run = 0; run < KILLED_RUNS; run++) {
      const { child, reconciled, exited } = start();
      // The first run dies at a random moment from its start, the others at random moments spread over the ingest itself.
      const delay = run === 0 ? Math.random() * 3000 : ((run - 1 + Math.random()) / (KILLED_RUNS - 1)) * ingestMs;
      if (run > 0) await Promise.race([reconciled, exited]);
      await Promise.race([new Promise((r) => setTimeout(r, delay)), exited]);
      child.kill('SIGKILL');
      const code = await exited;
      const left = existsSync(store) ? readdirSync(store).map((n) => n.slice(-3)).join('+') : '';
      outcomes.push(`${code === 0 ? 'completed' : 'killed'} after ${Math.round(delay)}ms:${await assertInvariants()}[${left}]`);
    }
    const final = start();
    expect(await final.exited).toBe(0);
    expect(await assertInvariants()).toBe('committed');

    const rows = await db.sql<Array<Record<string, unknown>>>('SELECT * FROM recordings WHERE call_id = ?', [callId]);
    expect(rows).toHaveLength(1);
    expect(await db.sql<unknown[]>(`SELECT id FROM recordings WHERE call_id <> ?`, [calibrationCall])).toHaveLength(1);
    const row = rows[0];
    const id = row.id as string;
    expect(readdirSync(store)).toEqual([`${id}.rec`]);
    expect(readdirSync(join(spool, 'pcaps'))).toEqual([]);
    expect(readdirSync(join(spool, 'metadata'))).toEqual([]);

    // The committed file decrypts in full to the plaintext whose digest was recorded.
    const ds = await db.connect();
    const kms = new LocalKmsRepository(Buffer.from(masterKey, 'base64'), ds as DataSource);
    const key = await kms.decrypt(
      { keyId: row.key_id as string, version: Number(row.key_version), ciphertext: row.wrapped_key as Buffer },
      `recordings:${id}`,
    );
    const file = readFileSync(join(store, `${id}.rec`));
    const opener = new SegmentOpener(key, file.subarray(0, 64));
    expect(file.length).toBe(encryptedFileBytes(opener.header));
    const digest = createHash('sha256');
    for (let i = 0; i < opener.header.segmentCount; i++) {
      const at = segmentFileOffset(opener.header, i);
      digest.update(opener.open(i, file.subarray(at, at + sealedSegmentBytes(opener.header, i))));
    }
    expect(digest.digest().equals(row.plaintext_sha256 as Buffer)).toBe(true);
    // eslint-disable-next-line no-console
    console.log(`crash runs (one ingest takes ${ingestMs} ms here): ${outcomes.join(', ')}`);
  }, 120_000);
});

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
