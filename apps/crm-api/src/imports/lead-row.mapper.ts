import { isUtf8 } from 'node:buffer';
import { Consent, ConsentBasis, LeadPersonalFields } from '../leads/lead.types';
import { isValidTimezone, leadTimezones, normalisePhone } from '../leads/phone';

/** What a CSV column can be mapped to. 'custom' keeps it as a custom field under its header; 'ignore' drops it. */
export const IMPORT_FIELDS = [
  'first_name',
  'last_name',
  'phone',
  'email',
  'address',
  'national_id',
  'notes',
  'timezone',
  'consent_basis',
  'consent_source',
  'consent_at',
  'consent_evidence',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
export type ColumnTarget = ImportField | 'custom' | 'ignore';

const CONSENT_BASES: readonly ConsentBasis[] = ['consent', 'contract', 'legitimate_interest', 'legal_obligation'];

/** Byte limits that keep each sealed value inside its column (AES-GCM adds 28 bytes). */
const MAX_BYTES: Record<Exclude<ImportField, 'phone' | 'timezone' | 'consent_basis' | 'consent_at'>, number> = {
  first_name: 255,
  last_name: 255,
  email: 254,
  address: 4000,
  national_id: 64,
  notes: 16_000,
  consent_source: 128,
  consent_evidence: 255,
};
const MAX_CUSTOM_JSON_BYTES = 16_000;
const MAX_HEADER_LENGTH = 64;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

interface Column {
  /** For reasons: the column's header, cut short (a column name, not a value). */
  label: string;
  target: ColumnTarget;
  customKey: string | null;
}

export class HeaderError extends Error {}

/** The columns of a file: header names matched to fields, by the caller's mapping or by name. */
export class ImportPlan {
  private constructor(readonly columns: readonly Column[]) {}

  /** mapping: CSV header (any case) → field, 'custom' or 'ignore'. Throws HeaderError (message without values). */
  static fromHeader(header: readonly Buffer[], mapping: ReadonlyMap<string, ColumnTarget>): ImportPlan {
    const seen = new Map<string, string>();
    const customKeys = new Set<string>();
    const columns = header.map((raw, index): Column => {
      if (!isUtf8(raw)) throw new HeaderError(`the header of column ${index + 1} is not valid UTF-8`);
      const name = raw.toString('utf8').trim();
      if (name.length > MAX_HEADER_LENGTH) throw new HeaderError(`the header of column ${index + 1} is longer than ${MAX_HEADER_LENGTH} characters`);
      const label = name.length > 0 ? name : `column ${index + 1}`;
      // A column without a header (often a trailing comma) carries nothing we could name.
      if (name.length === 0) return { label, target: 'ignore', customKey: null };
      const key = name.toLowerCase();
      const target: ColumnTarget = mapping.get(key) ?? ((IMPORT_FIELDS as readonly string[]).includes(key) ? (key as ImportField) : 'custom');
      if (target === 'custom') {
        if (customKeys.has(key)) throw new HeaderError(`column ${index + 1} repeats the header of another column`);
        customKeys.add(key);
        return { label, target, customKey: name };
      }
      if (target !== 'ignore') {
        const other = seen.get(target);
        if (other) throw new HeaderError(`columns ${other} and ${index + 1} both map to ${target}`);
        seen.set(target, String(index + 1));
      }
      return { label, target, customKey: null };
    });
    if (!seen.has('phone')) throw new HeaderError('no column maps to phone');
    return new ImportPlan(columns);
  }

  /** A mapping given as JSON text; throws HeaderError on anything but an object of known targets. */
  static parseMapping(text: string | undefined): Map<string, ColumnTarget> {
    const mapping = new Map<string, ColumnTarget>();
    if (text === undefined || text === '') return mapping;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new HeaderError('mapping must be a JSON object of CSV header to field');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new HeaderError('mapping must be a JSON object of CSV header to field');
    }
    for (const [header, target] of Object.entries(parsed)) {
      if (typeof target !== 'string' || !([...IMPORT_FIELDS, 'custom', 'ignore'] as string[]).includes(target)) {
        throw new HeaderError(`mapping targets must be one of ${[...IMPORT_FIELDS, 'custom', 'ignore'].join(', ')}`);
      }
      mapping.set(header.trim().toLowerCase(), target as ColumnTarget);
    }
    return mapping;
  }
}

export interface ValidRow {
  fields: LeadPersonalFields;
  phoneRegion: string | null;
  timezones: string[];
  consent: Consent | null;
}

export type RowResult = { ok: true; row: ValidRow } | { ok: false; reason: string };

export interface RowContext {
  defaultRegion: string;
  campaignTimezone: string;
  consentRequired: boolean;
}

/** One record to a lead, or the reason it cannot be one. Reasons name the column and the rule, never the value. */
export function mapRow(plan: ImportPlan, record: readonly Buffer[], ctx: RowContext): RowResult {
  const columns = plan.columns;
  if (record.length !== columns.length) {
    return { ok: false, reason: `wrong number of columns: ${record.length}, the header has ${columns.length}` };
  }
  const values: Partial<Record<ImportField, string>> = {};
  let custom: Record<string, string> | null = null;
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i];
    if (column.target === 'ignore') continue;
    const raw = record[i];
    if (!isUtf8(raw)) return { ok: false, reason: `column ${column.label}: not valid UTF-8` };
    const text = raw.toString('utf8').trim();
    if (text.length === 0) continue;
    if (column.target === 'custom') {
      custom ??= {};
      custom[column.customKey!] = text;
    } else {
      const max = MAX_BYTES[column.target as keyof typeof MAX_BYTES];
      if (max !== undefined && Buffer.byteLength(text, 'utf8') > max) {
        return { ok: false, reason: `column ${column.label}: longer than ${max} bytes` };
      }
      values[column.target] = text;
    }
  }
  if (custom && Buffer.byteLength(JSON.stringify(custom), 'utf8') > MAX_CUSTOM_JSON_BYTES) {
    return { ok: false, reason: `custom columns together longer than ${MAX_CUSTOM_JSON_BYTES} bytes` };
  }

  if (!values.phone) return { ok: false, reason: 'column phone: empty' };
  const phone = normalisePhone(values.phone, ctx.defaultRegion);
  if (!phone) return { ok: false, reason: `column phone: not a valid number for region ${ctx.defaultRegion}` };
  if (values.email !== undefined && !EMAIL.test(values.email)) return { ok: false, reason: 'column email: not an e-mail address' };
  if (values.timezone !== undefined && !isValidTimezone(values.timezone)) {
    return { ok: false, reason: 'column timezone: not a known IANA time zone' };
  }

  let consent: Consent | null = null;
  const anyConsent = values.consent_source ?? values.consent_at ?? values.consent_evidence;
  if (values.consent_basis !== undefined) {
    const basis = values.consent_basis.toLowerCase() as ConsentBasis;
    if (!CONSENT_BASES.includes(basis)) return { ok: false, reason: `column consent_basis: must be one of ${CONSENT_BASES.join(', ')}` };
    let at: Date | null = null;
    if (values.consent_at !== undefined) {
      at = ISO_DATE.test(values.consent_at) ? new Date(values.consent_at) : null;
      if (!at || Number.isNaN(at.getTime())) return { ok: false, reason: 'column consent_at: not an ISO 8601 date' };
    }
    consent = { basis, source: values.consent_source ?? null, at, evidenceRef: values.consent_evidence ?? null };
  } else if (anyConsent !== undefined) {
    return { ok: false, reason: 'column consent_basis: required when other consent columns are given' };
  }
  if (ctx.consentRequired && !consent) return { ok: false, reason: 'column consent_basis: this campaign requires consent' };

  return {
    ok: true,
    row: {
      fields: {
        firstName: values.first_name ?? null,
        lastName: values.last_name ?? null,
        phone: phone.e164,
        email: values.email ?? null,
        address: values.address ?? null,
        nationalId: values.national_id ?? null,
        notes: values.notes ?? null,
        custom,
      },
      phoneRegion: phone.region,
      timezones: leadTimezones(values.timezone ?? null, phone.region, ctx.campaignTimezone),
      consent,
    },
  };
}
