import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { affectedRows } from '@app/database';
import { Role } from '@app/domain';

export interface IpRule {
  id: string;
  role: Role;
  cidr: string;
  createdAt: Date;
}

/** Source-address allowlists per role, read by the guard (PrincipalRepository) and managed here. */
export abstract class IpRuleRepository {
  abstract list(): Promise<IpRule[]>;
  abstract listForRole(role: Role): Promise<string[]>;
  /** False when the same range is already there for the role. */
  abstract add(rule: { id: string; role: Role; cidr: string; createdBy: string }): Promise<boolean>;
  abstract remove(id: string): Promise<IpRule | null>;
}

@Injectable()
export class TypeormIpRuleRepository extends IpRuleRepository {
  constructor(private readonly db: DataSource) {
    super();
  }

  async list(): Promise<IpRule[]> {
    const rows: Array<{ id: string; role: Role; cidr: string; created_at: Date }> = await this.db.query(
      'SELECT id, role, cidr, created_at FROM role_ip_rules ORDER BY role, cidr',
    );
    return rows.map((r) => ({ id: r.id, role: r.role, cidr: r.cidr, createdAt: r.created_at }));
  }

  async listForRole(role: Role): Promise<string[]> {
    const rows: Array<{ cidr: string }> = await this.db.query('SELECT cidr FROM role_ip_rules WHERE role = ?', [role]);
    return rows.map((r) => r.cidr);
  }

  async add(rule: { id: string; role: Role; cidr: string; createdBy: string }): Promise<boolean> {
    const result = await this.db.query(
      'INSERT IGNORE INTO role_ip_rules (id, role, cidr, created_by) VALUES (?, ?, ?, ?)',
      [rule.id, rule.role, rule.cidr, rule.createdBy],
    );
    return affectedRows(result) === 1;
  }

  async remove(id: string): Promise<IpRule | null> {
    const existing = (await this.list()).find((r) => r.id === id) ?? null;
    if (existing) await this.db.query('DELETE FROM role_ip_rules WHERE id = ?', [id]);
    return existing;
  }
}
