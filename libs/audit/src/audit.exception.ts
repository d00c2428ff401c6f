export enum AuditExceptionCode {
  InvalidEvent = 'audit_invalid_event',
  InvalidQuery = 'audit_invalid_query',
  ChainHeadMissing = 'audit_chain_head_missing',
}

/**
 * Deliberately not a DomainException: an event that cannot be audited, or a chain without its head,
 * is a fault of the server, so the global filter answers a generic 500 and the request fails rather
 * than going on unaudited. Messages name fields, never their values.
 */
export class AuditException extends Error {
  constructor(
    readonly code: AuditExceptionCode,
    message: string,
  ) {
    super(message);
    this.name = 'AuditException';
  }
}
