import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '@app/audit';
import { AccessService, Permission, Principal } from '@app/auth';
import { Clock } from '@app/domain';
import { RecordingException, RecordingExceptionCode } from '../recording.exception';
import { CallRegistryRepository } from './call-registry.repository';
import { RtpengineControlRepository } from './rtpengine-control.repository';

const CALL_ID = /^[\x21-\x7e]{1,128}$/;

/**
 * PCI pause and resume of a live call's recording (the agent's console while card details are
 * read out, or the dialer). The pause is written down before rtpengine is told, so a pause that
 * happened is always marked; if rtpengine refuses, the mark is taken back.
 */
@Injectable()
export class RecordingControlService {
  private readonly logger = new Logger('RecordingControl');

  constructor(
    private readonly access: AccessService,
    private readonly calls: CallRegistryRepository,
    private readonly rtpengine: RtpengineControlRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async pause(principal: Principal, callId: string): Promise<void> {
    await this.requireCall(principal, callId);
    const by = principal.kind === 'user' ? principal.userId : null;
    if (!(await this.calls.openPause(callId, this.clock.now(), by))) throw new RecordingException(RecordingExceptionCode.AlreadyPaused);
    try {
      await this.rtpengine.pauseRecording(callId);
    } catch (error) {
      await this.calls.cancelOpenPause(callId);
      await this.audited('recording.pause', 'failure', callId);
      this.logger.error(`pause refused by rtpengine: ${(error as Error).name}`);
      throw new RecordingException(RecordingExceptionCode.ControlUnavailable);
    }
    await this.audited('recording.pause', 'success', callId);
  }

  async resume(principal: Principal, callId: string): Promise<void> {
    await this.requireCall(principal, callId);
    try {
      await this.rtpengine.resumeRecording(callId);
    } catch (error) {
      await this.audited('recording.resume', 'failure', callId);
      this.logger.error(`resume refused by rtpengine: ${(error as Error).name}`);
      throw new RecordingException(RecordingExceptionCode.ControlUnavailable);
    }
    // Closed after rtpengine has resumed: the marked gap covers all the time that was not recorded.
    if (!(await this.calls.closePause(callId, this.clock.now()))) throw new RecordingException(RecordingExceptionCode.NotPaused);
    await this.audited('recording.resume', 'success', callId);
  }

  private async requireCall(principal: Principal, callId: string): Promise<void> {
    if (!CALL_ID.test(callId)) throw new RecordingException(RecordingExceptionCode.CallNotFound);
    await this.access.requireAccess(principal, Permission.RecordingControl, callId);
  }

  private audited(action: string, outcome: 'success' | 'failure', callId: string): Promise<void> {
    return this.audit.record({ action, outcome, targetType: 'call', targetId: callId });
  }
}
