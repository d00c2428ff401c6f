import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { BlindIndex, KmsCiphertext, KmsRepository, open, seal } from '@app/crypto';
import { EncryptedFields, LeadPersonalFields, PERSONAL_FIELDS, PersonalField } from './lead.types';

export const LEAD_KEY_ID = 'leads';

export class SubjectKeyDestroyedError extends Error {
  constructor() {
    super('the data subject was erased: their data key is destroyed');
    this.name = 'SubjectKeyDestroyedError';
  }
}

/**
 * Field-level encryption of leads. Each data subject (a person) has a 256-bit data key, wrapped by
 * the KMS key "leads"; each field is sealed with AES-256-GCM under it, with a fresh nonce, and the
 * lead id and field name as associated data, so a ciphertext copied to another lead or field does not
 * open. Destroying the subject's wrapped key makes every one of their fields unreadable.
 */
@Injectable()
export class LeadCipher {
  constructor(
    private readonly kms: KmsRepository,
    private readonly blindIndex: BlindIndex,
  ) {}

  async newSubjectKey(): Promise<{ subjectId: string; key: Buffer; wrapped: KmsCiphertext }> {
    const subjectId = randomUUID();
    const { plaintext, wrapped } = await this.kms.generateDataKey(LEAD_KEY_ID, subjectContext(subjectId));
    return { subjectId, key: plaintext, wrapped };
  }

  async unwrapSubjectKey(subjectId: string, wrapped: KmsCiphertext | null): Promise<Buffer> {
    if (!wrapped) throw new SubjectKeyDestroyedError();
    return this.kms.decrypt(wrapped, subjectContext(subjectId));
  }

  rewrapSubjectKey(subjectId: string, wrapped: KmsCiphertext): Promise<KmsCiphertext> {
    return this.kms.reencrypt(wrapped, subjectContext(subjectId));
  }

  seal(key: Buffer, leadId: string, fields: LeadPersonalFields): EncryptedFields {
    const sealed = {} as EncryptedFields;
    for (const field of PERSONAL_FIELDS) {
      sealed[field] = this.sealField(key, leadId, field, fields[field]);
    }
    return sealed;
  }

  sealField(key: Buffer, leadId: string, field: PersonalField, value: LeadPersonalFields[PersonalField]): Buffer | null {
    if (value === null || value === undefined) return null;
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return seal(key, Buffer.from(text, 'utf8'), fieldAad(leadId, field));
  }

  /** Opens every field; a tampered or moved ciphertext throws CryptoIntegrityError (never garbage). */
  open(key: Buffer, leadId: string, sealed: EncryptedFields): LeadPersonalFields {
    const text = (field: PersonalField): string | null => {
      const value = sealed[field];
      return value ? open(key, value, fieldAad(leadId, field)).toString('utf8') : null;
    };
    const custom = text('custom');
    return {
      firstName: text('firstName'),
      lastName: text('lastName'),
      phone: text('phone') ?? '',
      email: text('email'),
      address: text('address'),
      nationalId: text('nationalId'),
      notes: text('notes'),
      custom: custom ? (JSON.parse(custom) as Record<string, string>) : null,
    };
  }

  phoneIndex(e164: string): string {
    return this.blindIndex.of('phone', e164);
  }

  emailIndex(email: string): string {
    return this.blindIndex.of('email', email.trim().toLowerCase());
  }
}

function subjectContext(subjectId: string): string {
  return `data_subjects:${subjectId}`;
}

function fieldAad(leadId: string, field: PersonalField): string {
  return `leads:${leadId}:${field}`;
}
