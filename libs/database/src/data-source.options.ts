import { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '@db/migrations';
import { DatabaseConfig } from './database.config';

type EntityList = NonNullable<DataSourceOptions['entities']>;

/**
 * One place that says how the platform talks to MySQL: UTC everywhere, utf8mb4, migrations only
 * (never synchronize), and bigints as strings so audit sequence numbers cannot lose precision.
 */
export function dataSourceOptions(config: DatabaseConfig, entities: EntityList = []): DataSourceOptions {
  return {
    type: 'mysql',
    host: config.dbHost,
    port: config.dbPort,
    username: config.dbUser,
    password: config.dbPassword.reveal(),
    database: config.dbName,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: false,
    poolSize: config.dbPoolSize,
    entities,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: ['error'],
    extra: { connectionLimit: config.dbPoolSize },
  };
}
