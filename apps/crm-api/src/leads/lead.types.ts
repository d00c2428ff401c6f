/** The personal fields of a lead. All of them are stored encrypted; none is ever logged. */
export interface LeadPersonalFields {
  firstName: string | null;
  lastName: string | null;
  phone: string;
  email: string | null;
  address: string | null;
  nationalId: string | null;
  notes: string | null;
  custom: Record<string, string> | null;
}

export const PERSONAL_FIELDS = ['firstName', 'lastName', 'phone', 'email', 'address', 'nationalId', 'notes', 'custom'] as const;
export type PersonalField = (typeof PERSONAL_FIELDS)[number];

export const FIELD_COLUMNS: Record<PersonalField, string> = {
  firstName: 'first_name_enc',
  lastName: 'last_name_enc',
  phone: 'phone_enc',
  email: 'email_enc',
  address: 'address_enc',
  nationalId: 'national_id_enc',
  notes: 'notes_enc',
  custom: 'custom_enc',
};

export type EncryptedFields = Record<PersonalField, Buffer | null>;

export type LeadStatus = 'new' | 'reserved' | 'in_progress' | 'callback' | 'retry' | 'done' | 'dnc' | 'invalid' | 'erased';

export type ConsentBasis = 'consent' | 'contract' | 'legitimate_interest' | 'legal_obligation';

export interface Consent {
  basis: ConsentBasis;
  source: string | null;
  at: Date | null;
  evidenceRef: string | null;
}

/** A lead as stored: identifiers and workflow state in the clear, personal fields sealed. */
export interface LeadRow {
  id: string;
  campaignId: string;
  listId: string | null;
  importId: string | null;
  subjectId: string;
  phoneBidx: string;
  emailBidx: string | null;
  fields: EncryptedFields;
  phoneRegion: string | null;
  timezones: string[];
  status: LeadStatus;
  attempts: number;
  lastOutcome: string | null;
  lastAttemptAt: Date | null;
  nextAttemptAt: Date | null;
  assignedAgentId: string | null;
  consent: Consent | null;
  legalHold: boolean;
  createdAt: Date;
}
