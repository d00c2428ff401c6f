import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService } from '@app/audit';
import { AccessService, Permission, UserPrincipal } from '@app/auth';
import { Role } from '@app/domain';
import { CrmException, CrmExceptionCode } from '../crm.exception';
import { UserRepository } from '../identity/user.repository';
import { isValidTimezone } from '../leads/phone';
import { CampaignCreateDto, CampaignUpdateDto } from './campaign.dto';
import { CampaignRepository, CampaignWrite } from './campaign.repository';
import { Campaign, CampaignStatus, DEFAULT_DISPOSITIONS } from './campaign.types';

const TRANSITIONS: Record<'active' | 'paused' | 'finished', readonly CampaignStatus[]> = {
  active: ['draft', 'paused'],
  paused: ['active'],
  finished: ['active', 'paused'],
};

@Injectable()
export class CampaignService {
  constructor(
    private readonly campaigns: CampaignRepository,
    private readonly users: UserRepository,
    private readonly access: AccessService,
    private readonly audit: AuditService,
  ) {}

  /** Managers and agents see the campaigns they belong to; QA sees all. */
  async list(principal: UserPrincipal): Promise<Campaign[]> {
    return principal.role === Role.Qa ? this.campaigns.listAll() : this.campaigns.listForMember(principal.userId);
  }

  async get(principal: UserPrincipal, id: string): Promise<Campaign> {
    await this.access.requireAccess(principal, Permission.CampaignRead, id);
    return this.require(id);
  }

  async create(principal: UserPrincipal, dto: CampaignCreateDto): Promise<Campaign> {
    const write = toWrite(dto);
    const id = randomUUID();
    await this.campaigns.create(id, write, principal.userId);
    await this.audit.record({ action: 'campaign.create', outcome: 'success', targetType: 'campaign', targetId: id });
    return this.require(id);
  }

  async update(principal: UserPrincipal, id: string, dto: CampaignUpdateDto): Promise<Campaign> {
    await this.access.requireAccess(principal, Permission.CampaignManage, id);
    const current = await this.require(id);
    if (current.status === 'finished') throw new CrmException(CrmExceptionCode.InvalidStatusChange, 'A finished campaign cannot be changed');
    const merged = toWrite({ ...fromCampaign(current), ...stripUndefined(dto) } as CampaignCreateDto);
    await this.campaigns.update(id, merged);
    await this.audit.record({
      action: 'campaign.update',
      outcome: 'success',
      targetType: 'campaign',
      targetId: id,
      details: { fields: Object.keys(stripUndefined(dto)).sort().join(',').slice(0, 200) },
    });
    return this.require(id);
  }

  async setStatus(principal: UserPrincipal, id: string, to: 'active' | 'paused' | 'finished'): Promise<Campaign> {
    await this.access.requireAccess(principal, Permission.CampaignManage, id);
    if (!(await this.campaigns.setStatus(id, to, TRANSITIONS[to]))) {
      const current = await this.require(id);
      throw new CrmException(CrmExceptionCode.InvalidStatusChange, `A ${current.status} campaign cannot become ${to}`);
    }
    await this.audit.record({ action: 'campaign.status', outcome: 'success', targetType: 'campaign', targetId: id, details: { status: to } });
    return this.require(id);
  }

  async agents(principal: UserPrincipal, id: string): Promise<string[]> {
    await this.access.requireAccess(principal, Permission.CampaignManage, id);
    return this.campaigns.listAgentIds(id);
  }

  async assignAgents(principal: UserPrincipal, id: string, agentIds: readonly string[]): Promise<string[]> {
    await this.access.requireAccess(principal, Permission.CampaignManage, id);
    for (const agentId of agentIds) {
      const user = await this.users.findById(agentId);
      if (!user || user.role !== Role.Agent || user.status !== 'active') {
        throw new CrmException(CrmExceptionCode.NotAnAgent, `User ${agentId} is not an active agent`);
      }
    }
    await this.campaigns.replaceAgents(id, agentIds);
    await this.audit.record({
      action: 'campaign.agents',
      outcome: 'success',
      targetType: 'campaign',
      targetId: id,
      details: { agents: agentIds.length },
    });
    return this.campaigns.listAgentIds(id);
  }

  private async require(id: string): Promise<Campaign> {
    const campaign = await this.campaigns.findById(id);
    if (!campaign) throw new CrmException(CrmExceptionCode.NotFound, 'Not found');
    return campaign;
  }
}

function toWrite(dto: CampaignCreateDto): CampaignWrite {
  if (!isValidTimezone(dto.defaultTimezone)) {
    throw new CrmException(CrmExceptionCode.InvalidCampaign, 'defaultTimezone is not a known IANA time zone');
  }
  if (dto.window.startHour >= dto.window.endHour) {
    throw new CrmException(CrmExceptionCode.InvalidCampaign, 'window.startHour must be before window.endHour');
  }
  const dispositions = dto.dispositions ?? DEFAULT_DISPOSITIONS;
  if (new Set(dispositions.map((d) => d.code)).size !== dispositions.length) {
    throw new CrmException(CrmExceptionCode.InvalidCampaign, 'disposition codes must be unique');
  }
  if (!dispositions.some((d) => d.kind === 'do_not_call')) {
    throw new CrmException(CrmExceptionCode.InvalidCampaign, 'the disposition set needs a "do not call" disposition');
  }
  return {
    name: dto.name.trim(),
    dialMode: dto.dialMode,
    callerIds: dto.callerIds,
    window: { startHour: dto.window.startHour, endHour: dto.window.endHour, days: dto.window.days, holidays: dto.window.holidays },
    defaultTimezone: dto.defaultTimezone,
    maxAttempts: dto.maxAttempts,
    retryDelays: { ...dto.retryDelays },
    dispositions: dispositions.map((d) => ({ code: d.code, label: d.label, kind: d.kind, final: d.final })),
    script: dto.script ?? '',
    recordingPolicy: dto.recordingPolicy ?? 'all',
    agentPlaybackAllowed: dto.agentPlaybackAllowed ?? false,
    maxAbandonRate: dto.maxAbandonRate ?? 0.03,
    recordingRetentionDays: dto.recordingRetentionDays,
    leadRetentionDays: dto.leadRetentionDays,
    consentRequired: dto.consentRequired ?? false,
  };
}

function fromCampaign(c: Campaign): CampaignCreateDto {
  return {
    name: c.name,
    dialMode: c.dialMode,
    callerIds: c.callerIds,
    window: c.window,
    defaultTimezone: c.defaultTimezone,
    maxAttempts: c.maxAttempts,
    retryDelays: c.retryDelays,
    dispositions: c.dispositions,
    script: c.script,
    recordingPolicy: c.recordingPolicy,
    agentPlaybackAllowed: c.agentPlaybackAllowed,
    maxAbandonRate: c.maxAbandonRate,
    recordingRetentionDays: c.recordingRetentionDays,
    leadRetentionDays: c.leadRetentionDays,
    consentRequired: c.consentRequired,
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
