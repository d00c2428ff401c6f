import { DomainException, FailureKind } from '@app/http';

export enum IdentityExceptionCode {
  /** One answer for unknown user, wrong password, wrong code, disabled or locked: nothing to enumerate. */
  SignInFailed = 'sign_in_failed',
  SourceAddressNotAllowed = 'source_address_not_allowed',
  ReauthFailed = 'reauth_failed',
  InvalidToken = 'invalid_token',
  MfaAlreadyEnrolled = 'mfa_already_enrolled',
  MfaNotStarted = 'mfa_not_started',
  WeakPassword = 'weak_password',
  UsernameTaken = 'username_taken',
  UserNotFound = 'user_not_found',
  SessionNotFound = 'session_not_found',
  InvalidCidr = 'invalid_cidr',
  RuleNotFound = 'rule_not_found',
  CannotChangeOwnAccount = 'cannot_change_own_account',
}

function kindOf(code: IdentityExceptionCode): FailureKind {
  switch (code) {
    case IdentityExceptionCode.SignInFailed:
    case IdentityExceptionCode.InvalidToken:
      return FailureKind.Unauthenticated;
    case IdentityExceptionCode.SourceAddressNotAllowed:
    case IdentityExceptionCode.ReauthFailed:
      return FailureKind.Forbidden;
    case IdentityExceptionCode.MfaAlreadyEnrolled:
    case IdentityExceptionCode.UsernameTaken:
      return FailureKind.Conflict;
    case IdentityExceptionCode.MfaNotStarted:
    case IdentityExceptionCode.WeakPassword:
    case IdentityExceptionCode.InvalidCidr:
    case IdentityExceptionCode.CannotChangeOwnAccount:
      return FailureKind.Invalid;
    case IdentityExceptionCode.UserNotFound:
    case IdentityExceptionCode.SessionNotFound:
    case IdentityExceptionCode.RuleNotFound:
      return FailureKind.NotFound;
  }
}

const MESSAGES: Record<IdentityExceptionCode, string> = {
  [IdentityExceptionCode.SignInFailed]: 'Sign-in failed. Check your details, or try again later.',
  [IdentityExceptionCode.SourceAddressNotAllowed]: 'Not allowed from this network address',
  [IdentityExceptionCode.ReauthFailed]: 'Password or code not accepted',
  [IdentityExceptionCode.InvalidToken]: 'Invalid or expired token',
  [IdentityExceptionCode.MfaAlreadyEnrolled]: 'Two-factor authentication is already set up',
  [IdentityExceptionCode.MfaNotStarted]: 'Start two-factor enrolment first',
  [IdentityExceptionCode.WeakPassword]: 'Password does not meet the policy',
  [IdentityExceptionCode.UsernameTaken]: 'That username is taken',
  [IdentityExceptionCode.UserNotFound]: 'Not found',
  [IdentityExceptionCode.SessionNotFound]: 'Not found',
  [IdentityExceptionCode.InvalidCidr]: 'Not a valid IP range (CIDR)',
  [IdentityExceptionCode.RuleNotFound]: 'Not found',
  [IdentityExceptionCode.CannotChangeOwnAccount]: 'Administrators cannot do this to their own account',
};

export class IdentityException extends DomainException<IdentityExceptionCode> {
  constructor(code: IdentityExceptionCode, message?: string) {
    super(code, kindOf(code), message ?? MESSAGES[code]);
  }
}
