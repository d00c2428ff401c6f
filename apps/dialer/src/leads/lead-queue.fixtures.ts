import { randomBytes, randomUUID } from 'node:crypto';

/**
 * Rows for the dialer's database tests, written with SQL as the CRM would leave them. Personal fields
 * are random bytes (the dialer never reads them); blind indexes are random hex.
 */

/** What the fixtures need of test/utils' TestDatabase (not imported: this file is under apps/, built with it). */
export interface FixtureDb {
  sql<T = unknown>(statement: string, params?: unknown[]): Promise<T>;
}

export interface CampaignFixture {
  status: 'draft' | 'active' | 'paused' | 'finished';
  dialMode: 'preview' | 'progressive' | 'predictive';
  startHour: number;
  endHour: number;
  days: string[];
  holidays: string[];
  maxAttempts: number;
  retryDelays: { busy: number; noAnswer: number; machine: number; failed: number };
  consentRequired: boolean;
  maxAbandonRate: number;
}

export async function insertCampaign(db: FixtureDb, overrides: Partial<CampaignFixture> = {}): Promise<string> {
  const c: CampaignFixture = {
    status: 'active',
    dialMode: 'predictive',
    startHour: 9,
    endHour: 20,
    days: ['mon', 'tue', 'wed', 'thu', 'fri'],
    holidays: [],
    maxAttempts: 3,
    retryDelays: { busy: 30, noAnswer: 60, machine: 120, failed: 240 },
    consentRequired: false,
    maxAbandonRate: 0.03,
    ...overrides,
  };
  const id = randomUUID();
  await db.sql(
    `INSERT INTO campaigns (id, name, status, dial_mode, caller_ids, window_start_hour, window_end_hour, window_days, holidays,
       default_timezone, max_attempts, retry_delays, dispositions, script, recording_policy, max_abandon_rate,
       recording_retention_days, lead_retention_days, consent_required)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'Europe/London', ?, ?, '[]', '', 'all', ?, 90, 365, ?)`,
    [
      id,
      `Campaign ${id.slice(0, 8)}`,
      c.status,
      c.dialMode,
      JSON.stringify(['+442071838750']),
      c.startHour,
      c.endHour,
      c.days.join(','),
      JSON.stringify(c.holidays),
      c.maxAttempts,
      JSON.stringify(c.retryDelays),
      c.maxAbandonRate,
      c.consentRequired ? 1 : 0,
    ],
  );
  return id;
}

export interface LeadFixture {
  status: string;
  timezone: string;
  attempts: number;
  nextAttemptAt: Date | null;
  dialLockedUntil: Date | null;
  consentBasis: 'consent' | 'contract' | 'legitimate_interest' | 'legal_obligation' | null;
  phoneBidx: string;
  createdAt: Date;
}

/** `count` leads with the same settings (each its own data subject and phone index unless given). */
export async function insertLeads(db: FixtureDb, campaignId: string, count: number, overrides: Partial<LeadFixture> = {}): Promise<string[]> {
  const ids: string[] = [];
  const subjects: unknown[][] = [];
  const leads: unknown[][] = [];
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    const subjectId = randomUUID();
    ids.push(id);
    subjects.push([subjectId]);
    leads.push([
      id,
      campaignId,
      subjectId,
      overrides.phoneBidx ?? randomBytes(32).toString('hex'),
      randomBytes(40),
      overrides.timezone ?? 'Europe/London',
      overrides.status ?? 'new',
      overrides.attempts ?? 0,
      overrides.nextAttemptAt ?? null,
      overrides.dialLockedUntil ?? null,
      overrides.consentBasis ?? null,
      overrides.createdAt ?? new Date(),
    ]);
  }
  if (count === 0) return ids;
  await db.sql('INSERT INTO data_subjects (id) VALUES ?', [subjects]);
  await db.sql(
    `INSERT INTO leads (id, campaign_id, subject_id, phone_bidx, phone_enc, timezone, status, attempts, next_attempt_at,
       dial_locked_until, consent_basis, created_at) VALUES ?`,
    [leads],
  );
  return ids;
}

export async function insertLead(db: FixtureDb, campaignId: string, overrides: Partial<LeadFixture> = {}): Promise<string> {
  return (await insertLeads(db, campaignId, 1, overrides))[0];
}

/** A pending callback; the lead is put in 'callback', as the CRM's disposition does. */
export async function insertCallback(
  db: FixtureDb,
  campaignId: string,
  leadId: string,
  options: { dueAt: Date; agentId?: string | null; status?: 'pending' | 'done' | 'cancelled' },
): Promise<string> {
  const id = randomUUID();
  await db.sql(`INSERT INTO callbacks (id, lead_id, campaign_id, agent_id, due_at, status) VALUES (?, ?, ?, ?, ?, ?)`, [
    id,
    leadId,
    campaignId,
    options.agentId ?? null,
    options.dueAt,
    options.status ?? 'pending',
  ]);
  await db.sql(`UPDATE leads SET status = 'callback', next_attempt_at = ? WHERE id = ?`, [options.dueAt, leadId]);
  return id;
}

/** campaignKey '' is the global list. */
export async function insertDnc(db: FixtureDb, phoneBidx: string, campaignKey = ''): Promise<void> {
  await db.sql(
    `INSERT INTO dnc_entries (id, campaign_key, phone_bidx, phone_enc, phone_key_version, source) VALUES (?, ?, ?, ?, 1, 'manual')`,
    [randomUUID(), campaignKey, phoneBidx, randomBytes(40)],
  );
}

export async function insertUser(db: FixtureDb, role: 'admin' | 'manager' | 'agent' | 'qa' = 'agent'): Promise<string> {
  const id = randomUUID();
  await db.sql(`INSERT INTO users (id, username, display_name, role, password_hash) VALUES (?, ?, 'Test', ?, 'x')`, [id, `${role}-${id.slice(0, 8)}`, role]);
  return id;
}

export async function addMember(db: FixtureDb, campaignId: string, userId: string, role: 'manager' | 'agent'): Promise<void> {
  await db.sql('INSERT INTO campaign_members (campaign_id, user_id, member_role) VALUES (?, ?, ?)', [campaignId, userId, role]);
}

export interface LeadState {
  status: string;
  attempts: number;
  reserved_by: string | null;
  reserved_at: Date | null;
  assigned_agent_id: string | null;
  next_attempt_at: Date | null;
  dial_locked_until: Date | null;
}

export async function leadState(db: FixtureDb, leadId: string): Promise<LeadState> {
  const rows = await db.sql<LeadState[]>(
    'SELECT status, attempts, reserved_by, reserved_at, assigned_agent_id, next_attempt_at, dial_locked_until FROM leads WHERE id = ?',
    [leadId],
  );
  return rows[0];
}
