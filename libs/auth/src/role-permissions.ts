import { Role, ServiceName } from '@app/domain';
import { Permission } from './permission.enum';

/** The role → permission matrix. Nothing else grants a permission. */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  [Role.Admin]: [
    Permission.SelfManage,
    Permission.UserRead,
    Permission.UserManage,
    Permission.SessionManage,
    Permission.SecurityPolicyManage,
    Permission.AuditRead,
    Permission.AuditVerify,
    Permission.KeyManage,
    Permission.PrivacyRequestManage,
    Permission.RetentionRun,
    Permission.SecurityAlertManage,
    Permission.TrunkManage,
    Permission.SipAccountManage,
  ],
  [Role.Manager]: [
    Permission.SelfManage,
    Permission.CampaignRead,
    Permission.CampaignManage,
    Permission.LeadImport,
    Permission.LeadRead,
    Permission.LeadReveal,
    Permission.LeadExport,
    Permission.LeadWrite,
    Permission.DncManage,
    Permission.CallRecordRead,
    Permission.RecordingRead,
    Permission.RecordingPlay,
    Permission.RecordingDownload,
    Permission.QaScoreRead,
    Permission.DialerMonitor,
    Permission.CallControl,
  ],
  [Role.Agent]: [
    Permission.SelfManage,
    Permission.CampaignRead,
    Permission.LeadRead,
    Permission.LeadReveal,
    Permission.WorkRecordWrite,
    Permission.CallRecordRead,
    Permission.RecordingRead,
    Permission.RecordingPlay,
    Permission.RecordingControl,
    Permission.AgentStateManage,
  ],
  [Role.Qa]: [
    Permission.SelfManage,
    Permission.CampaignRead,
    Permission.CallRecordRead,
    Permission.RecordingRead,
    Permission.RecordingPlay,
    Permission.QaScorecardManage,
    Permission.QaScoreRead,
  ],
};

/** What each of the platform's own apps may ask of the others. */
export const SERVICE_PERMISSIONS: Readonly<Record<ServiceName, readonly Permission[]>> = {
  [ServiceName.CrmApi]: [Permission.InternalStatusRead],
  [ServiceName.Dialer]: [
    Permission.InternalStatusRead,
    Permission.CallRecordWrite,
    Permission.LeadDialTarget,
    Permission.RecordingControl,
    Permission.RecordingIngestWrite,
  ],
  [ServiceName.Recording]: [Permission.InternalStatusRead],
};
