import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService } from '@app/audit';
import { AccessService, Permission, UserPrincipal } from '@app/auth';
import { CryptoIntegrityError, open, seal } from '@app/crypto';
import { AnomalyService } from '../anomaly/anomaly.service';
import { CrmException, CrmExceptionCode } from '../crm.exception';
import { LeadCipher, SubjectKeyDestroyedError } from '../leads/lead-cipher.service';
import { LeadRepository } from '../leads/lead.repository';
import { SubjectRepository } from '../leads/subject.repository';
import { NoteRepository } from './note.repository';
import { Note } from './work.types';

const MAX_NOTES_READ = 500;

/** The note's identity as associated data: a ciphertext copied to another note row does not open. */
export function noteAad(noteId: string): string {
  return `lead_notes:${noteId}`;
}

/**
 * Notes are personal data (people say things about themselves on calls): sealed under the person's own
 * data key, so erasing the person makes their notes unreadable too; every read is audited and counted.
 */
@Injectable()
export class NoteService {
  constructor(
    private readonly notes: NoteRepository,
    private readonly leads: LeadRepository,
    private readonly subjects: SubjectRepository,
    private readonly cipher: LeadCipher,
    private readonly access: AccessService,
    private readonly anomaly: AnomalyService,
    private readonly audit: AuditService,
  ) {}

  async add(principal: UserPrincipal, leadId: string, body: string): Promise<{ id: string }> {
    await this.access.requireAccess(principal, Permission.WorkRecordWrite, leadId);
    return this.addChecked(principal, leadId, body);
  }

  /** For callers that have already checked WorkRecordWrite on the lead (a disposition with a note). */
  async addChecked(principal: UserPrincipal, leadId: string, body: string): Promise<{ id: string }> {
    const id = randomUUID();
    const bodyCiphertext = await this.withSubjectKey(leadId, (key) => seal(key, Buffer.from(body, 'utf8'), noteAad(id)));
    await this.notes.insert({ id, leadId, authorId: principal.userId, bodyCiphertext });
    await this.audit.record({ action: 'work.note_add', outcome: 'success', targetType: 'lead', targetId: leadId, details: { note: id } });
    return { id };
  }

  async list(principal: UserPrincipal, leadId: string): Promise<Note[]> {
    await this.access.requireAccess(principal, Permission.LeadRead, leadId);
    await this.anomaly.observe(principal, 'lead_read');
    const records = await this.notes.listByLead(leadId, MAX_NOTES_READ);
    let notes: Note[];
    try {
      notes = await this.withSubjectKey(leadId, (key) =>
        records.map((r) => ({ id: r.id, authorId: r.authorId, body: open(key, r.bodyCiphertext, noteAad(r.id)).toString('utf8'), createdAt: r.createdAt })),
      );
    } catch (error) {
      if (error instanceof CryptoIntegrityError) {
        await this.audit.record({ action: 'work.notes_integrity_failure', outcome: 'failure', targetType: 'lead', targetId: leadId });
        throw new CrmException(CrmExceptionCode.IntegrityFailure, 'A note on this lead failed its integrity check');
      }
      throw error;
    }
    await this.audit.record({ action: 'work.notes_read', outcome: 'success', targetType: 'lead', targetId: leadId, details: { count: notes.length } });
    return notes;
  }

  /** Runs with the person's data key, wiped afterwards; an erased person (or lead) is not found. */
  private async withSubjectKey<T>(leadId: string, use: (key: Buffer) => T): Promise<T> {
    const lead = await this.leads.findById(leadId);
    if (!lead || lead.status === 'erased') throw new CrmException(CrmExceptionCode.NotFound, 'Not found');
    const subject = await this.subjects.findById(lead.subjectId);
    let key: Buffer | null = null;
    try {
      key = await this.cipher.unwrapSubjectKey(lead.subjectId, subject?.wrapped ?? null);
      return use(key);
    } catch (error) {
      if (error instanceof SubjectKeyDestroyedError) throw new CrmException(CrmExceptionCode.NotFound, 'Not found');
      throw error;
    } finally {
      key?.fill(0);
    }
  }
}
