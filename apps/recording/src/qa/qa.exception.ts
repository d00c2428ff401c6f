import { DomainException, FailureKind } from '@app/http';

export enum QaExceptionCode {
  TemplateNotFound = 'qa_template_not_found',
  DuplicateCriterion = 'qa_duplicate_criterion',
  InvalidAnswers = 'qa_invalid_answers',
  CommentOutsideRecording = 'qa_comment_outside_recording',
  UsersOnly = 'qa_users_only',
}

function kindOf(code: QaExceptionCode): FailureKind {
  switch (code) {
    case QaExceptionCode.TemplateNotFound:
      return FailureKind.NotFound;
    case QaExceptionCode.DuplicateCriterion:
    case QaExceptionCode.InvalidAnswers:
    case QaExceptionCode.CommentOutsideRecording:
      return FailureKind.Invalid;
    case QaExceptionCode.UsersOnly:
      return FailureKind.Forbidden;
  }
}

const MESSAGES: Record<QaExceptionCode, string> = {
  [QaExceptionCode.TemplateNotFound]: 'Not found',
  [QaExceptionCode.DuplicateCriterion]: 'Criterion keys must be unique',
  [QaExceptionCode.InvalidAnswers]: 'The answers do not fit the scorecard',
  [QaExceptionCode.CommentOutsideRecording]: 'A comment points past the end of the recording',
  [QaExceptionCode.UsersOnly]: 'Only people score recordings',
};

export class QaException extends DomainException<QaExceptionCode> {
  constructor(code: QaExceptionCode, message?: string) {
    super(code, kindOf(code), message ?? MESSAGES[code]);
  }
}
