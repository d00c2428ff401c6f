import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService } from '@app/audit';
import { KmsRepository } from '@app/crypto';
import { LeadCipher } from '../leads/lead-cipher.service';
import { DncRepository, DncSource } from './dnc.repository';

export const DNC_KEY_ID = 'dnc';

/**
 * Adding to and checking the do-not-call lists. The number itself is kept only so a manager can see
 * a masked list; it is sealed by the KMS (key "dnc") with the entry id as context, and matched by
 * blind index. An entry added by an erasure keeps the index only.
 */
@Injectable()
export class DncService {
  constructor(
    private readonly dnc: DncRepository,
    private readonly cipher: LeadCipher,
    private readonly kms: KmsRepository,
    private readonly audit: AuditService,
  ) {}

  /** The phone indexes (of those given) that must not be called in this campaign. */
  listed(campaignId: string, phoneBidxs: readonly string[]): Promise<Set<string>> {
    return this.dnc.listed(campaignId, phoneBidxs);
  }

  async isListed(campaignId: string, e164: string): Promise<boolean> {
    return (await this.dnc.listed(campaignId, [this.cipher.phoneIndex(e164)])).size > 0;
  }

  /** Adds an E.164 number to the global list (campaignId null) or a campaign's list; audited. */
  async add(
    e164: string,
    campaignId: string | null,
    source: DncSource,
    actorUserId: string | null,
    reason: string | null = null,
  ): Promise<boolean> {
    const id = randomUUID();
    const sealed = await this.kms.encrypt(DNC_KEY_ID, Buffer.from(e164, 'utf8'), `dnc_entries:${id}`);
    const added = await this.dnc.add({
      id,
      campaignId,
      phoneBidx: this.cipher.phoneIndex(e164),
      phoneCiphertext: sealed.ciphertext,
      phoneKeyVersion: sealed.version,
      source,
      reason,
      createdBy: actorUserId,
    });
    await this.audit.record({
      action: 'dnc.add',
      outcome: added ? 'success' : 'failure',
      targetType: campaignId ? 'campaign' : 'dnc_global',
      targetId: campaignId ?? undefined,
      details: { source, entry: added ? id : 'already_listed' },
    });
    return added;
  }
}
