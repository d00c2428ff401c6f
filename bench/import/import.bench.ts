import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { UserPrincipal } from '@app/auth';
import { Secret } from '@app/config';
import { DatabaseConfig, dataSourceOptions } from '@app/database';
import { Role } from '@app/domain';
import { CampaignService } from '../../apps/crm-api/src/campaigns/campaign.service';
import { CrmApiConfig } from '../../apps/crm-api/src/crm-api.config';
import { CrmApiModule } from '../../apps/crm-api/src/crm-api.module';
import { UserRepository } from '../../apps/crm-api/src/identity/user.repository';
import { IMPORT_BATCH_SIZE, LeadImportService } from '../../apps/crm-api/src/imports/lead-import.service';
import { LeadListService } from '../../apps/crm-api/src/imports/lead-list.service';

/**
 * Lead import benchmark, in one run on one database:
 *  1. N generated rows (a stream, never a file) through LeadImportService.run, the same path as
 *     POST /lists/:id/imports minus HTTP: parse, validate, E.164, DNC check, per-person keys,
 *     field encryption, blind indexes, batched writes, issues and progress;
 *  2. a raw multi-row INSERT of the same number of rows, same columns and same value sizes (random
 *     bytes for the *_enc columns), same batch size, into a copy of the leads table (no FKs).
 * Rows per second and peak RSS of each; the ratio is the figure.
 *
 * Run: node --require ./bench/import/ts-register.js bench/import/import.bench.ts [rows=1000000]
 * (needs the test MariaDB at 127.0.0.1:3306 as root, as the tests do; TEST_DB_* override).
 */
const ROWS = Number(process.argv[2] ?? 1_000_000);
const CHUNK_BYTES = 64 * 1024;
const GCM_OVERHEAD = 28;

interface Person {
  first: string;
  last: string;
  phone: string;
  e164: string;
  email: string;
  address: string;
  nationalId: string;
  tier: string;
}

function person(i: number): Person {
  const national = `07${400_000_000 + i}`;
  return {
    first: `First${i}`,
    last: `Last${i}`,
    phone: national,
    e164: `+44${national.slice(1)}`,
    email: `person${i}@example.org`,
    address: `${i} High Street, London`,
    nationalId: `QQ${String(i % 1_000_000).padStart(6, '0')}C`,
    tier: i % 2 === 0 ? 'gold' : 'silver',
  };
}

async function* csv(rows: number, progress: { generated: number }): AsyncGenerator<Buffer> {
  let text = 'first_name,last_name,phone,email,address,national_id,tier\n';
  for (let i = 0; i < rows; i++) {
    const p = person(i);
    text += `${p.first},${p.last},${p.phone},${p.email},"${p.address}",${p.nationalId},${p.tier}\n`;
    progress.generated = i + 1;
    if (text.length >= CHUNK_BYTES) {
      yield Buffer.from(text, 'utf8');
      text = '';
    }
  }
  if (text.length > 0) yield Buffer.from(text, 'utf8');
}

/** Peak RSS while a phase runs, sampled every 100 ms. */
class RssSampler {
  peak = 0;
  private readonly timer: NodeJS.Timeout;
  constructor() {
    this.peak = process.memoryUsage().rss;
    this.timer = setInterval(() => {
      this.peak = Math.max(this.peak, process.memoryUsage().rss);
    }, 100);
  }
  stop(): number {
    clearInterval(this.timer);
    this.peak = Math.max(this.peak, process.memoryUsage().rss);
    return this.peak;
  }
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

async function main(): Promise<void> {
  const server = {
    dbHost: process.env.TEST_DB_HOST ?? '127.0.0.1',
    dbPort: Number(process.env.TEST_DB_PORT ?? 3306),
    dbUser: process.env.TEST_DB_USER ?? 'root',
    dbPassword: new Secret(process.env.TEST_DB_PASSWORD ?? ''),
    dbPoolSize: 10,
  };
  const dbName = `cc_bench_import_${process.pid}`;
  const admin = await createConnection({ host: server.dbHost, port: server.dbPort, user: server.dbUser, password: server.dbPassword.reveal() });
  await admin.query(`CREATE DATABASE \`${dbName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const database: DatabaseConfig = { ...server, dbName };
  let app: INestApplicationContext | null = null;
  try {
    const migrator = new DataSource(dataSourceOptions(database));
    await migrator.initialize();
    await migrator.runMigrations();
    await migrator.destroy();

    const config: CrmApiConfig = {
      http: {
        nodeEnv: 'production',
        httpHost: '127.0.0.1',
        httpPort: 1,
        tlsCertFile: '',
        tlsKeyFile: '',
        tlsDisabled: true,
        trustProxy: [],
        docsEnabled: false,
        rateLimitPerMinute: 600,
      },
      database,
      auth: {
        jwtSecret: new Secret(randomBytes(32).toString('base64')),
        serviceTokenSecret: new Secret(randomBytes(32).toString('base64')),
        accessTokenTtlSeconds: 600,
        reauthWindowSeconds: 300,
      },
      kms: { kmsMasterKey: new Secret(randomBytes(32).toString('base64')) },
      identity: { lockoutThreshold: 5, lockoutMinutes: 15, maxFailuresPerHour: 100, sessionMaxHours: 12, mfaIssuer: 'Bench' },
      blindIndex: { blindIndexKey: new Secret(randomBytes(32).toString('base64')) },
      anomaly: { rules: [], webhookUrl: '' },
    };
    app = await NestFactory.createApplicationContext(CrmApiModule.forRoot(config), { logger: ['error'] });
    const db = app.get(DataSource);

    const userId = randomUUID();
    await app.get(UserRepository).create({ id: userId, username: `bench-${userId.slice(0, 8)}`, displayName: 'Bench', role: Role.Manager, passwordHash: 'x' });
    const principal: UserPrincipal = { kind: 'user', userId, role: Role.Manager, sessionId: randomUUID(), reauthAt: null };
    const campaign = await app.get(CampaignService).create(principal, {
      name: 'Bench',
      dialMode: 'progressive',
      callerIds: ['+442071838750'],
      window: { startHour: 9, endHour: 20, days: ['mon', 'tue', 'wed', 'thu', 'fri'], holidays: [] },
      defaultTimezone: 'Europe/London',
      maxAttempts: 3,
      retryDelays: { busy: 30, noAnswer: 60, machine: 120, failed: 240 },
      recordingRetentionDays: 90,
      leadRetentionDays: 365,
    });
    const list = await app.get(LeadListService).create(principal, campaign.id, { name: 'Bench', defaultRegion: 'GB' });

    const [dbVersion]: Array<{ v: string }> = await db.query('SELECT VERSION() AS v');
    process.stderr.write(`lead import bench: ${ROWS} rows, batch ${IMPORT_BATCH_SIZE}, ${cpus().length} cores, node ${process.version}, ${dbVersion.v}\n`);

    // 1. The raw bulk insert of rows of the same shape.
    await db.query('CREATE TABLE leads_raw_bench LIKE leads');
    const pool = randomBytes(1024 * 1024);
    let offset = 0;
    const bytes = (n: number): Buffer => {
      if (offset + n > pool.length) offset = 0;
      const b = pool.subarray(offset, offset + n);
      offset += n;
      return b;
    };
    // Blind indexes must be unique per campaign (or INSERT IGNORE would skip rows): not from the pool.
    const hex64 = () => randomUUID().replace(/-/g, '') + randomUUID().replace(/-/g, '');
    const sealedSize = (text: string) => Buffer.byteLength(text, 'utf8') + GCM_OVERHEAD;
    const rawRss = new RssSampler();
    const rawStarted = process.hrtime.bigint();
    const importId = randomUUID();
    for (let start = 0; start < ROWS; start += IMPORT_BATCH_SIZE) {
      const rows: unknown[][] = [];
      for (let i = start; i < Math.min(ROWS, start + IMPORT_BATCH_SIZE); i++) {
        const p = person(i);
        rows.push([
          randomUUID(),
          campaign.id,
          list.id,
          importId,
          randomUUID(),
          hex64(),
          hex64(),
          bytes(sealedSize(p.first)),
          bytes(sealedSize(p.last)),
          bytes(sealedSize(p.e164)),
          bytes(sealedSize(p.email)),
          bytes(sealedSize(p.address)),
          bytes(sealedSize(p.nationalId)),
          null,
          bytes(sealedSize(JSON.stringify({ tier: p.tier }))),
          'GB',
          'Europe/London',
          null,
          null,
          null,
          null,
        ]);
      }
      await db.query(
        `INSERT IGNORE INTO leads_raw_bench (id, campaign_id, list_id, import_id, subject_id, phone_bidx, email_bidx,
           first_name_enc, last_name_enc, phone_enc, email_enc, address_enc, national_id_enc, notes_enc, custom_enc,
           phone_region, timezone, consent_basis, consent_source, consent_at, consent_evidence_ref) VALUES ?`,
        [rows],
      );
    }
    const rawSeconds = Number(process.hrtime.bigint() - rawStarted) / 1e9;
    const rawPeak = rawRss.stop();
    const rawCount: Array<{ n: string }> = await db.query('SELECT COUNT(*) AS n FROM leads_raw_bench');
    const rawRate = Number(rawCount[0].n) / rawSeconds;
    if (Number(rawCount[0].n) !== ROWS) throw new Error(`raw insert wrote ${rawCount[0].n} rows, not ${ROWS}`);
    process.stderr.write(`  raw: ${rawCount[0].n} rows in ${rawSeconds.toFixed(1)} s (${Math.round(rawRate)} rows/s), peak RSS ${mib(rawPeak)}\n`);

    // 2. The import (second: it runs on the fuller buffer pool, which only penalises it).
    const progress = { generated: 0 };
    const importRss = new RssSampler();
    const importStarted = process.hrtime.bigint();
    // Stopped before the end (SIGTERM/SIGINT), the run still says how far it got and at what rate.
    const partial = async () => {
      const seconds = Number(process.hrtime.bigint() - importStarted) / 1e9;
      process.stdout.write(
        `INTERRUPTED import after ${progress.generated} rows read in ${seconds.toFixed(0)} s: ${Math.round(progress.generated / seconds)} rows/s, ` +
          `peak RSS ${mib(importRss.peak)}, process maxRSS ${mib(process.resourceUsage().maxRSS * 1024)}; raw was ${Math.round(rawRate)} rows/s, peak RSS ${mib(rawPeak)}\n`,
      );
      await admin.query(`DROP DATABASE IF EXISTS \`${dbName}\``).catch(() => undefined);
      process.exit(2);
    };
    process.once('SIGTERM', () => void partial());
    process.once('SIGINT', () => void partial());
    const ticker = setInterval(() => {
      const seconds = Number(process.hrtime.bigint() - importStarted) / 1e9;
      process.stderr.write(
        `  import: ${progress.generated} rows read in ${seconds.toFixed(0)} s (${Math.round(progress.generated / seconds)} rows/s), rss ${mib(process.memoryUsage().rss)}, peak ${mib(importRss.peak)}\n`,
      );
    }, 30_000);
    const report = await app.get(LeadImportService).run(principal, list.id, { body: csv(ROWS, progress), bytesTotal: null });
    const importSeconds = Number(process.hrtime.bigint() - importStarted) / 1e9;
    const importPeak = importRss.stop();
    clearInterval(ticker);
    const maxRssAfterImport = process.resourceUsage().maxRSS * 1024;
    if (report.status !== 'completed' || report.accepted !== ROWS) {
      throw new Error(`import did not accept every row: ${JSON.stringify(report)}`);
    }

    const [version]: Array<{ v: string }> = await db.query('SELECT VERSION() AS v');
    const [bufferPool]: Array<{ b: string }> = await db.query('SELECT @@innodb_buffer_pool_size AS b');
    const importRate = ROWS / importSeconds;
    const result = {
      date: new Date().toISOString(),
      rows: ROWS,
      batchSize: IMPORT_BATCH_SIZE,
      import: {
        seconds: +importSeconds.toFixed(1),
        rowsPerSecond: Math.round(importRate),
        peakRssMiB: Math.round(importPeak / 1024 / 1024),
        accepted: report.accepted,
        bytes: report.bytesDone,
      },
      raw: { seconds: +rawSeconds.toFixed(1), rowsPerSecond: Math.round(rawRate), peakRssMiB: Math.round(rawPeak / 1024 / 1024) },
      ratioRawOverImport: +(rawRate / importRate).toFixed(2),
      processMaxRssAfterImportMiB: Math.round(maxRssAfterImport / 1024 / 1024),
      conditions: {
        cores: cpus().length,
        cpu: cpus()[0]?.model ?? 'unknown',
        memoryGiB: +(totalmem() / 1024 ** 3).toFixed(1),
        node: process.version,
        database: version.v,
        innodbBufferPoolMiB: Math.round(Number(bufferPool.b) / 1024 / 1024),
        path: 'LeadImportService.run in-process (no HTTP), data generated on the fly',
      },
    };
    process.stdout.write(
      [
        `lead import, ${ROWS} rows, batch ${IMPORT_BATCH_SIZE}:`,
        `  import   ${result.import.rowsPerSecond} rows/s (${result.import.seconds} s), peak RSS ${result.import.peakRssMiB} MiB`,
        `  raw      ${result.raw.rowsPerSecond} rows/s (${result.raw.seconds} s), peak RSS ${result.raw.peakRssMiB} MiB`,
        `  ratio    raw / import = ${result.ratioRawOverImport}`,
        `  ${JSON.stringify(result)}`,
        '',
      ].join('\n'),
    );
  } finally {
    if (app) await app.close();
    if (!process.env.BENCH_KEEP_DB) await admin.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
