import { DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Argon2PasswordHasher, KmsRepository, LocalKmsRepository, PasswordHasher } from '@app/crypto';
import { ServiceName } from '@app/domain';
import { PlatformModule } from '@app/platform';
import { AdminController } from './admin/admin.controller';
import { SecurityPolicyService } from './admin/security-policy.service';
import { UserAdminService } from './admin/user-admin.service';
import { AuditController } from './audit/audit.controller';
import { CrmApiConfig } from './crm-api.config';
import { AuthController } from './identity/auth.controller';
import { AuthService } from './identity/auth.service';
import { IdentityConfig } from './identity/identity.config';
import { IpRuleRepository, TypeormIpRuleRepository } from './identity/ip-rule.repository';
import { MfaService } from './identity/mfa.service';
import { RecoveryCodeRepository, TypeormRecoveryCodeRepository } from './identity/recovery-code.repository';
import { SessionRepository } from './identity/session.repository';
import { SessionService } from './identity/session.service';
import { SignInThrottleService } from './identity/sign-in-throttle.service';
import { ThrottleRepository } from './identity/throttle.repository';
import { TypeormSessionRepository } from './identity/typeorm-session.repository';
import { TypeormThrottleRepository } from './identity/typeorm-throttle.repository';
import { TypeormUserRepository } from './identity/typeorm-user.repository';
import { UserRepository } from './identity/user.repository';

@Module({})
export class CrmApiModule {
  static forRoot(config: CrmApiConfig): DynamicModule {
    return {
      module: CrmApiModule,
      imports: [
        PlatformModule.forRoot({ service: ServiceName.CrmApi, http: config.http, database: config.database, auth: config.auth }),
      ],
      controllers: [AuthController, AdminController, AuditController],
      providers: [
        { provide: IdentityConfig, useValue: config.identity },
        {
          provide: KmsRepository,
          inject: [DataSource],
          useFactory: (db: DataSource) => new LocalKmsRepository(Buffer.from(config.kms.kmsMasterKey.reveal(), 'base64'), db),
        },
        { provide: PasswordHasher, useClass: Argon2PasswordHasher },
        { provide: UserRepository, useClass: TypeormUserRepository },
        { provide: SessionRepository, useClass: TypeormSessionRepository },
        { provide: ThrottleRepository, useClass: TypeormThrottleRepository },
        { provide: RecoveryCodeRepository, useClass: TypeormRecoveryCodeRepository },
        { provide: IpRuleRepository, useClass: TypeormIpRuleRepository },
        SignInThrottleService,
        MfaService,
        SessionService,
        AuthService,
        UserAdminService,
        SecurityPolicyService,
      ],
    };
  }
}
