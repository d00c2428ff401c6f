import { Injectable } from '@nestjs/common';
import { AccessService, Permission, Principal } from '@app/auth';
import { AuditService } from '@app/audit';
import { Role } from '@app/domain';
import { CallRegistryRepository } from '../calls/call-registry.repository';
import { RecordingException, RecordingExceptionCode } from '../recording.exception';
import { RecordedCallCreateDto, RecordingResponseDto, RecordingSearchQueryDto } from './recording.dto';
import { RecordingRepository, RecordingScope } from './recording.repository';

/** Recording metadata, and the dialer's registration of calls it records. */
@Injectable()
export class RecordingService {
  constructor(
    private readonly access: AccessService,
    private readonly recordings: RecordingRepository,
    private readonly calls: CallRegistryRepository,
    private readonly audit: AuditService,
  ) {}

  async search(principal: Principal, query: RecordingSearchQueryDto): Promise<RecordingResponseDto[]> {
    const scope = scopeOf(principal);
    if (!scope) return [];
    const rows = await this.recordings.search(scope, {
      campaignId: query.campaignId,
      agentUserId: query.agentUserId,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      minDurationMs: query.minDurationSeconds !== undefined ? query.minDurationSeconds * 1000 : undefined,
      maxDurationMs: query.maxDurationSeconds !== undefined ? query.maxDurationSeconds * 1000 : undefined,
      limit: query.limit ?? 50,
    });
    return rows.map(RecordingResponseDto.from);
  }

  async get(principal: Principal, id: string): Promise<RecordingResponseDto> {
    await this.access.requireAccess(principal, Permission.RecordingRead, id);
    const row = await this.recordings.findById(id);
    if (!row || row.status === 'deleted') throw new RecordingException(RecordingExceptionCode.NotFound);
    return RecordingResponseDto.from(row);
  }

  async registerCall(dto: RecordedCallCreateDto): Promise<void> {
    const registered = await this.calls.register({
      callId: dto.callId,
      campaignId: dto.campaignId,
      agentUserId: dto.agentUserId,
      customerSsrc: dto.customerSsrc ?? null,
      customerAddress: dto.customerAddress ?? null,
      startedAt: new Date(dto.startedAt),
    });
    if (!registered) throw new RecordingException(RecordingExceptionCode.CallAlreadyRegistered);
    await this.audit.record({ action: 'recording.call_register', outcome: 'success', targetType: 'call', targetId: dto.callId });
  }
}

/**
 * The same rule as the access repository's RecordingRead query, as a list filter: QA see every
 * recording, managers those of campaigns they manage, agents their own calls.
 */
function scopeOf(principal: Principal): RecordingScope | null {
  if (principal.kind !== 'user') return null;
  switch (principal.role) {
    case Role.Qa:
      return { kind: 'all' };
    case Role.Manager:
      return { kind: 'managed_campaigns', userId: principal.userId };
    case Role.Agent:
      return { kind: 'own_calls', userId: principal.userId };
    case Role.Admin:
      return null;
  }
}
