/** The four kinds of people who use the platform. A user has exactly one role. */
export enum Role {
  Admin = 'admin',
  Manager = 'manager',
  Agent = 'agent',
  Qa = 'qa',
}

export const ALL_ROLES: readonly Role[] = [Role.Admin, Role.Manager, Role.Agent, Role.Qa];

/** The platform's own programs, which call one another with service tokens. */
export enum ServiceName {
  CrmApi = 'crm-api',
  Dialer = 'dialer',
  Recording = 'recording',
}

export const ALL_SERVICES: readonly ServiceName[] = [ServiceName.CrmApi, ServiceName.Dialer, ServiceName.Recording];
