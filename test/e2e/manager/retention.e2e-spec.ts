import { randomUUID } from 'node:crypto';
import { Role } from '@app/domain';
import { RetentionService } from '../../../apps/crm-api/src/compliance/retention.service';
import { CrmApiHarness, SignedIn, TestUser } from '../../utils/crm-api-harness';
import { createCampaign, personFields, seedLeads } from '../../utils/crm-fixtures';

describe('lead retention', () => {
  let h: CrmApiHarness;
  let manager: TestUser;
  let session: SignedIn;
  let admin: SignedIn;
  const as = (s: SignedIn) => `Bearer ${s.accessToken}`;
  const age = (leadId: string, days: number) =>
    h.db.sql('UPDATE leads SET created_at = UTC_TIMESTAMP(3) - INTERVAL ? DAY WHERE id = ?', [days, leadId]);

  beforeAll(async () => {
    h = await CrmApiHarness.start();
    manager = await h.createUser(Role.Manager);
    session = await h.signIn(manager);
    admin = await h.signIn(await h.createUser(Role.Admin));
  });
  afterAll(async () => {
    await h.stop();
  });

  it('deletes leads past their campaign’s retention with their notes and callbacks, keeps those under legal hold, and logs it', async () => {
    const campaignId = await createCampaign(h, session, { leadRetentionDays: 30 });
    const longCampaign = await createCampaign(h, session, { leadRetentionDays: 365 });
    const [old, held, recent] = await seedLeads(h, campaignId, [personFields(), personFields(), personFields()]);
    const [keptElsewhere] = await seedLeads(h, longCampaign, [personFields()]);
    for (const id of [old, held]) await age(id, 40);
    await age(keptElsewhere, 40);
    await h.http().put(`/leads/${held}/legal-hold`).set('Authorization', as(session)).send({ hold: true }).expect(204);
    await h.db.sql(`INSERT INTO lead_notes (id, lead_id, author_id, body_enc) VALUES (?, ?, ?, X'00')`, [randomUUID(), old, manager.id]);
    await h.db.sql(`INSERT INTO callbacks (id, lead_id, campaign_id, due_at) VALUES (?, ?, ?, UTC_TIMESTAMP(3))`, [randomUUID(), old, campaignId]);
    const callId = `call-${randomUUID()}`;
    await h.db.sql(
      `INSERT INTO call_records (id, call_id, lead_id, campaign_id, started_at, outcome) VALUES (?, ?, ?, ?, UTC_TIMESTAMP(3), 'answered')`,
      [randomUUID(), callId, old, campaignId],
    );
    const [{ subject_id: oldSubject }] = await h.db.sql<Array<{ subject_id: string }>>('SELECT subject_id FROM leads WHERE id = ?', [old]);

    await h.http().post('/admin/retention/run').set('Authorization', as(session)).expect(403);
    const res = await h.http().post('/admin/retention/run').set('Authorization', as(admin)).expect(200);
    expect(res.body).toEqual({
      deleted: 1,
      held: 1,
      subjectKeysDestroyed: 1,
      campaigns: [{ campaignId, retentionDays: 30, deleted: 1, held: 1, subjectKeysDestroyed: 1 }],
    });

    const left = await h.db.sql<Array<{ id: string }>>('SELECT id FROM leads WHERE id IN (?) ORDER BY id', [[old, held, recent, keptElsewhere]]);
    expect(left.map((r) => r.id).sort()).toEqual([held, recent, keptElsewhere].sort());
    expect(await h.db.sql('SELECT id FROM lead_notes WHERE lead_id = ?', [old])).toEqual([]);
    expect(await h.db.sql('SELECT id FROM callbacks WHERE lead_id = ?', [old])).toEqual([]);
    expect(await h.db.sql('SELECT lead_id FROM call_records WHERE call_id = ?', [callId])).toEqual([{ lead_id: null }]);
    // The person had no other lead: their key is gone too.
    expect(await h.db.sql('SELECT wrapped_key, erased_at IS NOT NULL AS erased FROM data_subjects WHERE id = ?', [oldSubject])).toEqual([
      { wrapped_key: null, erased: 1 },
    ]);

    const audit = await h.auditRows("action = 'retention.leads' AND target_id = ?", [campaignId]);
    expect(audit).toHaveLength(1);
    expect(JSON.parse(String(audit[0].details))).toEqual({ deleted: 1, held: 1, subjectKeysDestroyed: 1, retentionDays: 30, trigger: 'manual' });
    expect(await h.auditRows("action = 'retention.leads' AND target_id = ?", [longCampaign])).toHaveLength(0);
  });

  it('keeps the key of a person who still has a lead in another campaign; runs on schedule from the clock', async () => {
    const shortCampaign = await createCampaign(h, session, { leadRetentionDays: 10 });
    const otherCampaign = await createCampaign(h, session, { leadRetentionDays: 3650 });
    const person = personFields();
    const [expiring] = await seedLeads(h, shortCampaign, [person]);
    const [kept] = await seedLeads(h, otherCampaign, [person]);
    const subjects = await h.db.sql<Array<{ subject_id: string }>>('SELECT DISTINCT subject_id FROM leads WHERE id IN (?)', [[expiring, kept]]);
    expect(subjects).toHaveLength(1);

    const retention = h.app.get(RetentionService);
    const before = await retention.run('schedule');
    expect(before.campaigns.find((c) => c.campaignId === shortCampaign)).toBeUndefined();
    // Eleven days later by the service's clock: past the 10-day retention, not the 10-year one.
    h.clock.advance(11 * 86_400_000);
    const after = await retention.run('schedule');
    expect(after.campaigns.find((c) => c.campaignId === shortCampaign)).toEqual(
      expect.objectContaining({ deleted: 1, held: 0, subjectKeysDestroyed: 0 }),
    );
    expect(await h.db.sql('SELECT id FROM leads WHERE id IN (?)', [[expiring, kept]])).toEqual([{ id: kept }]);
    const [subject] = await h.db.sql<Array<{ wrapped_key: Buffer | null }>>('SELECT wrapped_key FROM data_subjects WHERE id = ?', [subjects[0].subject_id]);
    expect(subject.wrapped_key).not.toBeNull();
    const logged = await h.auditRows("action = 'retention.leads' AND target_id = ?", [shortCampaign]);
    expect(logged.map((a) => [a.actor_type, JSON.parse(String(a.details)).trigger])).toEqual([['system', 'schedule']]);
  });
});
