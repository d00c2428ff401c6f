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
  /** Service-to-service: an app asks another for its internal status. */
  InternalStatusRead = 'internal:status',
}
