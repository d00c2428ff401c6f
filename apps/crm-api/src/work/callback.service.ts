import { Injectable } from '@nestjs/common';
import { AuditService } from '@app/audit';
import { AccessService, Permission, UserPrincipal } from '@app/auth';
import { CrmException, CrmExceptionCode } from '../crm.exception';
import { CallbackRepository } from './callback.repository';
import { CallbackSummary } from './work.types';

const MAX_LISTED = 200;

@Injectable()
export class CallbackService {
  constructor(
    private readonly callbacks: CallbackRepository,
    private readonly access: AccessService,
    private readonly audit: AuditService,
  ) {}

  /** Ids and times only: the lead itself is read through its card, which is audited and counted. */
  mine(principal: UserPrincipal): Promise<CallbackSummary[]> {
    return this.callbacks.listPendingForAgent(principal.userId, MAX_LISTED);
  }

  /**
   * Closes a callback. Only its owner may close a personal one; a campaign's callback, any agent
   * working the lead. Someone else's callback answers 404, like one that does not exist.
   */
  async close(principal: UserPrincipal, id: string, status: 'done' | 'cancelled'): Promise<void> {
    const callback = await this.callbacks.findById(id);
    if (!callback || (callback.agentId !== null && callback.agentId !== principal.userId)) {
      throw new CrmException(CrmExceptionCode.NotFound, 'Not found');
    }
    await this.access.requireAccess(principal, Permission.WorkRecordWrite, callback.leadId);
    if (!(await this.callbacks.close(id, status))) throw new CrmException(CrmExceptionCode.Conflict, 'That callback is no longer pending');
    await this.audit.record({
      action: status === 'done' ? 'work.callback_done' : 'work.callback_cancel',
      outcome: 'success',
      targetType: 'callback',
      targetId: id,
      details: { lead: callback.leadId },
    });
  }
}
