import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createTestDatabase, TestDatabase } from '../../../../test/utils/test-database';
import { insertCampaign, insertLead, leadState } from '../leads/lead-queue.fixtures';
import { CallOutcome } from '../session/call-outcome';
import { DialerCallOpen, MAX_REPORT_REFUSALS, TypeormDialerCallRepository } from './dialer-call.repository';

const NOW = new Date('2026-11-23T15:00:00.000Z');
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);
const HOUR = 3600_000;
const DAY = 24 * HOUR;

describe('TypeormDialerCallRepository (CDR, outbox, abandon rate)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let calls: TypeormDialerCallRepository;

  beforeAll(async () => {
    db = await createTestDatabase('dcr');
    ds = await db.connect();
    calls = new TypeormDialerCallRepository(ds);
  });
  afterAll(async () => {
    await db.drop();
  });

  /** A call of a lead that `instanceId` holds. */
  const opened = async (campaignId: string, overrides: Partial<DialerCallOpen> = {}): Promise<DialerCallOpen> => {
    const leadId = await insertLead(db, campaignId);
    const instanceId = overrides.instanceId ?? 'dialer-a';
    await db.sql(`UPDATE leads SET status = 'reserved', reserved_by = ?, reserved_at = ? WHERE id = ?`, [instanceId, NOW, leadId]);
    const call: DialerCallOpen = { callId: randomUUID(), instanceId, campaignId, leadId, agentId: null, dialMode: 'predictive', startedAt: NOW, ...overrides };
    await calls.open(call);
    return call;
  };
  const end = (callId: string, outcome: CallOutcome, endedAt = at(60_000)) =>
    calls.close(callId, { endedAt, outcome, sipStatus: outcome === 'busy' ? 486 : 200, trunk: null, recordingId: null });

  it('records a call as it goes; the bridged agent gets the lead; a second close changes nothing', async () => {
    const campaignId = await insertCampaign(db);
    const call = await opened(campaignId);
    expect(await calls.find(call.callId)).toMatchObject({ state: 'dialing', leadId: call.leadId, instanceId: 'dialer-a', dialMode: 'predictive', startedAt: NOW });
    expect((await leadState(db, call.leadId!)).attempts).toBe(1);

    await calls.markRinging(call.callId, at(1000), 'trunk-a');
    await calls.markRinging(call.callId, at(3000), 'trunk-b'); // failover: the first ring is kept, the trunk is the latest
    expect(await calls.find(call.callId)).toMatchObject({ state: 'ringing', ringAt: at(1000), trunk: 'trunk-b' });
    await calls.markAnswered(call.callId, at(5000));
    const [agent, other] = [randomUUID(), randomUUID()];
    await calls.markBridged(call.callId, at(6000), agent);
    expect(await leadState(db, call.leadId!)).toMatchObject({ status: 'reserved', assigned_agent_id: agent });
    await calls.markBridged(call.callId, at(9000), other); // transfer
    expect(await calls.find(call.callId)).toMatchObject({ state: 'bridged', answeredAt: at(5000), bridgedAt: at(6000), agentId: other });
    expect((await leadState(db, call.leadId!)).assigned_agent_id).toBe(other);

    const recordingId = randomUUID();
    await calls.close(call.callId, { endedAt: at(60_000), outcome: 'answered', sipStatus: 200, trunk: null, recordingId });
    await calls.close(call.callId, { endedAt: at(99_000), outcome: 'failed', sipStatus: 500, trunk: 'x', recordingId: null });
    expect(await calls.find(call.callId)).toMatchObject({
      state: 'ended',
      endedAt: at(60_000),
      outcome: 'answered',
      sipStatus: 200,
      trunk: 'trunk-b',
      recordingId,
    });
    // Nothing moves an ended call.
    await calls.markAnswered(call.callId, at(100_000));
    await calls.markBridged(call.callId, at(100_000), agent);
    expect(await calls.find(call.callId)).toMatchObject({ state: 'ended', agentId: other });
  });

  it('lists live calls, of one instance or all', async () => {
    const campaignId = await insertCampaign(db);
    const mine = await opened(campaignId, { instanceId: 'dialer-live-1' });
    const theirs = await opened(campaignId, { instanceId: 'dialer-live-2' });
    const done = await opened(campaignId, { instanceId: 'dialer-live-1' });
    await end(done.callId, 'busy');
    expect((await calls.liveCalls('dialer-live-1')).map((c) => c.callId)).toEqual([mine.callId]);
    const all = (await calls.liveCalls()).map((c) => c.callId);
    expect(all).toEqual(expect.arrayContaining([mine.callId, theirs.callId]));
    expect(all).not.toContain(done.callId);
  });

  it('the outbox: ended, unreported calls; refused ones behind the others, and left alone after too many refusals', async () => {
    await db.sql('UPDATE dialer_calls SET reported_at = ? WHERE reported_at IS NULL', [NOW]);
    const campaignId = await insertCampaign(db);
    const first = await opened(campaignId);
    const second = await opened(campaignId);
    await opened(campaignId); // still live: not in the outbox
    await end(first.callId, 'no_answer', at(10_000));
    await end(second.callId, 'busy', at(20_000));
    expect((await calls.unreported(10)).map((c) => c.callId)).toEqual([first.callId, second.callId]);
    expect((await calls.unreported(1)).map((c) => c.callId)).toEqual([first.callId]);

    await calls.markReportFailed(first.callId);
    expect((await calls.unreported(10)).map((c) => [c.callId, c.reportAttempts])).toEqual([
      [second.callId, 0],
      [first.callId, 1],
    ]);
    await calls.markReported(second.callId, at(30_000));
    expect(await calls.find(second.callId)).toMatchObject({ reportedAt: at(30_000) });
    for (let i = 1; i < MAX_REPORT_REFUSALS; i++) await calls.markReportFailed(first.callId);
    expect(await calls.unreported(10)).toEqual([]);
    expect(await calls.find(first.callId)).toMatchObject({ reportedAt: null, reportAttempts: MAX_REPORT_REFUSALS });
  });

  it('abandon rate over 30 days and 24 hours: abandoned / (answered + abandoned), machines and misses left out', async () => {
    const campaignId = await insertCampaign(db);
    const other = await insertCampaign(db);
    expect(await calls.abandonStats(campaignId, NOW)).toEqual({ answered30d: 0, abandoned30d: 0, rate30d: 0, answered24h: 0, abandoned24h: 0, rate24h: 0 });
    const call = async (startedAt: Date, outcome: CallOutcome, campaign = campaignId) => {
      const c = await opened(campaign, { startedAt });
      await end(c.callId, outcome, new Date(startedAt.getTime() + 60_000));
    };
    // Last 24 hours: 3 answered, 1 abandoned.
    for (const o of ['answered', 'answered', 'answered', 'abandoned', 'machine', 'no_answer', 'busy'] as const) await call(at(-2 * HOUR), o);
    // Earlier within 30 days: 4 answered, 2 abandoned.
    for (const o of ['answered', 'answered', 'answered', 'answered', 'abandoned', 'abandoned'] as const) await call(at(-10 * DAY), o);
    // Too old, another campaign, and a call still in progress: none counted.
    await call(at(-31 * DAY), 'abandoned');
    await call(at(-HOUR), 'abandoned', other);
    await opened(campaignId, { startedAt: at(-HOUR) });

    expect(await calls.abandonStats(campaignId, NOW)).toEqual({
      answered30d: 7,
      abandoned30d: 3,
      rate30d: 0.3,
      answered24h: 3,
      abandoned24h: 1,
      rate24h: 0.25,
    });
  });
});
