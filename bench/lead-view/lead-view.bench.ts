import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { Secret } from '@app/config';
import { KmsRepository, PasswordHasher, totpAt } from '@app/crypto';
import { dataSourceOptions, DatabaseConfig } from '@app/database';
import { Role } from '@app/domain';
import { configureApp } from '@app/http';
import { CrmApiConfig } from '../../apps/crm-api/src/crm-api.config';
import { CrmApiModule } from '../../apps/crm-api/src/crm-api.module';
import { MFA_KEY_ID } from '../../apps/crm-api/src/identity/mfa.service';
import { UserRepository } from '../../apps/crm-api/src/identity/user.repository';
import { LeadInput, LeadWriter } from '../../apps/crm-api/src/leads/lead-writer.service';

/**
 * Lead view benchmark: GET /leads/:id as an agent working the lead, the whole read path (session
 * check, per-record access check, anomaly count, subject key unwrap, field decryption, masking, the
 * hash-chained audit write) through HTTP on loopback, at a fixed arrival rate.
 *
 * The load is open-loop: request i is sent at t0 + i/rate whatever happened to the earlier ones, so
 * a slow server shows as latency (measured from the scheduled send time, so queueing behind a stall
 * counts) instead of as a politely lower rate. The number of requests is bounded (rate × seconds).
 *
 * Run (needs the test MariaDB at 127.0.0.1:3306, root, as the tests do; creates and drops its own
 * database):  npm run build && node dist/bench/lead-view/lead-view.bench.js
 * Knobs: BENCH_RATE (200), BENCH_SECONDS (30), BENCH_LEADS (2000), BENCH_DB_POOL (10), TEST_DB_*.
 */
const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const LEADS = Number(process.env.BENCH_LEADS ?? 2000);
const POOL = Number(process.env.BENCH_DB_POOL ?? 10);
/** Beyond this many requests in flight the generator counts a drop instead of piling on. */
const MAX_IN_FLIGHT = 2000;
const WARMUP = 200;
/** Closed-loop probes before the run: how many reads per second the server manages at all. */
const PROBE_SECONDS = 3;
const PROBE_CONCURRENCY = [1, 16];

interface Sample {
  /** From the scheduled send time to the last byte of the answer (includes client-side queueing). */
  scheduledMs: number;
  /** From the actual send to the last byte. */
  serviceMs: number;
  status: number;
}

function server(): Omit<DatabaseConfig, 'dbName'> {
  return {
    dbHost: process.env.TEST_DB_HOST ?? '127.0.0.1',
    dbPort: Number(process.env.TEST_DB_PORT ?? 3306),
    dbUser: process.env.TEST_DB_USER ?? 'root',
    dbPassword: new Secret(process.env.TEST_DB_PASSWORD ?? ''),
    dbPoolSize: POOL,
  };
}

async function createDatabase(): Promise<{ config: DatabaseConfig; version: string; drop: () => Promise<void> }> {
  const s = server();
  const name = `cc_bench_leadview_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = await createConnection({ host: s.dbHost, port: s.dbPort, user: s.dbUser, password: s.dbPassword.reveal() });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const [rows] = await admin.query('SELECT VERSION() AS v');
  const version = String((rows as Array<{ v: string }>)[0].v);
  const config: DatabaseConfig = { ...s, dbName: name };
  const migrator = new DataSource(dataSourceOptions(config));
  await migrator.initialize();
  await migrator.runMigrations();
  await migrator.destroy();
  return {
    config,
    version,
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.end();
    },
  };
}

function benchConfig(database: DatabaseConfig): CrmApiConfig {
  const secret = () => new Secret(randomBytes(32).toString('base64'));
  return {
    http: {
      nodeEnv: 'production',
      httpHost: '127.0.0.1',
      httpPort: 0,
      tlsCertFile: '',
      tlsKeyFile: '',
      tlsDisabled: true,
      trustProxy: [],
      docsEnabled: false,
      // One client address sends every request: the per-address limit must not be what is measured.
      rateLimitPerMinute: 10_000_000,
    },
    database,
    auth: { jwtSecret: secret(), serviceTokenSecret: secret(), accessTokenTtlSeconds: 900, reauthWindowSeconds: 300 },
    kms: { kmsMasterKey: secret() },
    identity: { lockoutThreshold: 5, lockoutMinutes: 15, maxFailuresPerHour: 100, sessionMaxHours: 12, mfaIssuer: 'CallCenterBench' },
    blindIndex: { blindIndexKey: secret() },
    // Raised so the bench's own burst is not taken for an attack; the count itself still runs.
    anomaly: { rules: [{ kind: 'lead_read', threshold: 1_000_000_000, windowSeconds: 300 }], webhookUrl: '' },
  };
}

interface BenchUser {
  id: string;
  username: string;
  password: string;
  totpSecret: Buffer;
}

/** The user straight into the database with MFA enrolled, as an administrator's setup would leave it. */
async function createUser(app: INestApplication, role: Role): Promise<BenchUser> {
  const id = randomUUID();
  const username = `bench-${role}-${id.slice(0, 8)}`;
  const password = `Pw-${randomUUID()}`;
  await app.get(UserRepository).create({
    id,
    username,
    displayName: `Bench ${role}`,
    role,
    passwordHash: await app.get(PasswordHasher).hash(password),
  });
  const totpSecret = randomBytes(20);
  await app.get(UserRepository).setPendingMfa(id, await app.get(KmsRepository).encrypt(MFA_KEY_ID, totpSecret, `users:${id}:mfa_secret`));
  await app.get(UserRepository).activatePendingMfa(id, 0);
  return { id, username, password, totpSecret };
}

const keepAlive = new Agent({ keepAlive: true, maxSockets: 256 });

function call(
  port: number,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: keepAlive,
        headers: {
          Accept: 'application/json',
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {}),
        },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function signIn(port: number, user: BenchUser): Promise<string> {
  const login = await call(port, 'POST', '/auth/login', null, { username: user.username, password: user.password });
  if (login.status !== 200) throw new Error(`login failed: ${login.status}`);
  const { challengeToken } = JSON.parse(login.body) as { challengeToken: string };
  const verified = await call(port, 'POST', '/auth/mfa/verify', null, { challengeToken, code: totpAt(user.totpSecret, Date.now()) });
  if (verified.status !== 200) throw new Error(`mfa failed: ${verified.status}`);
  return (JSON.parse(verified.body) as { accessToken: string }).accessToken;
}

function phoneAt(base: number, i: number): string {
  return `+4477${String((base + i) % 100_000_000).padStart(8, '0')}`;
}

async function seed(app: INestApplication, port: number, agent: BenchUser, managerToken: string): Promise<string[]> {
  const campaign = await call(port, 'POST', '/campaigns', managerToken, {
    name: `Bench ${randomUUID().slice(0, 8)}`,
    dialMode: 'progressive',
    callerIds: ['+442071838750'],
    window: { startHour: 9, endHour: 20, days: ['mon', 'tue', 'wed', 'thu', 'fri'], holidays: [] },
    defaultTimezone: 'Europe/London',
    maxAttempts: 3,
    retryDelays: { busy: 30, noAnswer: 60, machine: 120, failed: 240 },
    recordingRetentionDays: 90,
    leadRetentionDays: 365,
  });
  if (campaign.status !== 201) throw new Error(`campaign create failed: ${campaign.status} ${campaign.body}`);
  const campaignId = (JSON.parse(campaign.body) as { id: string }).id;
  const agents = await call(port, 'PUT', `/campaigns/${campaignId}/agents`, managerToken, { agentIds: [agent.id] });
  if (agents.status !== 200) throw new Error(`agent assignment failed: ${agents.status}`);

  const writer = app.get(LeadWriter);
  const base = 10_000_000 + Math.floor(Math.random() * 80_000_000);
  const ids: string[] = [];
  for (let start = 0; start < LEADS; start += 500) {
    const inputs: LeadInput[] = [];
    for (let i = start; i < Math.min(LEADS, start + 500); i++) {
      inputs.push({
        fields: {
          firstName: `First${i}`,
          lastName: `Last${i}`,
          phone: phoneAt(base, i),
          email: `person${i}@example.org`,
          address: `${i} Bench Street, London`,
          nationalId: `QQ${String(i).padStart(6, '0')}C`,
          notes: 'Prefers mornings',
          custom: { plan: 'gold' },
        },
        phoneRegion: 'GB',
        timezones: ['Europe/London'],
        consent: null,
      });
    }
    const results = await writer.writeBatch(campaignId, null, null, inputs);
    for (const r of results) if (r.status === 'inserted') ids.push(r.leadId);
  }
  // What the dialer does when it offers a call: the agent is working every lead.
  const db = app.get(DataSource);
  await db.query(`UPDATE leads SET assigned_agent_id = ?, status = 'in_progress' WHERE campaign_id = ?`, [agent.id, campaignId]);
  return ids;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function sleepUntil(atMs: number): Promise<void> {
  const wait = atMs - performance.now();
  return wait > 1 ? new Promise((r) => setTimeout(r, wait)) : Promise.resolve();
}

async function load(port: number, token: string, leads: string[]): Promise<{ samples: Sample[]; dropped: number; sending: number; serving: number; maxInFlight: number }> {
  const total = Math.round(RATE * SECONDS);
  const interval = 1000 / RATE;
  const samples: Sample[] = [];
  const pending: Array<Promise<void>> = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let dropped = 0;
  let lastDone = 0;
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    const scheduled = t0 + i * interval;
    await sleepUntil(scheduled);
    if (inFlight >= MAX_IN_FLIGHT) {
      dropped += 1;
      continue;
    }
    const leadId = leads[i % leads.length];
    const sent = performance.now();
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    pending.push(
      call(port, 'GET', `/leads/${leadId}`, token)
        .then((res) => {
          const done = performance.now();
          samples.push({ scheduledMs: done - scheduled, serviceMs: done - sent, status: res.status });
        })
        .catch(() => {
          const done = performance.now();
          samples.push({ scheduledMs: done - scheduled, serviceMs: done - sent, status: 0 });
        })
        .finally(() => {
          lastDone = performance.now();
          inFlight -= 1;
        }),
    );
  }
  const sendingEnded = performance.now();
  await Promise.all(pending);
  return { samples, dropped, sending: (sendingEnded - t0) / 1000, serving: (lastDone - t0) / 1000, maxInFlight };
}

/** Closed loop: `concurrency` clients, each sending the next request when the last one answered. */
async function probe(port: number, token: string, leads: string[], concurrency: number): Promise<{ rate: number; p50: number }> {
  const until = performance.now() + PROBE_SECONDS * 1000;
  const latencies: number[] = [];
  let next = 0;
  const client = async () => {
    while (performance.now() < until) {
      const started = performance.now();
      const res = await call(port, 'GET', `/leads/${leads[next++ % leads.length]}`, token);
      if (res.status !== 200) throw new Error(`probe read answered ${res.status}`);
      latencies.push(performance.now() - started);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, client));
  const seconds = (performance.now() - started) / 1000;
  return { rate: latencies.length / seconds, p50: percentile([...latencies].sort((a, b) => a - b), 50) };
}

function summarise(label: string, values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const f = (v: number) => v.toFixed(1).padStart(7);
  return `  ${label.padEnd(34)} p50 ${f(percentile(sorted, 50))}  p90 ${f(percentile(sorted, 90))}  p99 ${f(percentile(sorted, 99))}  max ${f(sorted[sorted.length - 1])}  ms`;
}

async function main(): Promise<void> {
  const database = await createDatabase();
  let app: INestApplication | null = null;
  try {
    const config = benchConfig(database.config);
    app = await NestFactory.create(CrmApiModule.forRoot(config), { logger: ['error', 'warn'] });
    configureApp(app, config.http, 'crm-api');
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer().address() as AddressInfo).port;

    const manager = await createUser(app, Role.Manager);
    const agent = await createUser(app, Role.Agent);
    const managerToken = await signIn(port, manager);
    const seedStart = performance.now();
    const leads = await seed(app, port, agent, managerToken);
    const seedSeconds = (performance.now() - seedStart) / 1000;
    if (leads.length !== LEADS) throw new Error(`seeded ${leads.length} of ${LEADS} leads`);
    const token = await signIn(port, agent);

    // Warm-up (JIT, connection pool, key caches), sequential and not measured.
    for (let i = 0; i < WARMUP; i++) {
      const res = await call(port, 'GET', `/leads/${leads[(i * 7) % leads.length]}`, token);
      if (res.status !== 200) throw new Error(`warm-up read answered ${res.status}: ${res.body.slice(0, 200)}`);
    }

    const probes: string[] = [];
    for (const concurrency of PROBE_CONCURRENCY) {
      const { rate, p50 } = await probe(port, token, leads, concurrency);
      probes.push(`${concurrency} client${concurrency > 1 ? 's' : ''}: ${rate.toFixed(0)} req/s (p50 ${p50.toFixed(1)} ms)`);
    }

    const loadBefore = loadavg()[0];
    const { samples, dropped, sending, serving, maxInFlight } = await load(port, token, leads);
    const loadAfter = loadavg()[0];
    const ok = samples.filter((s) => s.status === 200);
    const errors = samples.length - ok.length;
    const byStatus = new Map<number, number>();
    for (const s of samples) byStatus.set(s.status, (byStatus.get(s.status) ?? 0) + 1);

    const cpu = cpus();
    console.log('Lead view benchmark: GET /leads/:id (access check, anomaly count, unwrap, decrypt, mask, audit)');
    console.log(`  date                 ${new Date().toISOString()}`);
    console.log(`  machine              ${cpu.length} cores, ${cpu[0]?.model ?? 'unknown CPU'}`);
    console.log(`  node                 ${process.version}`);
    console.log(`  load average (1 min) ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after the run (other work on the machine shows here)`);
    console.log(`  database             ${database.version} on ${database.config.dbHost}:${database.config.dbPort}, pool ${POOL}`);
    console.log(`  leads                ${leads.length} (seeded in ${seedSeconds.toFixed(1)} s), one agent working all of them`);
    console.log(`  capacity (closed loop, ${PROBE_SECONDS} s each)  ${probes.join('; ')}`);
    console.log(`  load                 open loop, ${RATE} req/s target for ${SECONDS} s = ${Math.round(RATE * SECONDS)} requests, HTTP/1.1 keep-alive on loopback, TLS off`);
    console.log(`  achieved             sent ${(samples.length / sending).toFixed(1)} req/s (${samples.length} sent, ${dropped} not sent: ${MAX_IN_FLIGHT} already in flight); served ${(samples.length / serving).toFixed(1)} req/s (last answer after ${serving.toFixed(1)} s); max ${maxInFlight} in flight`);
    console.log(`  errors               ${errors} (${[...byStatus].map(([s, n]) => `${s}: ${n}`).join(', ')})`);
    console.log(summarise('latency from scheduled send (200s)', ok.map((s) => s.scheduledMs)));
    console.log(summarise('latency from actual send (200s)', ok.map((s) => s.serviceMs)));
  } finally {
    await app?.close();
    keepAlive.destroy();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : 'failed');
  process.exit(1);
});
