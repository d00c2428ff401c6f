import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { AuditVerifyResult } from './audit.types';
import { TypeormAuditRepository } from './typeorm-audit.repository';

/** Needs the app's DataSource and Clock, which PlatformModule provides to every app. */
@Module({
  providers: [
    { provide: AuditRepository, useClass: TypeormAuditRepository },
    AuditService,
  ],
  exports: [AuditService],
})
export class AuditModule {}

/** For the CLI, which runs without Nest: the same walk the admin endpoint runs. */
export function verifyAuditChain(dataSource: DataSource, batchSize?: number): Promise<AuditVerifyResult> {
  return new TypeormAuditRepository(dataSource).verify(batchSize);
}
