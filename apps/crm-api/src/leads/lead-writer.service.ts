import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { KmsCiphertext } from '@app/crypto';
import { LeadCipher } from './lead-cipher.service';
import { LeadRepository, NewLead } from './lead.repository';
import { Consent, LeadPersonalFields } from './lead.types';
import { SubjectRepository } from './subject.repository';

export interface LeadInput {
  /** phone must already be E.164 (see normalisePhone). */
  fields: LeadPersonalFields;
  phoneRegion: string | null;
  timezones: string[];
  consent: Consent | null;
}

export type LeadWriteResult = { status: 'inserted'; leadId: string } | { status: 'duplicate' };

/**
 * The one way leads are written: a person is found by the blind index of their number (or created
 * with a fresh data key), every personal field is sealed under that person's key, and a number
 * already in the campaign (in the database, earlier in the batch, or written concurrently) is a
 * duplicate, never a second lead.
 */
@Injectable()
export class LeadWriter {
  constructor(
    private readonly cipher: LeadCipher,
    private readonly subjects: SubjectRepository,
    private readonly leads: LeadRepository,
  ) {}

  async writeBatch(campaignId: string, listId: string | null, importId: string | null, inputs: readonly LeadInput[]): Promise<LeadWriteResult[]> {
    const bidxs = inputs.map((i) => this.cipher.phoneIndex(i.fields.phone));
    const existing = await this.leads.existingPhoneIndexes(campaignId, bidxs);
    const seen = new Set<string>();
    const fresh: number[] = [];
    bidxs.forEach((bidx, i) => {
      if (!existing.has(bidx) && !seen.has(bidx)) fresh.push(i);
      seen.add(bidx);
    });

    const keys = await this.subjectKeys(fresh.map((i) => bidxs[i]));
    const rows: NewLead[] = [];
    try {
      for (const i of fresh) {
        const subject = keys.get(bidxs[i])!;
        const id = randomUUID();
        const input = inputs[i];
        rows.push({
          id,
          campaignId,
          listId,
          importId,
          subjectId: subject.id,
          phoneBidx: bidxs[i],
          emailBidx: input.fields.email ? this.cipher.emailIndex(input.fields.email) : null,
          fields: this.cipher.seal(subject.key, id, input.fields),
          phoneRegion: input.phoneRegion,
          timezones: input.timezones,
          consent: input.consent,
        });
      }
    } finally {
      for (const { key } of keys.values()) key.fill(0);
    }
    const inserted = await this.leads.insertMany(rows);

    const results: LeadWriteResult[] = inputs.map(() => ({ status: 'duplicate' }));
    fresh.forEach((inputIndex, rowIndex) => {
      const row = rows[rowIndex];
      if (inserted.has(row.id)) results[inputIndex] = { status: 'inserted', leadId: row.id };
    });
    return results;
  }

  /** The data key of each person, by phone index: unwrapped if they exist, created if not. */
  private async subjectKeys(bidxs: readonly string[]): Promise<Map<string, { id: string; key: Buffer }>> {
    const unique = [...new Set(bidxs)];
    let found = await this.subjects.findByPhoneIndexes(unique);
    const missing = unique.filter((b) => !found.has(b));
    if (missing.length > 0) {
      const created: Array<{ id: string; phoneBidx: string; wrapped: KmsCiphertext }> = [];
      for (const phoneBidx of missing) {
        const { subjectId, key, wrapped } = await this.cipher.newSubjectKey();
        key.fill(0);
        created.push({ id: subjectId, phoneBidx, wrapped });
      }
      await this.subjects.createMany(created);
      // Read back: a concurrent writer may have created some of these people first; theirs wins.
      found = await this.subjects.findByPhoneIndexes(unique);
    }
    const keys = new Map<string, { id: string; key: Buffer }>();
    for (const bidx of unique) {
      const subject = found.get(bidx);
      if (!subject) throw new Error('data subject missing after insert');
      keys.set(bidx, { id: subject.id, key: await this.cipher.unwrapSubjectKey(subject.id, subject.wrapped) });
    }
    return keys;
  }
}
