import { DomainException, FailureKind } from '@app/http';

export enum DialerExceptionCode {
  NotFound = 'dialer_not_found',
  /** The agent's state does not allow the change (e.g. ready while on a call). */
  InvalidAgentState = 'agent_state_invalid',
  /** The agent has no registered phone, or the account is frozen or disabled. */
  AgentUnavailable = 'agent_unavailable',
  /** drachtio-server or rtpengine is down: no call is started. */
  TelephonyDown = 'telephony_down',
  NoLead = 'no_lead_available',
  /** The CRM refused the lead at dial time (DNC, consent, erased). */
  LeadNotDialable = 'lead_not_dialable',
  NoTrunk = 'no_trunk_available',
  CallNotLive = 'call_not_live',
  TrunkNameTaken = 'trunk_name_taken',
  SipUsernameTaken = 'sip_username_taken',
  NotSupported = 'not_supported',
}

function kindOf(code: DialerExceptionCode): FailureKind {
  switch (code) {
    case DialerExceptionCode.NotFound:
      return FailureKind.NotFound;
    case DialerExceptionCode.InvalidAgentState:
    case DialerExceptionCode.AgentUnavailable:
    case DialerExceptionCode.NoLead:
    case DialerExceptionCode.LeadNotDialable:
    case DialerExceptionCode.CallNotLive:
    case DialerExceptionCode.TrunkNameTaken:
    case DialerExceptionCode.SipUsernameTaken:
      return FailureKind.Conflict;
    case DialerExceptionCode.TelephonyDown:
    case DialerExceptionCode.NoTrunk:
    case DialerExceptionCode.NotSupported:
      return FailureKind.Unavailable;
  }
}

export class DialerException extends DomainException<DialerExceptionCode> {
  constructor(code: DialerExceptionCode, publicMessage: string) {
    super(code, kindOf(code), publicMessage);
  }
}
