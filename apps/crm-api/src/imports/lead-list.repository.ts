import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LeadList } from './lead-import.types';

export abstract class LeadListRepository {
  abstract create(list: Omit<LeadList, 'createdAt'>): Promise<void>;
  abstract findById(id: string): Promise<LeadList | null>;
  abstract listForCampaign(campaignId: string): Promise<LeadList[]>;
}

interface Row {
  id: string;
  campaign_id: string;
  name: string;
  default_region: string;
  created_by: string | null;
  created_at: Date;
}

@Injectable()
export class TypeormLeadListRepository extends LeadListRepository {
  constructor(private readonly db: DataSource) {
    super();
  }

  async create(l: Omit<LeadList, 'createdAt'>): Promise<void> {
    await this.db.query('INSERT INTO lead_lists (id, campaign_id, name, default_region, created_by) VALUES (?, ?, ?, ?, ?)', [
      l.id,
      l.campaignId,
      l.name,
      l.defaultRegion,
      l.createdBy,
    ]);
  }

  async findById(id: string): Promise<LeadList | null> {
    const rows: Row[] = await this.db.query('SELECT * FROM lead_lists WHERE id = ?', [id]);
    return rows[0] ? toList(rows[0]) : null;
  }

  async listForCampaign(campaignId: string): Promise<LeadList[]> {
    const rows: Row[] = await this.db.query('SELECT * FROM lead_lists WHERE campaign_id = ? ORDER BY created_at, id', [campaignId]);
    return rows.map(toList);
  }
}

function toList(r: Row): LeadList {
  return {
    id: r.id,
    campaignId: r.campaign_id,
    name: r.name,
    defaultRegion: r.default_region,
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}
