import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { AuditModule } from '@app/audit';
import { ServiceName } from '@app/domain';
import { AccessGuard } from './access.guard';
import { AccessRepository } from './access.repository';
import { AccessService } from './access.service';
import { AccessTokenStrategy, SELF_SERVICE } from './access-token.strategy';
import { AuthConfig } from './auth.config';
import { PrincipalRepository } from './principal.repository';
import { TokenService } from './token.service';
import { TypeormAccessRepository } from './typeorm-access.repository';
import { TypeormPrincipalRepository } from './typeorm-principal.repository';

/** Authentication and authorisation for one app: its global default-deny guard and the access helper. */
@Module({})
export class AuthModule {
  static forRoot(self: ServiceName, config: AuthConfig): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      imports: [PassportModule, AuditModule],
      providers: [
        { provide: SELF_SERVICE, useValue: self },
        { provide: AuthConfig, useValue: config },
        { provide: TokenService, useValue: new TokenService(config) },
        { provide: PrincipalRepository, useClass: TypeormPrincipalRepository },
        { provide: AccessRepository, useClass: TypeormAccessRepository },
        AccessTokenStrategy,
        AccessService,
        { provide: APP_GUARD, useClass: AccessGuard },
      ],
      exports: [TokenService, AccessService, AuthConfig, SELF_SERVICE],
    };
  }
}
