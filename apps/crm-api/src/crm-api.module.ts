import { DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Argon2PasswordHasher, BlindIndex, KmsRepository, LocalKmsRepository, PasswordHasher } from '@app/crypto';
import { ServiceName } from '@app/domain';
import { PlatformModule } from '@app/platform';
import { AdminController } from './admin/admin.controller';
import { SecurityPolicyService } from './admin/security-policy.service';
import { UserAdminService } from './admin/user-admin.service';
import { ActivityRepository, TypeormActivityRepository } from './anomaly/activity.repository';
import { AnomalyConfig } from './anomaly/anomaly.config';
import { AnomalyService } from './anomaly/anomaly.service';
import { SecurityAlertController } from './anomaly/security-alert.controller';
import { AuditController } from './audit/audit.controller';
import { CampaignController } from './campaigns/campaign.controller';
import { CampaignRepository, TypeormCampaignRepository } from './campaigns/campaign.repository';
import { CampaignService } from './campaigns/campaign.service';
import { DncRepository, TypeormDncRepository } from './compliance/dnc.repository';
import { DncService } from './compliance/dnc.service';
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
import { LeadCipher } from './leads/lead-cipher.service';
import { LeadWriter } from './leads/lead-writer.service';
import { LeadController } from './leads/lead.controller';
import { LeadRepository, TypeormLeadRepository } from './leads/lead.repository';
import { LeadService } from './leads/lead.service';
import { SubjectRepository, TypeormSubjectRepository } from './leads/subject.repository';
import { CallRecordController } from './calls/call-record.controller';
import { CallRecordRepository, TypeormCallRecordRepository } from './calls/call-record.repository';
import { CallRecordService } from './calls/call-record.service';
import { InternalCallRecordController } from './calls/internal-call-record.controller';
import { InternalDialTargetController } from './calls/internal-dial-target.controller';
import { DialTargetService } from './calls/internal-dial-target.service';
import { CallbackController } from './work/callback.controller';
import { CallbackRepository, TypeormCallbackRepository } from './work/callback.repository';
import { CallbackService } from './work/callback.service';
import { DispositionRepository, TypeormDispositionRepository } from './work/disposition.repository';
import { DispositionService } from './work/disposition.service';
import { LeadWorkController } from './work/lead-work.controller';
import { NoteRepository, TypeormNoteRepository } from './work/note.repository';
import { NoteService } from './work/note.service';
import { KeyRotationController } from './keys/key-rotation.controller';
import { KeyRotationService } from './keys/key-rotation.service';
import { KeyUsageRepository, TypeormKeyUsageRepository } from './keys/key-usage.repository';
import { LeadImportRollback } from './imports/lead-import-rollback.service';
import { LeadImportController } from './imports/lead-import.controller';
import { LeadImportReaper } from './imports/lead-import.reaper';
import { LeadImportRepository, TypeormLeadImportRepository } from './imports/lead-import.repository';
import { LeadImportService } from './imports/lead-import.service';
import { LeadListRepository, TypeormLeadListRepository } from './imports/lead-list.repository';
import { LeadListService } from './imports/lead-list.service';
import { ComplianceRepository, TypeormComplianceRepository } from './compliance/compliance.repository';
import { ComplianceService } from './compliance/compliance.service';
import { DncController } from './compliance/dnc.controller';
import { LeadComplianceController } from './compliance/lead-compliance.controller';
import { RetentionConfig } from './compliance/retention.config';
import { RetentionController } from './compliance/retention.controller';
import { RetentionRepository, TypeormRetentionRepository } from './compliance/retention.repository';
import { RetentionScheduler, RetentionService } from './compliance/retention.service';
import { LeadExportController } from './exports/lead-export.controller';
import { LeadExportRepository, TypeormLeadExportRepository } from './exports/lead-export.repository';
import { LeadExportService } from './exports/lead-export.service';
import { PrivacyController } from './privacy/privacy.controller';
import { PrivacyRepository, TypeormPrivacyRepository } from './privacy/privacy.repository';
import { PrivacyService } from './privacy/privacy.service';

@Module({})
export class CrmApiModule {
  static forRoot(config: CrmApiConfig): DynamicModule {
    return {
      module: CrmApiModule,
      imports: [
        PlatformModule.forRoot({ service: ServiceName.CrmApi, http: config.http, database: config.database, auth: config.auth }),
      ],
      controllers: [AuthController, AdminController, AuditController, CampaignController, LeadController, SecurityAlertController, KeyRotationController, LeadWorkController, CallbackController, CallRecordController, InternalCallRecordController, InternalDialTargetController, LeadImportController, DncController, LeadComplianceController, PrivacyController, LeadExportController, RetentionController],
      providers: [
        { provide: IdentityConfig, useValue: config.identity },
        { provide: AnomalyConfig, useValue: config.anomaly },
        { provide: RetentionConfig, useValue: config.retention ?? { intervalMinutes: 60 } },
        { provide: BlindIndex, useValue: new BlindIndex(config.blindIndex) },
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
        { provide: CampaignRepository, useClass: TypeormCampaignRepository },
        { provide: SubjectRepository, useClass: TypeormSubjectRepository },
        { provide: KeyUsageRepository, useClass: TypeormKeyUsageRepository },
        KeyRotationService,
        { provide: LeadRepository, useClass: TypeormLeadRepository },
        { provide: ActivityRepository, useClass: TypeormActivityRepository },
        { provide: DncRepository, useClass: TypeormDncRepository },
        SignInThrottleService,
        MfaService,
        SessionService,
        AuthService,
        UserAdminService,
        SecurityPolicyService,
        CampaignService,
        LeadCipher,
        LeadService,
        LeadWriter,
        AnomalyService,
        DncService,
        { provide: ComplianceRepository, useClass: TypeormComplianceRepository },
        { provide: PrivacyRepository, useClass: TypeormPrivacyRepository },
        { provide: LeadExportRepository, useClass: TypeormLeadExportRepository },
        { provide: RetentionRepository, useClass: TypeormRetentionRepository },
        ComplianceService,
        PrivacyService,
        LeadExportService,
        RetentionService,
        RetentionScheduler,
        { provide: CallRecordRepository, useClass: TypeormCallRecordRepository },
        { provide: DispositionRepository, useClass: TypeormDispositionRepository },
        { provide: NoteRepository, useClass: TypeormNoteRepository },
        { provide: CallbackRepository, useClass: TypeormCallbackRepository },
        CallRecordService,
        DialTargetService,
        DispositionService,
        NoteService,
        CallbackService,
        { provide: LeadListRepository, useClass: TypeormLeadListRepository },
        { provide: LeadImportRepository, useClass: TypeormLeadImportRepository },
        LeadListService,
        LeadImportService,
        LeadImportRollback,
        LeadImportReaper,
      ],
    };
  }
}
