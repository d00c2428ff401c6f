import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService } from '@app/audit';
import { ipInRanges, isValidCidr, UserPrincipal } from '@app/auth';
import { Role } from '@app/domain';
import { RequestContext } from '@app/http';
import { IdentityException, IdentityExceptionCode } from '../identity/identity.exception';
import { IpRule, IpRuleRepository } from '../identity/ip-rule.repository';

/** Source-address allowlists per role (CIDR). A role with no rule is unrestricted. */
@Injectable()
export class SecurityPolicyService {
  constructor(
    private readonly rules: IpRuleRepository,
    private readonly audit: AuditService,
  ) {}

  list(): Promise<IpRule[]> {
    return this.rules.list();
  }

  async add(admin: UserPrincipal, role: Role, cidr: string): Promise<IpRule> {
    if (!isValidCidr(cidr)) throw new IdentityException(IdentityExceptionCode.InvalidCidr);
    const normalised = cidr.trim();
    // An admin restricting their own role must stay inside the new allowlist, or nobody could undo it.
    if (role === admin.role) {
      const after = [...(await this.rules.listForRole(role)), normalised];
      if (!ipInRanges(RequestContext.current()?.sourceIp ?? null, after)) {
        throw new IdentityException(
          IdentityExceptionCode.InvalidCidr,
          'This range would lock you out: your own address must stay inside your role’s allowlist',
        );
      }
    }
    const id = randomUUID();
    await this.rules.add({ id, role, cidr: normalised, createdBy: admin.userId });
    await this.audit.record({ action: 'admin.ip_rule.add', outcome: 'success', targetType: 'role', targetId: role, details: { cidr: normalised } });
    return (await this.rules.list()).find((r) => r.role === role && r.cidr === normalised)!;
  }

  async remove(admin: UserPrincipal, id: string): Promise<void> {
    const rule = (await this.rules.list()).find((r) => r.id === id);
    if (!rule) throw new IdentityException(IdentityExceptionCode.RuleNotFound);
    if (rule.role === admin.role) {
      const remaining = (await this.rules.listForRole(rule.role)).filter((c) => c !== rule.cidr);
      if (remaining.length > 0 && !ipInRanges(RequestContext.current()?.sourceIp ?? null, remaining)) {
        throw new IdentityException(
          IdentityExceptionCode.InvalidCidr,
          'Removing this range would lock you out: your own address must stay inside your role’s allowlist',
        );
      }
    }
    const removed = await this.rules.remove(id);
    if (!removed) throw new IdentityException(IdentityExceptionCode.RuleNotFound);
    await this.audit.record({
      action: 'admin.ip_rule.remove',
      outcome: 'success',
      targetType: 'role',
      targetId: removed.role,
      details: { cidr: removed.cidr },
    });
  }
}
