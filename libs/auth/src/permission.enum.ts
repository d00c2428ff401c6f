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
  /** Service-to-service: an app asks another for its internal status. */
  InternalStatusRead = 'internal:status',
}
