import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { DataSource, DataSourceOptions } from 'typeorm';
import { Secret } from '@app/config';
import { DatabaseConfig, dataSourceOptions } from '@app/database';

/** The MariaDB the tests run against; scripts/test.sh starts it when it is not running. */
export function testDatabaseServer(): Omit<DatabaseConfig, 'dbName'> {
  return {
    dbHost: process.env.TEST_DB_HOST ?? '127.0.0.1',
    dbPort: Number(process.env.TEST_DB_PORT ?? 3306),
    dbUser: process.env.TEST_DB_USER ?? 'root',
    dbPassword: new Secret(process.env.TEST_DB_PASSWORD ?? ''),
    dbPoolSize: 10,
  };
}

export interface TestDatabase {
  name: string;
  config: DatabaseConfig;
  options(entities?: DataSourceOptions['entities']): DataSourceOptions;
  /** A migrated DataSource of its own; closed by drop(). */
  connect(entities?: DataSourceOptions['entities']): Promise<DataSource>;
  /** Plain SQL as root, for tests that play an attacker editing tables behind the app's back. */
  sql<T = unknown>(statement: string, params?: unknown[]): Promise<T>;
  drop(): Promise<void>;
}

/**
 * A fresh database per test file, migrated with the real migrations, so tests never share state and
 * never depend on each other's order.
 */
export async function createTestDatabase(prefix = 't'): Promise<TestDatabase> {
  const server = testDatabaseServer();
  const name = `cc_${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = await createConnection({
    host: server.dbHost,
    port: server.dbPort,
    user: server.dbUser,
    password: server.dbPassword.reveal(),
    multipleStatements: false,
  });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.query(`USE \`${name}\``);
  const config: DatabaseConfig = { ...server, dbName: name };
  const migrator = new DataSource(dataSourceOptions(config));
  await migrator.initialize();
  await migrator.runMigrations();
  await migrator.destroy();

  const opened: DataSource[] = [];
  return {
    name,
    config,
    options: (entities) => dataSourceOptions(config, entities),
    async connect(entities) {
      const ds = new DataSource(dataSourceOptions(config, entities));
      await ds.initialize();
      opened.push(ds);
      return ds;
    },
    async sql<T>(statement: string, params: unknown[] = []) {
      const [rows] = await admin.query(statement, params);
      return rows as T;
    },
    async drop() {
      await Promise.all(opened.filter((ds) => ds.isInitialized).map((ds) => ds.destroy()));
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.end();
    },
  };
}
