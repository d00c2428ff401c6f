import { DomainException, FailureKind } from '@app/http';

/** Errors of the CRM features (campaigns, leads, imports, compliance, work records). */
export enum CrmExceptionCode {
  NotFound = 'not_found',
  InvalidCampaign = 'invalid_campaign',
  InvalidStatusChange = 'invalid_status_change',
  NotAnAgent = 'not_an_agent',
  InvalidLead = 'invalid_lead',
  InvalidImport = 'invalid_import',
  ImportTooLarge = 'import_too_large',
  SubjectErased = 'subject_erased',
  IntegrityFailure = 'integrity_failure',
  Conflict = 'conflict',
}

function kindOf(code: CrmExceptionCode): FailureKind {
  switch (code) {
    case CrmExceptionCode.NotFound:
    case CrmExceptionCode.SubjectErased:
      return FailureKind.NotFound;
    case CrmExceptionCode.InvalidCampaign:
    case CrmExceptionCode.InvalidStatusChange:
    case CrmExceptionCode.NotAnAgent:
    case CrmExceptionCode.InvalidLead:
    case CrmExceptionCode.InvalidImport:
      return FailureKind.Invalid;
    case CrmExceptionCode.ImportTooLarge:
      return FailureKind.Invalid;
    case CrmExceptionCode.Conflict:
      return FailureKind.Conflict;
    case CrmExceptionCode.IntegrityFailure:
      return FailureKind.Unavailable;
  }
}

export class CrmException extends DomainException<CrmExceptionCode> {
  /** The message must never contain personal data: it goes to the caller as is. */
  constructor(code: CrmExceptionCode, message: string) {
    super(code, kindOf(code), message);
  }
}
