import { randomUUID } from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { CampaignCreateDto } from '../../apps/crm-api/src/campaigns/campaign.dto';
import { LeadInput, LeadWriter } from '../../apps/crm-api/src/leads/lead-writer.service';
import { LeadPersonalFields } from '../../apps/crm-api/src/leads/lead.types';
import { CrmApiHarness, SignedIn } from './crm-api-harness';

export function campaignBody(overrides: Partial<CampaignCreateDto> = {}): CampaignCreateDto {
  return {
    name: `Campaign ${randomUUID().slice(0, 8)}`,
    dialMode: 'progressive',
    callerIds: ['+442071838750'],
    window: { startHour: 9, endHour: 20, days: ['mon', 'tue', 'wed', 'thu', 'fri'], holidays: [] },
    defaultTimezone: 'Europe/London',
    maxAttempts: 3,
    retryDelays: { busy: 30, noAnswer: 60, machine: 120, failed: 240 },
    recordingRetentionDays: 90,
    leadRetentionDays: 365,
    ...overrides,
  };
}

/** A campaign created through the API by a manager (who becomes its manager). */
export async function createCampaign(h: CrmApiHarness, manager: SignedIn, overrides: Partial<CampaignCreateDto> = {}): Promise<string> {
  const res = await h.http().post('/campaigns').set('Authorization', `Bearer ${manager.accessToken}`).send(campaignBody(overrides));
  if (res.status !== 201) throw new Error(`campaign create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

let counter = 0;

/**
 * A unique UK mobile number that libphonenumber accepts. Not every +4477 number is valid (Ofcom's
 * drama range, for one), so candidates are checked: a fixture that depends on the clock must not
 * make a test fail one run in two hundred.
 */
export function uniquePhone(): string {
  for (;;) {
    counter += 1;
    const n = (Date.now() % 1_000_000) * 100 + (counter % 100);
    const candidate = `+4477${String(n).padStart(8, '0').slice(-8)}`;
    if (parsePhoneNumberFromString(candidate)?.isValid() && !issued.has(candidate)) {
      issued.add(candidate);
      return candidate;
    }
  }
}

const issued = new Set<string>();

export function personFields(overrides: Partial<LeadPersonalFields> = {}): LeadPersonalFields {
  return {
    firstName: 'Ada',
    lastName: 'Lovelace',
    phone: uniquePhone(),
    email: `ada.${randomUUID().slice(0, 8)}@example.org`,
    address: '12 St James Square, London',
    nationalId: 'QQ123456C',
    notes: null,
    custom: { plan: 'gold' },
    ...overrides,
  };
}

/** Leads written through the real write path (subject keys, encryption, blind indexes). */
export async function seedLeads(h: CrmApiHarness, campaignId: string, people: LeadPersonalFields[]): Promise<string[]> {
  const inputs: LeadInput[] = people.map((fields) => ({ fields, phoneRegion: 'GB', timezones: ['Europe/London'], consent: null }));
  const results = await h.app.get(LeadWriter).writeBatch(campaignId, null, null, inputs);
  return results.map((r) => (r.status === 'inserted' ? r.leadId : ''));
}

/** Makes the agent the one working the lead (what the dialer does when it offers the call). */
export async function assignLead(h: CrmApiHarness, leadId: string, agentId: string): Promise<void> {
  await h.db.sql(`UPDATE leads SET assigned_agent_id = ?, status = 'in_progress' WHERE id = ?`, [agentId, leadId]);
}

export async function addAgents(h: CrmApiHarness, manager: SignedIn, campaignId: string, agentIds: string[]): Promise<void> {
  const res = await h
    .http()
    .put(`/campaigns/${campaignId}/agents`)
    .set('Authorization', `Bearer ${manager.accessToken}`)
    .send({ agentIds });
  if (res.status !== 200) throw new Error(`assign failed: ${res.status} ${JSON.stringify(res.body)}`);
}
