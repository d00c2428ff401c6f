import { Injectable } from '@nestjs/common';
import { Clock } from '@app/domain';
import { RequestContext, RequestContextData } from '@app/http';
import { assertValidAuditEntry } from './audit-entry.validator';
import { AuditRepository } from './audit.repository';
import { AuditEntry, AuditEvent, AuditListFilter, AuditVerifyResult, NewAuditEntry } from './audit.types';

/** Fills what the caller left out from the request being served; outside a request it is the system. */
function resolve(event: AuditEvent, context: RequestContextData | undefined, now: Date): NewAuditEntry {
  const actor = event.actor ?? context?.actor ?? { type: 'system' as const };
  return {
    occurredAt: now,
    actor: { type: actor.type, id: actor.id ?? null, role: actor.role ?? null },
    action: event.action,
    outcome: event.outcome,
    targetType: event.targetType ?? null,
    targetId: event.targetId ?? null,
    sourceIp: event.sourceIp !== undefined ? event.sourceIp : (context?.sourceIp ?? null),
    requestId: event.requestId !== undefined ? event.requestId : (context?.requestId ?? null),
    details: event.details ?? null,
  };
}

@Injectable()
export class AuditService {
  constructor(
    private readonly repository: AuditRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * Appends to the chain. A failure is thrown, never swallowed: an action that must be audited
   * should not succeed unaudited, so the caller decides what a failed write means.
   */
  async record(event: AuditEvent): Promise<void> {
    const entry = resolve(event, RequestContext.current(), this.clock.now());
    assertValidAuditEntry(entry);
    await this.repository.append(entry);
  }

  list(filter: AuditListFilter): Promise<AuditEntry[]> {
    return this.repository.list(filter);
  }

  verify(): Promise<AuditVerifyResult> {
    return this.repository.verify();
  }
}
