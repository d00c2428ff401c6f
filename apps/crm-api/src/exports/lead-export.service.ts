import { once } from 'node:events';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify';
import { AuditService } from '@app/audit';
import { AccessService, Permission, UserPrincipal } from '@app/auth';
import { CryptoIntegrityError, KmsCiphertext } from '@app/crypto';
import { AnomalyService } from '../anomaly/anomaly.service';
import { LeadCipher, SubjectKeyDestroyedError } from '../leads/lead-cipher.service';
import { LeadPersonalFields, LeadRow } from '../leads/lead.types';
import { neutraliseCell } from './csv-safety';
import { LeadExportRepository } from './lead-export.repository';

export const EXPORT_COLUMNS = [
  'lead_id',
  'status',
  'first_name',
  'last_name',
  'phone',
  'email',
  'address',
  'national_id_masked',
  'notes',
  'custom',
  'consent_basis',
  'created_at',
] as const;

const PAGE = 500;

/**
 * A campaign's leads as CSV for its managers: access, re-authentication (checked by the route),
 * counted as one export (anomaly detection) and audited with the row count. Streamed page by page
 * with back-pressure; every cell is neutralised against spreadsheet formulas.
 */
@Injectable()
export class LeadExportService {
  constructor(
    private readonly exports: LeadExportRepository,
    private readonly cipher: LeadCipher,
    private readonly access: AccessService,
    private readonly anomaly: AnomalyService,
    private readonly audit: AuditService,
  ) {}

  /**
   * `openSink` is called once the checks have passed (so a refusal is still an ordinary error
   * answer). A failure after that aborts the sink: a truncated file must not look complete.
   */
  async exportCsv(principal: UserPrincipal, campaignId: string, openSink: () => Writable): Promise<{ rows: number }> {
    await this.access.requireAccess(principal, Permission.LeadExport, campaignId);
    await this.anomaly.observe(principal, 'export');
    await this.audit.record({ action: 'lead.export.start', outcome: 'success', targetType: 'campaign', targetId: campaignId });
    const csv = stringify({ header: true, columns: [...EXPORT_COLUMNS] });
    const done = pipeline(csv, openSink());
    // Observed here so an early failure of the sink is never an unhandled rejection.
    done.catch(() => undefined);
    let rows = 0;
    let skipped = 0;
    try {
      let after: string | null = null;
      for (;;) {
        const page = await this.exports.page(campaignId, after, PAGE);
        if (page.length === 0) break;
        for (const { lead, wrapped } of page) {
          after = lead.id;
          const fields = await this.decrypt(lead, wrapped);
          if (!fields) {
            skipped += 1;
            continue;
          }
          if (!csv.write(toCsvRow(lead, fields))) await Promise.race([once(csv, 'drain'), done]);
          rows += 1;
        }
      }
    } catch (error) {
      csv.destroy(error instanceof Error ? error : new Error('export failed'));
      await this.audit.record({ action: 'lead.export', outcome: 'failure', targetType: 'campaign', targetId: campaignId, details: { rows, skipped } });
      return { rows };
    }
    // Recorded before the file is closed: the caller never holds a complete export that is not in the log.
    await this.audit.record({ action: 'lead.export', outcome: 'success', targetType: 'campaign', targetId: campaignId, details: { rows, skipped } });
    csv.end();
    await done.catch(() => undefined);
    return { rows };
  }

  /** null when the person was erased meanwhile; an integrity failure is audited and the row left out. */
  private async decrypt(lead: LeadRow, wrapped: KmsCiphertext | null): Promise<LeadPersonalFields | null> {
    let key: Buffer | null = null;
    try {
      key = await this.cipher.unwrapSubjectKey(lead.subjectId, wrapped);
      return this.cipher.open(key, lead.id, lead.fields);
    } catch (error) {
      if (error instanceof SubjectKeyDestroyedError) return null;
      if (error instanceof CryptoIntegrityError) {
        await this.audit.record({ action: 'lead.integrity_failure', outcome: 'failure', targetType: 'lead', targetId: lead.id });
        return null;
      }
      throw error;
    } finally {
      key?.fill(0);
    }
  }
}

function toCsvRow(lead: LeadRow, f: LeadPersonalFields): string[] {
  const cells: Array<string | null> = [
    lead.id,
    lead.status,
    f.firstName,
    f.lastName,
    f.phone,
    f.email,
    f.address,
    f.nationalId ? `${'*'.repeat(Math.max(0, f.nationalId.length - 2))}${f.nationalId.slice(-2)}` : null,
    f.notes,
    f.custom ? JSON.stringify(f.custom) : null,
    lead.consent?.basis ?? null,
    lead.createdAt.toISOString(),
  ];
  return cells.map(neutraliseCell);
}
