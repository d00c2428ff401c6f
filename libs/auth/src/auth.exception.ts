import { DomainException, FailureKind } from '@app/http';

export enum AuthExceptionCode {
  Unauthenticated = 'unauthenticated',
  Forbidden = 'forbidden',
  RouteNotDeclared = 'route_not_declared',
  SourceAddressNotAllowed = 'source_address_not_allowed',
  ReauthRequired = 'reauth_required',
  AccountFrozen = 'account_frozen',
  NotFound = 'not_found',
}

function kindOf(code: AuthExceptionCode): FailureKind {
  switch (code) {
    case AuthExceptionCode.Unauthenticated:
      return FailureKind.Unauthenticated;
    case AuthExceptionCode.Forbidden:
    case AuthExceptionCode.RouteNotDeclared:
    case AuthExceptionCode.SourceAddressNotAllowed:
    case AuthExceptionCode.ReauthRequired:
    case AuthExceptionCode.AccountFrozen:
      return FailureKind.Forbidden;
    case AuthExceptionCode.NotFound:
      return FailureKind.NotFound;
  }
}

const MESSAGES: Record<AuthExceptionCode, string> = {
  [AuthExceptionCode.Unauthenticated]: 'Authentication required',
  [AuthExceptionCode.Forbidden]: 'Not allowed',
  [AuthExceptionCode.RouteNotDeclared]: 'Not allowed',
  [AuthExceptionCode.SourceAddressNotAllowed]: 'Not allowed from this network address',
  [AuthExceptionCode.ReauthRequired]: 'Confirm your password and code to continue',
  [AuthExceptionCode.AccountFrozen]: 'Account frozen; an administrator must unfreeze it',
  [AuthExceptionCode.NotFound]: 'Not found',
};

export class AuthException extends DomainException<AuthExceptionCode> {
  constructor(code: AuthExceptionCode) {
    super(code, kindOf(code), MESSAGES[code]);
  }
}
