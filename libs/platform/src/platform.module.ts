import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@app/audit';
import { AuthConfig, AuthModule } from '@app/auth';
import { DatabaseConfig, dataSourceOptions } from '@app/database';
import { Clock, ServiceName, SystemClock } from '@app/domain';
import { HttpConfig, PlatformHttpModule } from '@app/http';
import { HealthController } from './health.controller';

export interface PlatformOptions {
  service: ServiceName;
  http: HttpConfig;
  database: DatabaseConfig;
  auth: AuthConfig;
}

/**
 * What every app is built on: the database, the HTTP surface (errors, limits, content types), the
 * default-deny guard, the audit log, a clock, and health and internal-status routes.
 */
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    return {
      module: PlatformModule,
      global: true,
      imports: [
        TypeOrmModule.forRoot(dataSourceOptions(options.database)),
        PlatformHttpModule.forRoot(options.http),
        AuditModule,
        AuthModule.forRoot(options.service, options.auth),
      ],
      controllers: [HealthController],
      providers: [{ provide: Clock, useClass: SystemClock }],
      exports: [Clock, AuditModule],
    };
  }
}
