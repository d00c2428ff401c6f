import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '@app/audit';
import { AuthException, AuthExceptionCode, UserPrincipal } from '@app/auth';
import { Clock } from '@app/domain';
import { CrmException, CrmExceptionCode } from '../crm.exception';
import { UserRepository } from '../identity/user.repository';
import { ActivityRepository, SecurityAlert } from './activity.repository';
import { ActivityKind, AnomalyConfig } from './anomaly.config';

/**
 * Sliding-window counts of each person's reads of personal data, reveals, exports and recording plays.
 * The count happens inside the request that reads, so a breach freezes the account before that
 * request answers: the read that crosses the line is refused, and every session ends at once.
 */
@Injectable()
export class AnomalyService {
  private readonly logger = new Logger('Anomaly');

  constructor(
    private readonly activity: ActivityRepository,
    private readonly users: UserRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AnomalyConfig,
  ) {}

  /** Counts one access; throws (account frozen) when it breaches a rule. */
  async observe(principal: UserPrincipal, kind: ActivityKind): Promise<void> {
    const now = this.clock.now();
    for (const rule of this.config.rules.filter((r) => r.kind === kind)) {
      const since = new Date(now.getTime() - rule.windowSeconds * 1000);
      const observed = await this.activity.recordAndCount(principal.userId, kind, now, since);
      if (observed > rule.threshold) {
        await this.breach(principal, { kind, observed, threshold: rule.threshold, windowSeconds: rule.windowSeconds });
        throw new AuthException(AuthExceptionCode.AccountFrozen);
      }
    }
  }

  listAlerts(openOnly: boolean): Promise<SecurityAlert[]> {
    return this.activity.listAlerts(openOnly);
  }

  async unfreeze(admin: UserPrincipal, userId: string): Promise<void> {
    const user = await this.users.findById(userId);
    if (!user) throw new CrmException(CrmExceptionCode.NotFound, 'Not found');
    if (!(await this.activity.unfreeze(userId))) throw new CrmException(CrmExceptionCode.Conflict, 'That account is not frozen');
    await this.activity.resolveAlertsFor(userId, admin.userId);
    await this.audit.record({ action: 'security.unfreeze', outcome: 'success', targetType: 'user', targetId: userId });
  }

  private async breach(
    principal: UserPrincipal,
    found: { kind: ActivityKind; observed: number; threshold: number; windowSeconds: number },
  ): Promise<void> {
    const frozenNow = await this.activity.freeze(principal.userId, `anomaly:${found.kind}`);
    if (!frozenNow) return;
    const alert = await this.activity.createAlert({ userId: principal.userId, ...found });
    await this.audit.record({
      action: 'security.freeze',
      outcome: 'success',
      actor: { type: 'system' },
      targetType: 'user',
      targetId: principal.userId,
      details: { rule: found.kind, observed: found.observed, threshold: found.threshold, windowSeconds: found.windowSeconds },
    });
    void this.notify(alert);
  }

  /** Best effort, after the freeze is committed: a slow or failing webhook never delays or undoes it. */
  private async notify(alert: SecurityAlert): Promise<void> {
    if (!this.config.webhookUrl) return;
    try {
      await fetch(this.config.webhookUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ type: 'security.alert', alertId: alert.id, userId: alert.userId, kind: alert.kind, observed: alert.observed, threshold: alert.threshold, windowSeconds: alert.windowSeconds, at: alert.createdAt }),
        signal: AbortSignal.timeout(5000),
      });
    } catch {
      this.logger.warn(`webhook for alert ${alert.id} failed`);
    }
  }
}
