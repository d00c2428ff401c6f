import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService } from '@app/audit';
import { UserPrincipal } from '@app/auth';
import { Clock } from '@app/domain';
import { CryptoIntegrityError, open } from '@app/crypto';
import { AnomalyService } from '../anomaly/anomaly.service';
import { DncService } from '../compliance/dnc.service';
import { CrmException, CrmExceptionCode } from '../crm.exception';
import { LeadCipher } from '../leads/lead-cipher.service';
import { LeadRepository } from '../leads/lead.repository';
import { Consent, EncryptedFields, LeadPersonalFields, LeadStatus, PersonalField } from '../leads/lead.types';
import { normalisePhone } from '../leads/phone';
import { SubjectKeyRecord, SubjectRepository } from '../leads/subject.repository';
import { noteAad } from '../work/note.service';
import { CallbackSummary, CallRecordSummary, PrivacyRepository, PrivacyRequest, PrivacyRequestKind } from './privacy.repository';

/** Fields a person may have corrected. The phone number is not one: it is what identifies them. */
export type RectifiableField = Exclude<PersonalField, 'phone'>;
export type Rectification = Partial<Omit<LeadPersonalFields, 'phone'>>;

export interface SubjectMatch {
  subjectId: string;
  matchedBy: Array<'phone' | 'email'>;
  leads: Array<{ id: string; campaignId: string; status: LeadStatus }>;
}

export interface SubjectExport {
  subjectId: string;
  generatedAt: Date;
  leads: Array<{
    id: string;
    campaignId: string;
    status: LeadStatus;
    createdAt: Date;
    /** null for a lead already erased. */
    fields: LeadPersonalFields | null;
    consent: Consent | null;
    legalHold: boolean;
    attempts: number;
    lastOutcome: string | null;
    lastAttemptAt: Date | null;
    notes: Array<{ id: string; authorId: string; createdAt: Date; body: string }>;
    callbacks: CallbackSummary[];
  }>;
  /** Every call, with its disposition code and recording id. */
  callRecords: CallRecordSummary[];
  recordings: string[];
}

export interface PrivacyRequestInput {
  kind: PrivacyRequestKind;
  subjectId: string;
  reference: string | null;
  /** rectify only. */
  fields?: Rectification & { phone?: unknown };
}

export interface PrivacyRequestOutcome {
  request: PrivacyRequest;
  export?: SubjectExport;
  rectified?: { leads: number; fields: string[] };
  erased?: { leads: number; notes: number; callbacks: number; recordings: number; dncAdded: boolean };
}

const RECTIFIABLE: readonly RectifiableField[] = ['firstName', 'lastName', 'email', 'address', 'nationalId', 'notes', 'custom'];

/** Rejections of a request, as reason codes. */
class Rejected extends Error {
  constructor(readonly reason: 'subject_not_found' | 'subject_erased' | 'legal_hold') {
    super(reason);
  }
}

/**
 * Data-subject requests, carried out by an administrator (who otherwise reads no lead data). Each
 * request is a tracked row (open → completed, or rejected with a reason code) and each request and
 * result is audited with ids and counts only.
 */
@Injectable()
export class PrivacyService {
  constructor(
    private readonly privacy: PrivacyRepository,
    private readonly leads: LeadRepository,
    private readonly subjects: SubjectRepository,
    private readonly cipher: LeadCipher,
    private readonly dnc: DncService,
    private readonly anomaly: AnomalyService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** The people matching a phone number or an e-mail address, with their leads: ids and states only. */
  async search(query: { phone?: string | null; region?: string | null; email?: string | null }): Promise<SubjectMatch[]> {
    if (!query.phone && !query.email) throw new CrmException(CrmExceptionCode.InvalidLead, 'Give a phone number or an e-mail address');
    const matched = new Map<string, Set<'phone' | 'email'>>();
    const mark = (subjectId: string, by: 'phone' | 'email') => matched.set(subjectId, (matched.get(subjectId) ?? new Set()).add(by));
    if (query.phone) {
      const phone = normalisePhone(query.phone, query.region ?? 'ZZ');
      if (!phone) throw new CrmException(CrmExceptionCode.InvalidLead, 'The phone number is not valid (give a region, or the number in international form)');
      for (const subject of (await this.subjects.findByPhoneIndexes([this.cipher.phoneIndex(phone.e164)])).values()) mark(subject.id, 'phone');
    }
    if (query.email) {
      for (const lead of await this.leads.findByEmailIndex(this.cipher.emailIndex(query.email))) mark(lead.subjectId, 'email');
    }
    const matches: SubjectMatch[] = [];
    for (const [subjectId, by] of matched) {
      const leads = await this.leads.findBySubject(subjectId);
      matches.push({ subjectId, matchedBy: [...by].sort(), leads: leads.map((l) => ({ id: l.id, campaignId: l.campaignId, status: l.status })) });
    }
    await this.audit.record({
      action: 'privacy.search',
      outcome: 'success',
      targetType: 'data_subject',
      details: { byPhone: Boolean(query.phone), byEmail: Boolean(query.email), matches: matches.length },
    });
    return matches;
  }

  /** Records the request, carries it out, and closes it as completed or rejected. */
  async handle(principal: UserPrincipal, input: PrivacyRequestInput): Promise<PrivacyRequestOutcome> {
    const rectification = input.kind === 'rectify' ? this.checkRectification(input.fields) : null;
    const id = randomUUID();
    await this.privacy.createRequest({ id, kind: input.kind, subjectId: input.subjectId, reference: input.reference, requestedBy: principal.userId });
    await this.audit.record({ action: 'privacy.request', outcome: 'success', targetType: 'privacy_request', targetId: id, details: { kind: input.kind, subject: input.subjectId } });
    try {
      const subject = await this.subjects.findById(input.subjectId);
      if (!subject) throw new Rejected('subject_not_found');
      if (subject.erasedAt || !subject.wrapped) throw new Rejected('subject_erased');
      const outcome: Omit<PrivacyRequestOutcome, 'request'> = {};
      if (input.kind === 'export') outcome.export = await this.exportSubject(principal, id, subject);
      if (input.kind === 'rectify') outcome.rectified = await this.rectify(id, subject, rectification!);
      if (input.kind === 'erase') outcome.erased = await this.erase(principal, id, subject);
      await this.privacy.finishRequest(id, 'completed', null);
      return { request: (await this.privacy.findRequest(id))!, ...outcome };
    } catch (error) {
      if (error instanceof Rejected) {
        await this.privacy.finishRequest(id, 'rejected', error.reason);
        await this.audit.record({ action: `privacy.${input.kind}`, outcome: 'failure', targetType: 'privacy_request', targetId: id, details: { reason: error.reason } });
        return { request: (await this.privacy.findRequest(id))! };
      }
      // Left open: every step is idempotent, so a new request for the same person finishes the work.
      await this.audit.record({ action: `privacy.${input.kind}`, outcome: 'failure', targetType: 'privacy_request', targetId: id, details: { reason: 'error' } });
      throw error;
    }
  }

  async get(id: string): Promise<PrivacyRequest> {
    const request = await this.privacy.findRequest(id);
    if (!request) throw new CrmException(CrmExceptionCode.NotFound, 'Not found');
    return request;
  }

  list(subjectId: string | null, limit: number): Promise<PrivacyRequest[]> {
    return this.privacy.listRequests(limit, subjectId);
  }

  private async exportSubject(principal: UserPrincipal, requestId: string, subject: SubjectKeyRecord): Promise<SubjectExport> {
    await this.anomaly.observe(principal, 'export');
    const leads = await this.leads.findBySubject(subject.id);
    const leadIds = leads.map((l) => l.id);
    const [callRecords, notes, callbacks] = await Promise.all([
      this.privacy.callRecords(leadIds),
      this.privacy.notes(leadIds),
      this.privacy.callbacks(leadIds),
    ]);
    const recordings = await this.privacy.recordings(links(callRecords));
    const recordingIds = [...new Set([...callRecords.flatMap((c) => (c.recordingId ? [c.recordingId] : [])), ...recordings.map((r) => r.id)])].sort();
    const key = await this.cipher.unwrapSubjectKey(subject.id, subject.wrapped);
    try {
      const result: SubjectExport = {
        subjectId: subject.id,
        generatedAt: this.clock.now(),
        callRecords,
        recordings: recordingIds,
        leads: await Promise.all(
          leads.map(async (lead) => ({
            id: lead.id,
            campaignId: lead.campaignId,
            status: lead.status,
            createdAt: lead.createdAt,
            fields: lead.status === 'erased' ? null : await this.opened(lead.id, () => this.cipher.open(key, lead.id, lead.fields)),
            consent: lead.consent,
            legalHold: lead.legalHold,
            attempts: lead.attempts,
            lastOutcome: lead.lastOutcome,
            lastAttemptAt: lead.lastAttemptAt,
            notes: await Promise.all(
              notes
                .filter((n) => n.leadId === lead.id)
                .map(async (n) => ({
                  id: n.id,
                  authorId: n.authorId,
                  createdAt: n.createdAt,
                  body: await this.opened(lead.id, () => open(key, n.body, noteAad(n.id)).toString('utf8')),
                })),
            ),
            callbacks: callbacks.filter((c) => c.leadId === lead.id),
          })),
        ),
      };
      await this.audit.record({
        action: 'privacy.export',
        outcome: 'success',
        targetType: 'privacy_request',
        targetId: requestId,
        details: { subject: subject.id, leads: leads.length, calls: callRecords.length, notes: notes.length, recordings: recordingIds.length },
      });
      return result;
    } finally {
      key.fill(0);
    }
  }

  private async rectify(requestId: string, subject: SubjectKeyRecord, fields: Rectification): Promise<{ leads: number; fields: string[] }> {
    const names = RECTIFIABLE.filter((f) => fields[f] !== undefined);
    const leads = (await this.leads.findBySubject(subject.id)).filter((l) => l.status !== 'erased');
    const key = await this.cipher.unwrapSubjectKey(subject.id, subject.wrapped);
    try {
      for (const lead of leads) {
        const sealed: Partial<EncryptedFields> = {};
        for (const field of names) sealed[field] = this.cipher.sealField(key, lead.id, field, fields[field] ?? null);
        const emailBidx = fields.email === undefined ? undefined : fields.email ? this.cipher.emailIndex(fields.email) : null;
        await this.leads.updateFields(lead.id, sealed, emailBidx);
      }
    } finally {
      key.fill(0);
    }
    await this.audit.record({
      action: 'privacy.rectify',
      outcome: 'success',
      targetType: 'privacy_request',
      targetId: requestId,
      details: { subject: subject.id, leads: leads.length, fields: names.join(',') },
    });
    return { leads: leads.length, fields: names };
  }

  /**
   * Erasure. The order makes a retry safe after a crash at any step: the number goes on the global
   * do-not-call list (by index only) while its index is still known, and the key is destroyed last.
   */
  private async erase(
    principal: UserPrincipal,
    requestId: string,
    subject: SubjectKeyRecord,
  ): Promise<NonNullable<PrivacyRequestOutcome['erased']>> {
    const leads = await this.leads.findBySubject(subject.id);
    const leadIds = leads.map((l) => l.id);
    const calls = await this.privacy.callRecords(leadIds);
    const recordings = await this.privacy.recordings(links(calls));
    // Data under legal hold must be kept (GDPR art. 17(3)(e)): the whole request is refused, not half done.
    if (leads.some((l) => l.legalHold) || recordings.some((r) => r.legalHold)) throw new Rejected('legal_hold');
    const dncAdded = subject.phoneBidx ? await this.dnc.addErasedNumber(subject.phoneBidx, principal.userId) : false;
    const shredded = await this.privacy.shredRecordings(recordings.map((r) => r.id));
    const notes = await this.privacy.deleteNotes(leadIds);
    const callbacks = await this.privacy.cancelCallbacks(leadIds);
    const erasedLeads = await this.leads.erasePersonalFields(subject.id);
    await this.subjects.destroyKey(subject.id);
    const result = { leads: erasedLeads, notes, callbacks, recordings: shredded, dncAdded };
    await this.audit.record({
      action: 'privacy.erase',
      outcome: 'success',
      targetType: 'privacy_request',
      targetId: requestId,
      details: { subject: subject.id, ...result },
    });
    return result;
  }

  private checkRectification(fields: PrivacyRequestInput['fields']): Rectification {
    if (!fields) throw new CrmException(CrmExceptionCode.InvalidLead, 'A rectification needs the fields to correct');
    if (fields.phone !== undefined) {
      throw new CrmException(
        CrmExceptionCode.InvalidLead,
        'The phone number cannot be rectified: it is what identifies the person. Erase the person and import the correct number instead',
      );
    }
    if (!RECTIFIABLE.some((f) => fields[f] !== undefined)) throw new CrmException(CrmExceptionCode.InvalidLead, 'A rectification needs at least one field');
    if (fields.custom && Object.values(fields.custom).some((v) => typeof v !== 'string')) {
      throw new CrmException(CrmExceptionCode.InvalidLead, 'Custom fields must be text');
    }
    return fields;
  }

  private async opened<T>(leadId: string, openIt: () => T): Promise<T> {
    try {
      return openIt();
    } catch (error) {
      if (error instanceof CryptoIntegrityError) {
        await this.audit.record({ action: 'lead.integrity_failure', outcome: 'failure', targetType: 'lead', targetId: leadId });
        throw new CrmException(CrmExceptionCode.IntegrityFailure, 'Stored data of this person failed its integrity check');
      }
      throw error;
    }
  }
}

function links(calls: readonly CallRecordSummary[]): { recordingIds: string[]; callIds: string[] } {
  return { recordingIds: calls.flatMap((c) => (c.recordingId ? [c.recordingId] : [])), callIds: calls.map((c) => c.callId) };
}

