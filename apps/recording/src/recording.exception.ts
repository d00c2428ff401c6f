import { DomainException, FailureKind } from '@app/http';

export enum RecordingExceptionCode {
  NotFound = 'recording_not_found',
  /** Unsupported codec, failed decode or deleted: there is no audio to play. */
  NotPlayable = 'recording_not_playable',
  /** Tampered, truncated, reordered, or its key is not the one it was sealed with. */
  IntegrityFailed = 'recording_integrity_failed',
  /** The key version that wraps its data key is retired or unknown. */
  KeyUnavailable = 'recording_key_unavailable',
  KeyVersionInUse = 'key_version_in_use',
  KeyVersionNotRetirable = 'key_version_not_retirable',
  CallNotFound = 'call_not_found',
  CallAlreadyRegistered = 'call_already_registered',
  AlreadyPaused = 'recording_already_paused',
  NotPaused = 'recording_not_paused',
  ControlUnavailable = 'recording_control_unavailable',
  UnderLegalHold = 'recording_under_legal_hold',
}

function kindOf(code: RecordingExceptionCode): FailureKind {
  switch (code) {
    case RecordingExceptionCode.NotFound:
    case RecordingExceptionCode.CallNotFound:
      return FailureKind.NotFound;
    case RecordingExceptionCode.NotPlayable:
    case RecordingExceptionCode.KeyVersionInUse:
    case RecordingExceptionCode.KeyVersionNotRetirable:
    case RecordingExceptionCode.CallAlreadyRegistered:
    case RecordingExceptionCode.AlreadyPaused:
    case RecordingExceptionCode.NotPaused:
    case RecordingExceptionCode.UnderLegalHold:
      return FailureKind.Conflict;
    case RecordingExceptionCode.IntegrityFailed:
    case RecordingExceptionCode.KeyUnavailable:
    case RecordingExceptionCode.ControlUnavailable:
      return FailureKind.Unavailable;
  }
}

const MESSAGES: Record<RecordingExceptionCode, string> = {
  [RecordingExceptionCode.NotFound]: 'Not found',
  [RecordingExceptionCode.NotPlayable]: 'This recording has no playable audio',
  [RecordingExceptionCode.IntegrityFailed]: 'The recording failed its integrity check and will not be played',
  [RecordingExceptionCode.KeyUnavailable]: 'The key protecting this recording is not available',
  [RecordingExceptionCode.KeyVersionInUse]: 'Recordings still use this key version; rewrap them first',
  [RecordingExceptionCode.KeyVersionNotRetirable]: 'Only an enabled, non-active key version can be retired',
  [RecordingExceptionCode.CallNotFound]: 'Not found',
  [RecordingExceptionCode.CallAlreadyRegistered]: 'This call is already registered',
  [RecordingExceptionCode.AlreadyPaused]: 'Recording is already paused',
  [RecordingExceptionCode.NotPaused]: 'Recording is not paused',
  [RecordingExceptionCode.ControlUnavailable]: 'Recording control is not available',
  [RecordingExceptionCode.UnderLegalHold]: 'This recording is under legal hold',
};

export class RecordingException extends DomainException<RecordingExceptionCode> {
  constructor(code: RecordingExceptionCode, message?: string) {
    super(code, kindOf(code), message ?? MESSAGES[code]);
  }
}
