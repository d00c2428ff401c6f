import { Injectable } from '@nestjs/common';
import { AuditService } from '@app/audit';
import { AccessService, Permission, UserPrincipal } from '@app/auth';
import { Role } from '@app/domain';
import { CampaignRepository } from '../campaigns/campaign.repository';
import { CrmException, CrmExceptionCode } from '../crm.exception';
import { LeadRepository } from '../leads/lead.repository';
import { CallRecordListQueryDto, CallRecordWriteDto } from './call-record.dto';
import { CallRecordRepository } from './call-record.repository';
import { CallRecord, CallRecordInput, CallRecordScope } from './call-record.types';

const DEFAULT_LIMIT = 50;

/**
 * Call records: written by the dialer only, read by agents (their own), managers (their campaigns) and
 * QA (all). They hold ids and times, no personal data, so reads are audited but not counted as reads
 * of personal data.
 */
@Injectable()
export class CallRecordService {
  constructor(
    private readonly records: CallRecordRepository,
    private readonly campaigns: CampaignRepository,
    private readonly leads: LeadRepository,
    private readonly access: AccessService,
    private readonly audit: AuditService,
  ) {}

  /** Idempotent by call id: a retried CDR never makes a second record. Attempts are the dialer's to count. */
  async write(dto: CallRecordWriteDto): Promise<{ id: string; created: boolean }> {
    const input = toInput(dto);
    if (!(await this.campaigns.findById(input.campaignId))) {
      throw new CrmException(CrmExceptionCode.InvalidCampaign, 'The campaign does not exist');
    }
    if (input.leadId) {
      const lead = await this.leads.findById(input.leadId);
      if (!lead || lead.campaignId !== input.campaignId) {
        throw new CrmException(CrmExceptionCode.InvalidLead, 'The lead does not exist in that campaign');
      }
    }
    const result = await this.records.upsert(input);
    if (result.status === 'conflict') {
      await this.audit.record({ action: 'call_record.write', outcome: 'failure', targetType: 'call_record', details: { reason: 'call_id_conflict' } });
      throw new CrmException(CrmExceptionCode.Conflict, 'That call id belongs to another call');
    }
    const created = result.status === 'inserted';
    await this.audit.record({
      action: 'call_record.write',
      outcome: 'success',
      targetType: 'call_record',
      targetId: result.id,
      details: { created, campaign: input.campaignId, outcome: input.outcome },
    });
    return { id: result.id, created };
  }

  async get(principal: UserPrincipal, id: string): Promise<CallRecord> {
    await this.access.requireAccess(principal, Permission.CallRecordRead, id);
    const record = await this.records.findById(id);
    if (!record) throw new CrmException(CrmExceptionCode.NotFound, 'Not found');
    await this.audit.record({ action: 'call_record.read', outcome: 'success', targetType: 'call_record', targetId: id });
    return record;
  }

  async list(principal: UserPrincipal, query: CallRecordListQueryDto): Promise<CallRecord[]> {
    const scope = scopeOf(principal);
    const rows = await this.records.list(scope, {
      campaignId: query.campaignId,
      agentId: scope.kind === 'agent' ? undefined : query.agentId,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      outcome: query.outcome,
      limit: query.limit ?? DEFAULT_LIMIT,
      offset: query.offset ?? 0,
    });
    await this.audit.record({
      action: 'call_record.list',
      outcome: 'success',
      targetType: query.campaignId ? 'campaign' : 'call_record',
      targetId: query.campaignId,
      details: { count: rows.length, scope: scope.kind },
    });
    return rows;
  }
}

/** The widest set a role may read; the route's permission already keeps every other role out. */
function scopeOf(principal: UserPrincipal): CallRecordScope {
  switch (principal.role) {
    case Role.Qa:
      return { kind: 'all' };
    case Role.Manager:
      return { kind: 'manager', managerId: principal.userId };
    case Role.Agent:
      return { kind: 'agent', agentId: principal.userId };
    case Role.Admin:
      throw new CrmException(CrmExceptionCode.NotFound, 'Not found');
  }
}

function toInput(dto: CallRecordWriteDto): CallRecordInput {
  const at = (value: string | undefined) => (value ? new Date(value) : null);
  return {
    callId: dto.callId,
    leadId: dto.leadId ?? null,
    campaignId: dto.campaignId,
    agentId: dto.agentId ?? null,
    startedAt: new Date(dto.startedAt),
    ringAt: at(dto.ringAt),
    answeredAt: at(dto.answeredAt),
    bridgedAt: at(dto.bridgedAt),
    endedAt: at(dto.endedAt),
    outcome: dto.outcome,
    sipStatus: dto.sipStatus ?? null,
    trunk: dto.trunk ?? null,
    recordingId: dto.recordingId ?? null,
  };
}
