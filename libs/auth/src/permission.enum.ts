/**
 * Everything a route can require. Roles and services are granted permissions in role-permissions.ts,
 * the only place that says who may do what.
 */
export enum Permission {
  /** One's own profile, sessions, re-authentication and logout. */
  SelfManage = 'self:manage',
  UserRead = 'users:read',
  UserManage = 'users:manage',
  SessionManage = 'sessions:manage',
  SecurityPolicyManage = 'security:policy',
  AuditRead = 'audit:read',
  AuditVerify = 'audit:verify',
  CampaignRead = 'campaigns:read',
  CampaignManage = 'campaigns:manage',
  /** Uploading lead lists into a campaign (ids are campaign ids). */
  LeadImport = 'leads:import',
  /** A lead's card with masked phone number. Every read is audited and counted. */
  LeadRead = 'leads:read',
  /** The full phone number of a lead (with re-authentication). */
  LeadReveal = 'leads:reveal',
  /** A campaign's leads as CSV (with re-authentication; ids are campaign ids). */
  LeadExport = 'leads:export',
  /** Rectifying a lead's fields and consent. */
  LeadWrite = 'leads:write',
  DncManage = 'dnc:manage',
  /** Dispositions, notes and callbacks on the lead one is working. */
  WorkRecordWrite = 'work:write',
  CallRecordRead = 'calls:read',
  /** Service-to-service: the dialer writes call records. */
  CallRecordWrite = 'calls:write',
  /** Service-to-service: the dialer asks for a reserved lead's number at dial time (DNC and consent checked again). */
  LeadDialTarget = 'leads:dial-target',
  /** Data-subject requests: find, export, rectify, erase (with re-authentication). */
  PrivacyRequestManage = 'privacy:requests',
  /** Running lead retention now (it also runs on a schedule). */
  RetentionRun = 'retention:run',
  /** Anomaly alerts and unfreezing accounts. */
  SecurityAlertManage = 'security:alerts',
  /** Creating key versions, rewrapping and retiring them (with re-authentication). */
  KeyManage = 'keys:manage',
  /** Recording metadata (who, when, which campaign, duration); never audio. */
  RecordingRead = 'recordings:read',
  /** Streaming a recording's audio for listening (each play audited). */
  RecordingPlay = 'recordings:play',
  /** Saving a recording's audio as a file (audited as a download). */
  RecordingDownload = 'recordings:download',
  /** Pausing and resuming the recording of a live call (PCI). */
  RecordingControl = 'recordings:control',
  QaScorecardManage = 'qa:scorecards',
  QaScoreRead = 'qa:scores:read',
  /** Service-to-service: the dialer tells the recording service about calls it records. */
  RecordingIngestWrite = 'recordings:ingest',
  /** The agent's own dialer state (ready, paused, offline), live events and preview dialling. */
  AgentStateManage = 'dialer:agent',
  /** Agents' states, pacing, abandon rates and live calls of the campaigns one manages. */
  DialerMonitor = 'dialer:monitor',
  /** Transferring and listening to live calls of the campaigns one manages. */
  CallControl = 'dialer:calls:control',
  /** Carriers' trunks: targets, credentials, limits (with re-authentication). */
  TrunkManage = 'dialer:trunks',
  /** Agents' SIP credentials for their phones (with re-authentication). */
  SipAccountManage = 'dialer:sip-accounts',
  /** Service-to-service: an app asks another for its internal status. */
  InternalStatusRead = 'internal:status',
}
