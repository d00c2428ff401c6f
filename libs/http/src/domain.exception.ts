/**
 * What kind of failure a domain error is, independent of any transport. Services throw domain
 * exceptions; only the global filter turns a kind into an HTTP status, in one exhaustive switch.
 */
export enum FailureKind {
  Invalid = 'invalid',
  Unauthenticated = 'unauthenticated',
  Forbidden = 'forbidden',
  NotFound = 'not_found',
  Conflict = 'conflict',
  Locked = 'locked',
  TooManyRequests = 'too_many_requests',
  Unavailable = 'unavailable',
}

export abstract class DomainException<Code extends string = string> extends Error {
  protected constructor(
    readonly code: Code,
    readonly kind: FailureKind,
    /** Safe for the caller to read: never a secret, a value of personal data or a stack. */
    readonly publicMessage: string,
  ) {
    super(publicMessage);
    this.name = new.target.name;
  }
}

export function failureKindToHttpStatus(kind: FailureKind): number {
  switch (kind) {
    case FailureKind.Invalid:
      return 400;
    case FailureKind.Unauthenticated:
      return 401;
    case FailureKind.Forbidden:
      return 403;
    case FailureKind.NotFound:
      return 404;
    case FailureKind.Conflict:
      return 409;
    case FailureKind.Locked:
      return 423;
    case FailureKind.TooManyRequests:
      return 429;
    case FailureKind.Unavailable:
      return 503;
  }
}
