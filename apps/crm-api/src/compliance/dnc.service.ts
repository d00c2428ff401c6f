import { randomUUID } from 'node:crypto';
import { pipeline, Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { CsvError, parse } from 'csv-parse';
import { AuditService } from '@app/audit';
import { AccessService, Permission, UserPrincipal } from '@app/auth';
import { KmsRepository } from '@app/crypto';
import { CrmException, CrmExceptionCode } from '../crm.exception';
import { LeadCipher } from '../leads/lead-cipher.service';
import { maskPhone, normalisePhone } from '../leads/phone';
import { DncRepository, DncSource, NewDncEntry } from './dnc.repository';

export const DNC_KEY_ID = 'dnc';

/** Why a number comes off a list. A code, never free text: it goes into the audit log. */
export const DNC_REMOVAL_REASONS = ['added_in_error', 'consent_obtained', 'subject_request', 'other'] as const;
export type DncRemovalReason = (typeof DNC_REMOVAL_REASONS)[number];

export interface DncListItem {
  id: string;
  campaignId: string | null;
  /** null when only the index is kept (the number of an erased person). */
  phoneMasked: string | null;
  source: DncSource;
  reason: string | null;
  createdBy: string | null;
  createdAt: Date;
}

export interface DncBulkReport {
  added: number;
  already: number;
  invalid: number;
  /** Line numbers of the file and what is wrong; never the value. At most MAX_REPORTED_LINES. */
  invalidLines: Array<{ line: number; reason: string }>;
  /** True when more lines were invalid than are listed. */
  invalidLinesTruncated: boolean;
}

export interface DncNumber {
  phone: string;
  /** ISO 3166 region for numbers not written in international form. */
  region?: string | null;
}

const BULK_BATCH = 500;
const BULK_MAX_ROWS = 1_000_000;
const MAX_REPORTED_LINES = 1_000;
// A first cell made of words only ("phone", "Phone number") is a header, not a number.
const HEADER = /^[A-Za-z_ ]+$/;
// Without a region only numbers in international form (+...) are accepted: 'ZZ' is no country.
const NO_REGION = 'ZZ';

/**
 * Adding to, removing from and checking the do-not-call lists. The number itself is kept only so a
 * manager can see a masked list; it is sealed by the KMS (key "dnc") with the entry id as context, and
 * matched by blind index. An entry added by an erasure keeps the index only.
 */
@Injectable()
export class DncService {
  constructor(
    private readonly dnc: DncRepository,
    private readonly cipher: LeadCipher,
    private readonly kms: KmsRepository,
    private readonly audit: AuditService,
    private readonly access: AccessService,
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
    const entry = await this.sealedEntry(e164, campaignId, source, actorUserId, reason);
    const added = await this.dnc.add(entry);
    await this.audit.record({
      action: 'dnc.add',
      outcome: added ? 'success' : 'failure',
      targetType: campaignId ? 'campaign' : 'dnc_global',
      targetId: campaignId ?? undefined,
      details: { source, entry: added ? entry.id : 'already_listed' },
    });
    return added;
  }

  /** Erasure: the number goes on the global list by its index only, and leaves every list's ciphertext. */
  async addErasedNumber(phoneBidx: string, actorUserId: string | null): Promise<boolean> {
    const id = randomUUID();
    const added = await this.dnc.addIndexOnly({ id, campaignId: null, phoneBidx, source: 'erasure', reason: null, createdBy: actorUserId });
    await this.audit.record({
      action: 'dnc.add',
      outcome: 'success',
      targetType: 'dnc_global',
      details: { source: 'erasure', entry: added ? id : 'already_listed' },
    });
    return added;
  }

  /** A manager adds one number: to the global list, or to a campaign they manage. */
  async addByUser(principal: UserPrincipal, number: DncNumber, campaignId: string | null, reason: string | null): Promise<{ added: boolean }> {
    await this.requireList(principal, campaignId);
    const e164 = this.normalise(number);
    return { added: await this.add(e164, campaignId, 'manual', principal.userId, reason) };
  }

  /**
   * Takes a number off a list. Off the global list any manager may, with a reason; off a campaign's
   * list only its manager. Entries left by an erasure stay: that person asked never to be processed.
   */
  async removeByUser(
    principal: UserPrincipal,
    number: DncNumber,
    campaignId: string | null,
    reason: DncRemovalReason | null,
  ): Promise<void> {
    await this.requireList(principal, campaignId);
    const list = campaignId ? 'campaign' : 'global';
    const target = { targetType: campaignId ? 'campaign' : 'dnc_global', targetId: campaignId ?? undefined };
    if (!campaignId && !reason) {
      await this.audit.record({ action: 'dnc.remove', outcome: 'denied', ...target, details: { list, reason: 'missing' } });
      throw new CrmException(CrmExceptionCode.InvalidLead, 'A reason is required to take a number off the global list');
    }
    const bidx = this.cipher.phoneIndex(this.normalise(number));
    const entry = await this.dnc.find(campaignId, bidx);
    if (entry?.source === 'erasure') {
      await this.audit.record({ action: 'dnc.remove', outcome: 'denied', ...target, details: { list, reason, entry: entry.id, cause: 'erasure' } });
      throw new CrmException(CrmExceptionCode.Conflict, 'This entry was left by an erasure request and cannot be removed');
    }
    const removed = entry ? await this.dnc.remove(campaignId, bidx) : false;
    await this.audit.record({
      action: 'dnc.remove',
      outcome: removed ? 'success' : 'failure',
      ...target,
      details: { list, reason, entry: entry?.id ?? 'not_listed' },
    });
    if (!removed) throw new CrmException(CrmExceptionCode.NotFound, 'That number is not on this list');
  }

  /** A page of a list, numbers masked. Decrypting them is a read of personal data: audited. */
  async listFor(principal: UserPrincipal, campaignId: string | null, limit: number, offset: number): Promise<DncListItem[]> {
    await this.requireList(principal, campaignId);
    const entries = await this.dnc.list(campaignId, limit, offset);
    const items: DncListItem[] = [];
    for (const e of entries) {
      let phoneMasked: string | null = null;
      if (e.phoneCiphertext.length > 0) {
        const plain = await this.kms.decrypt({ keyId: DNC_KEY_ID, version: e.phoneKeyVersion, ciphertext: e.phoneCiphertext }, context(e.id));
        phoneMasked = maskPhone(plain.toString('utf8'));
        plain.fill(0);
      }
      items.push({
        id: e.id,
        campaignId: e.campaignId,
        phoneMasked,
        source: e.source,
        reason: e.reason,
        createdBy: e.createdBy,
        createdAt: e.createdAt,
      });
    }
    await this.audit.record({
      action: 'dnc.list',
      outcome: 'success',
      targetType: campaignId ? 'campaign' : 'dnc_global',
      targetId: campaignId ?? undefined,
      details: { count: items.length, offset },
    });
    return items;
  }

  /**
   * A CSV of numbers (first column; a header line is skipped), streamed: never held whole in memory.
   * Invalid lines are reported by line number and reason, never by value.
   */
  async bulk(principal: UserPrincipal, campaignId: string | null, region: string | null, input: Readable): Promise<DncBulkReport> {
    await this.requireList(principal, campaignId);
    const report: DncBulkReport = { added: 0, already: 0, invalid: 0, invalidLines: [], invalidLinesTruncated: false };
    const parser = parse({ relax_column_count: true, skip_empty_lines: true, bom: true, trim: true, info: true, max_record_size: 4096 });
    // pipeline: a broken upload destroys the parser too, so the loop below ends instead of waiting.
    pipeline(input, parser, () => undefined);
    let batch: string[] = [];
    let rows = 0;
    const invalid = (line: number, reason: string) => {
      report.invalid += 1;
      if (report.invalidLines.length < MAX_REPORTED_LINES) report.invalidLines.push({ line, reason });
      else report.invalidLinesTruncated = true;
    };
    try {
      for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
        const raw = record[0] ?? '';
        if (info.lines === 1 && HEADER.test(raw)) continue;
        rows += 1;
        if (rows > BULK_MAX_ROWS) throw new CrmException(CrmExceptionCode.ImportTooLarge, `At most ${BULK_MAX_ROWS} numbers per upload`);
        const phone = normalisePhone(raw, region ?? NO_REGION);
        if (!phone) {
          invalid(info.lines, region ? `not a valid phone number for region ${region.toUpperCase()}` : 'not a valid phone number in international form (+...)');
          continue;
        }
        batch.push(phone.e164);
        if (batch.length >= BULK_BATCH) {
          await this.addBatch(batch, campaignId, principal.userId, report);
          batch = [];
        }
      }
      await this.addBatch(batch, campaignId, principal.userId, report);
    } catch (error) {
      await this.auditBulk(campaignId, report, 'failure');
      if (error instanceof CsvError) {
        const line = (error as CsvError & { lines?: number }).lines;
        // csv-parse's own message can quote the data: only the line number goes back.
        throw new CrmException(CrmExceptionCode.InvalidImport, `The file is not valid CSV${line ? ` (line ${line})` : ''}; the lines before it were added`);
      }
      throw error;
    }
    await this.auditBulk(campaignId, report, 'success');
    return report;
  }

  private async addBatch(numbers: readonly string[], campaignId: string | null, actorUserId: string, report: DncBulkReport): Promise<void> {
    if (numbers.length === 0) return;
    const entries: NewDncEntry[] = [];
    for (const e164 of numbers) entries.push(await this.sealedEntry(e164, campaignId, 'bulk', actorUserId, null));
    const inserted = await this.dnc.addMany(entries);
    report.added += inserted.size;
    report.already += entries.length - inserted.size;
  }

  private auditBulk(campaignId: string | null, report: DncBulkReport, outcome: 'success' | 'failure'): Promise<void> {
    return this.audit.record({
      action: 'dnc.bulk',
      outcome,
      targetType: campaignId ? 'campaign' : 'dnc_global',
      targetId: campaignId ?? undefined,
      details: { added: report.added, already: report.already, invalid: report.invalid },
    });
  }

  private async sealedEntry(
    e164: string,
    campaignId: string | null,
    source: DncSource,
    actorUserId: string | null,
    reason: string | null,
  ): Promise<NewDncEntry> {
    const id = randomUUID();
    const sealed = await this.kms.encrypt(DNC_KEY_ID, Buffer.from(e164, 'utf8'), context(id));
    return {
      id,
      campaignId,
      phoneBidx: this.cipher.phoneIndex(e164),
      phoneCiphertext: sealed.ciphertext,
      phoneKeyVersion: sealed.version,
      source,
      reason,
      createdBy: actorUserId,
    };
  }

  /** The global list is open to every holder of the permission; a campaign's list to its managers. */
  private async requireList(principal: UserPrincipal, campaignId: string | null): Promise<void> {
    await this.access.requireAccess(principal, Permission.DncManage, campaignId ?? []);
  }

  private normalise(number: DncNumber): string {
    const phone = normalisePhone(number.phone, number.region ?? NO_REGION);
    if (!phone) throw new CrmException(CrmExceptionCode.InvalidLead, 'The phone number is not valid (give a region, or the number in international form)');
    return phone.e164;
  }
}

function context(entryId: string): string {
  return `dnc_entries:${entryId}`;
}
