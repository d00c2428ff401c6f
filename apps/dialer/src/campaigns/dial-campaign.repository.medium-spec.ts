import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CampaignWrite, TypeormCampaignRepository } from '../../../crm-api/src/campaigns/campaign.repository';
import { DEFAULT_DISPOSITIONS } from '../../../crm-api/src/campaigns/campaign.types';
import { createTestDatabase, TestDatabase } from '../../../../test/utils/test-database';
import { addMember, insertUser } from '../leads/lead-queue.fixtures';
import { TypeormDialCampaignRepository } from './dial-campaign.repository';

const write = (overrides: Partial<CampaignWrite> = {}): CampaignWrite => ({
  name: `Campaign ${randomUUID().slice(0, 8)}`,
  dialMode: 'predictive',
  callerIds: ['+442071838750', '+442071838751'],
  window: { startHour: 8, endHour: 21, days: ['mon', 'wed', 'sat'], holidays: ['2026-12-25', '2027-01-01'] },
  defaultTimezone: 'Europe/Paris',
  maxAttempts: 7,
  retryDelays: { busy: 11, noAnswer: 22, machine: 33, failed: 44 },
  dispositions: DEFAULT_DISPOSITIONS,
  script: 'Hello',
  recordingPolicy: 'on_demand',
  agentPlaybackAllowed: false,
  maxAbandonRate: 0.025,
  recordingRetentionDays: 30,
  leadRetentionDays: 60,
  consentRequired: true,
  ...overrides,
});

describe('TypeormDialCampaignRepository reads what the CRM writes', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let crm: TypeormCampaignRepository;
  let repo: TypeormDialCampaignRepository;
  let manager: string;

  beforeAll(async () => {
    db = await createTestDatabase('dc');
    ds = await db.connect();
    crm = new TypeormCampaignRepository(ds);
    repo = new TypeormDialCampaignRepository(ds);
    manager = await insertUser(db, 'manager');
  });
  afterAll(async () => {
    await db.drop();
  });

  it('parses every column the dialer needs exactly as the CRM stored it', async () => {
    const id = randomUUID();
    const c = write();
    await crm.create(id, c, manager);
    expect(await repo.findById(id)).toEqual({
      id,
      name: c.name,
      status: 'draft',
      dialMode: 'predictive',
      callerIds: c.callerIds,
      window: c.window,
      defaultTimezone: 'Europe/Paris',
      maxAttempts: 7,
      retryDelays: c.retryDelays,
      recordingPolicy: 'on_demand',
      maxAbandonRate: 0.025,
      consentRequired: true,
    });
    expect(await repo.findById(randomUUID())).toBeNull();
  });

  it('lists active campaigns only, and the campaigns an agent is assigned to', async () => {
    const [active, paused] = [randomUUID(), randomUUID()];
    await crm.create(active, write({ consentRequired: false }), manager);
    await crm.create(paused, write(), manager);
    await crm.setStatus(active, 'active', ['draft']);
    await crm.setStatus(paused, 'paused', ['draft']);
    const listed = await repo.activeCampaigns();
    expect(listed.map((c) => c.id)).toContain(active);
    expect(listed.map((c) => c.id)).not.toContain(paused);
    expect(listed.find((c) => c.id === active)?.consentRequired).toBe(false);

    const agent = await insertUser(db, 'agent');
    await crm.replaceAgents(active, [agent]);
    await addMember(db, paused, agent, 'agent');
    expect(await repo.agentCampaigns(agent)).toEqual([active, paused].sort());
    // A manager's campaigns are not "assigned as agent".
    expect(await repo.agentCampaigns(manager)).toEqual([]);
  });
});
