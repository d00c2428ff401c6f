import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { AuditService, TypeormAuditRepository } from '@app/audit';
import { ConfigError, loadConfigs } from '@app/config';
import { KmsConfig, LocalKmsRepository } from '@app/crypto';
import { DatabaseConfig, dataSourceOptions } from '@app/database';
import { SystemClock } from '@app/domain';
import { TypeormCallRegistryRepository } from './calls/call-registry.repository';
import { FsSpoolRepository } from './ingest/fs-spool.repository';
import { IngestService } from './ingest/ingest.service';
import { RecordingStorageConfig } from './recording.config';
import { TypeormRecordingRepository } from './recordings/typeorm-recording.repository';
import { FsRecordingStoreRepository } from './store/fs-recording-store.repository';

/**
 * One ingest pass without the HTTP app: reconcile, then every finished call in the spool. For
 * operators (after an outage) and for the crash test, which kills it at random moments. Prints one
 * JSON line of counts. Must not run beside another ingesting process on the same store.
 */
async function main(): Promise<void> {
  let config: { database: DatabaseConfig; kms: KmsConfig; recording: RecordingStorageConfig };
  try {
    config = loadConfigs({ database: DatabaseConfig, kms: KmsConfig, recording: RecordingStorageConfig });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`recording-ingest: ${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  const db = new DataSource(dataSourceOptions(config.database));
  await db.initialize();
  try {
    const ingest = new IngestService(
      new FsSpoolRepository(config.recording.spoolDir),
      new FsRecordingStoreRepository(config.recording.storeDir),
      new TypeormRecordingRepository(db),
      new TypeormCallRegistryRepository(db),
      new LocalKmsRepository(Buffer.from(config.kms.kmsMasterKey.reveal(), 'base64'), db),
      new AuditService(new TypeormAuditRepository(db), new SystemClock()),
      config.recording,
    );
    const reconciled = await ingest.reconcile();
    process.stdout.write(`${JSON.stringify({ phase: 'reconciled', ...reconciled })}\n`);
    const counts = await ingest.ingestPending();
    process.stdout.write(`${JSON.stringify({ phase: 'done', ...counts })}\n`);
  } finally {
    await db.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`recording-ingest failed: ${(error as Error).name}\n`);
  process.exit(1);
});
