import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NoteRecord } from './work.types';

/** Notes on leads; the body is stored only as ciphertext under the person's data key. */
export abstract class NoteRepository {
  abstract insert(note: Omit<NoteRecord, 'createdAt'>): Promise<void>;
  /** Oldest first, at most `limit`. */
  abstract listByLead(leadId: string, limit: number): Promise<NoteRecord[]>;
}

interface Row {
  id: string;
  lead_id: string;
  author_id: string;
  body_enc: Buffer;
  created_at: Date;
}

@Injectable()
export class TypeormNoteRepository extends NoteRepository {
  constructor(private readonly db: DataSource) {
    super();
  }

  async insert(n: Omit<NoteRecord, 'createdAt'>): Promise<void> {
    await this.db.query('INSERT INTO lead_notes (id, lead_id, author_id, body_enc) VALUES (?, ?, ?, ?)', [
      n.id,
      n.leadId,
      n.authorId,
      n.bodyCiphertext,
    ]);
  }

  async listByLead(leadId: string, limit: number): Promise<NoteRecord[]> {
    const rows: Row[] = await this.db.query('SELECT * FROM lead_notes WHERE lead_id = ? ORDER BY created_at, id LIMIT ?', [leadId, limit]);
    return rows.map((r) => ({ id: r.id, leadId: r.lead_id, authorId: r.author_id, bodyCiphertext: r.body_enc, createdAt: r.created_at }));
  }
}
