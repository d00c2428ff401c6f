import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditService, TypeormAuditRepository, verifyAuditChain } from '@app/audit';
import { ConfigError, loadConfig } from '@app/config';
import { Argon2PasswordHasher } from '@app/crypto';
import { affectedRows, DatabaseConfig, dataSourceOptions } from '@app/database';
import { Role, SystemClock } from '@app/domain';

/**
 * Operations on the database that run outside the apps:
 *   migrate       apply pending migrations
 *   revert        undo the last migration
 *   seed-demo     create one demo user per role; prints each first password once, when it creates it
 *   audit-verify  walk the audit hash chain; exit 1 and name the first bad entry when tampered
 */
const DEMO_USERS: Array<{ username: string; displayName: string; role: Role }> = [
  { username: 'demo.admin', displayName: 'Demo Admin', role: Role.Admin },
  { username: 'demo.manager', displayName: 'Demo Manager', role: Role.Manager },
  { username: 'demo.agent', displayName: 'Demo Agent', role: Role.Agent },
  { username: 'demo.qa', displayName: 'Demo QA Inspector', role: Role.Qa },
];

async function main(command: string | undefined): Promise<number> {
  const db = new DataSource(dataSourceOptions(loadConfig(DatabaseConfig)));
  await db.initialize();
  try {
    switch (command) {
      case 'migrate': {
        const applied = await db.runMigrations({ transaction: 'each' });
        console.log(applied.length ? `applied: ${applied.map((m) => m.name).join(', ')}` : 'database is up to date');
        return 0;
      }
      case 'revert':
        await db.undoLastMigration({ transaction: 'each' });
        console.log('reverted the last migration');
        return 0;
      case 'seed-demo':
        await seedDemo(db);
        return 0;
      case 'audit-verify': {
        const result = await verifyAuditChain(db);
        console.log(JSON.stringify(result, null, 2));
        return result.ok ? 0 : 1;
      }
      default:
        console.error('usage: cli.js migrate | revert | seed-demo | audit-verify');
        return 2;
    }
  } finally {
    await db.destroy();
  }
}

async function seedDemo(db: DataSource): Promise<void> {
  const hasher = new Argon2PasswordHasher();
  const audit = new AuditService(new TypeormAuditRepository(db), new SystemClock());
  const created: Array<{ username: string; role: Role; password: string }> = [];
  for (const user of DEMO_USERS) {
    const password = randomBytes(15).toString('base64url');
    const id = randomUUID();
    const result: unknown = await db.query(
      'INSERT IGNORE INTO users (id, username, display_name, role, password_hash) VALUES (?, ?, ?, ?, ?)',
      [id, user.username, user.displayName, user.role, await hasher.hash(password)],
    );
    if (affectedRows(result) === 1) {
      created.push({ username: user.username, role: user.role, password });
      await audit.record({ action: 'seed.user.create', outcome: 'success', targetType: 'user', targetId: id, details: { role: user.role } });
    }
  }
  if (created.length === 0) {
    console.log('Demo users already exist; their first passwords were shown when they were created.');
    return;
  }
  // Shown once, on the operator's terminal only: they are not stored anywhere in plaintext.
  console.log('Demo users created. First passwords (shown once; each user sets up TOTP at first sign-in):');
  for (const u of created) console.log(`  ${u.role.padEnd(8)} ${u.username.padEnd(14)} ${u.password}`);
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) console.error(error.message);
    else console.error(`failed: ${error instanceof Error ? error.name : 'error'}${codeOf(error)}`);
    process.exit(1);
  },
);

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? ` (${code})` : '';
}
