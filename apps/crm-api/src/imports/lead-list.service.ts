import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService } from '@app/audit';
import { AccessService, Permission, UserPrincipal } from '@app/auth';
import { LeadListCreateDto } from './lead-import.dto';
import { LeadList } from './lead-import.types';
import { LeadListRepository } from './lead-list.repository';

@Injectable()
export class LeadListService {
  constructor(
    private readonly lists: LeadListRepository,
    private readonly access: AccessService,
    private readonly audit: AuditService,
  ) {}

  async create(principal: UserPrincipal, campaignId: string, dto: LeadListCreateDto): Promise<LeadList> {
    await this.access.requireAccess(principal, Permission.LeadImport, campaignId);
    const id = randomUUID();
    await this.lists.create({ id, campaignId, name: dto.name.trim(), defaultRegion: dto.defaultRegion.toUpperCase(), createdBy: principal.userId });
    await this.audit.record({ action: 'lead_list.create', outcome: 'success', targetType: 'lead_list', targetId: id, details: { campaign: campaignId } });
    return (await this.lists.findById(id))!;
  }

  async list(principal: UserPrincipal, campaignId: string): Promise<LeadList[]> {
    await this.access.requireAccess(principal, Permission.LeadImport, campaignId);
    return this.lists.listForCampaign(campaignId);
  }
}
