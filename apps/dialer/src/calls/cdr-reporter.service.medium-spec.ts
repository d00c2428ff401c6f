import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { TokenService } from '@app/auth';
import { Clock, Role } from '@app/domain';
import { CrmApiHarness } from '../../../../test/utils/crm-api-harness';
import { createCampaign, personFields, seedLeads } from '../../../../test/utils/crm-fixtures';
import { TypeormDialCampaignRepository } from '../campaigns/dial-campaign.repository';
import { CallRecordReport, CrmClient, DialTarget, HttpCrmClient } from '../crm/crm.client';
import { TypeormLeadQueueRepository } from '../leads/lead-queue.repository';
import { CdrReporter } from './cdr-reporter.service';
import { TypeormDialerCallRepository } from './dialer-call.repository';

/** Monday 15:00 in London: inside the fixtures' campaign window. */
const NOW = new Date('2026-11-23T15:00:00.000Z');

class ManualClock extends Clock {
  t = NOW.getTime();
  now(): Date {
    return new Date(this.t);
  }
}

/** The real client behind a switch, counting what passes, to see when the reporter tries. */
class SwitchableCrm extends CrmClient {
  sends = 0;
  constructor(public target: CrmClient) {
    super();
  }
  dialTarget(leadId: string, campaignId: string, callId: string): Promise<DialTarget> {
    return this.target.dialTarget(leadId, campaignId, callId);
  }
  sendCallRecord(cdr: CallRecordReport): Promise<void> {
    this.sends += 1;
    return this.target.sendCallRecord(cdr);
  }
}

describe('CdrReporter: the dialer’s call records reach a real crm-api', () => {
  let h: CrmApiHarness;
  let ds: DataSource;
  let calls: TypeormDialerCallRepository;
  let leads: TypeormLeadQueueRepository;
  let campaignId: string;
  let good: HttpCrmClient;
  let down: HttpCrmClient;

  beforeAll(async () => {
    h = await CrmApiHarness.start();
    await h.app.listen(0, '127.0.0.1');
    const tokens = new TokenService(h.config.auth);
    good = new HttpCrmClient({ baseUrl: `http://127.0.0.1:${(h.app.getHttpServer().address() as AddressInfo).port}` }, tokens);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    down = new HttpCrmClient({ baseUrl: `http://127.0.0.1:${port}` }, tokens);

    // The dialer's own connection to the database it shares with the CRM.
    ds = await h.db.connect();
    calls = new TypeormDialerCallRepository(ds);
    leads = new TypeormLeadQueueRepository(ds, { timezoneCacheMs: 0 });
    campaignId = await createCampaign(h, await h.signIn(await h.createUser(Role.Manager)));
  });
  afterAll(async () => {
    await h.stop();
  });

  /** Reserves the campaign's new leads and runs one call per lead to its end, as the orchestrator does. */
  const placeCalls = async (count: number, outcome: 'no_answer' | 'answered' = 'no_answer') => {
    await seedLeads(h, campaignId, Array.from({ length: count }, () => personFields()));
    const campaign = (await new TypeormDialCampaignRepository(ds).findById(campaignId))!;
    const reserved = await leads.reserve(campaign, count, { instanceId: 'dialer-cdr', now: NOW });
    expect(reserved).toHaveLength(count);
    const agentId = (await h.createUser(Role.Agent)).id;
    const callIds: string[] = [];
    for (const [i, lead] of reserved.entries()) {
      const callId = randomUUID();
      const start = new Date(NOW.getTime() + i * 1000);
      await calls.open({ callId, instanceId: 'dialer-cdr', campaignId, leadId: lead.leadId, agentId: null, dialMode: 'progressive', startedAt: start });
      await calls.markRinging(callId, new Date(start.getTime() + 500), 'trunk-a');
      if (outcome === 'answered') {
        await calls.markAnswered(callId, new Date(start.getTime() + 5000));
        await calls.markBridged(callId, new Date(start.getTime() + 5500), agentId);
      }
      const endedAt = new Date(start.getTime() + 30_000);
      await calls.close(callId, { endedAt, outcome, sipStatus: outcome === 'answered' ? 200 : 480, trunk: null, recordingId: null });
      await leads.settle(lead.leadId, 'dialer-cdr', campaign, { outcome, at: endedAt, agentId: outcome === 'answered' ? agentId : null });
      callIds.push(callId);
    }
    return { callIds, leadIds: reserved.map((l) => l.leadId), agentId };
  };
  const crmRecords = (callIds: string[]) =>
    h.db.sql<Array<Record<string, unknown>>>('SELECT * FROM call_records WHERE call_id IN (?) ORDER BY started_at', [callIds]);
  const unreportedOf = async (callIds: string[]) => (await calls.unreported(1000)).filter((c) => callIds.includes(c.callId)).map((c) => c.callId);

  it('sends every ended call once; the CRM records them as they happened and counts no second attempt', async () => {
    const clock = new ManualClock();
    const reporter = new CdrReporter(calls, good, clock);
    await reporter.flush(); // whatever earlier tests left
    const { callIds, leadIds, agentId } = await placeCalls(3, 'answered');

    expect(await reporter.flush()).toEqual({ sent: 3, refused: 0, deferred: false });
    const records = await crmRecords(callIds);
    expect(records.map((r) => r.call_id)).toEqual(callIds);
    expect(records[0]).toMatchObject({ lead_id: leadIds[0], campaign_id: campaignId, agent_id: agentId, outcome: 'answered', sip_status: 200, trunk: 'trunk-a' });
    expect((records[0].answered_at as Date).toISOString()).toBe('2026-11-23T15:00:05.000Z');
    expect((records[0].ended_at as Date).toISOString()).toBe('2026-11-23T15:00:30.000Z');
    for (const callId of callIds) expect((await calls.find(callId))?.reportedAt).toEqual(NOW);
    // One attempt per call: the dialer counted it; the CRM recorded the outcome only.
    const states = await h.db.sql<Array<{ attempts: number; last_outcome: string; status: string; assigned_agent_id: string }>>(
      'SELECT attempts, last_outcome, status, assigned_agent_id FROM leads WHERE id IN (?)',
      [leadIds],
    );
    expect(states).toEqual(leadIds.map(() => ({ attempts: 1, last_outcome: 'answered', status: 'in_progress', assigned_agent_id: agentId })));

    expect(await reporter.flush()).toEqual({ sent: 0, refused: 0, deferred: false });
    // Sent again (a crash between the send and the mark): still one record, still one attempt.
    await h.db.sql('UPDATE dialer_calls SET reported_at = NULL WHERE call_id = ?', [callIds[1]]);
    expect(await reporter.flush()).toEqual({ sent: 1, refused: 0, deferred: false });
    expect(await crmRecords(callIds)).toHaveLength(3);
    expect((await h.db.sql<Array<{ attempts: number }>>('SELECT attempts FROM leads WHERE id = ?', [leadIds[1]]))[0].attempts).toBe(1);
  });

  it('keeps records while the CRM is down, backs off, and delivers them once it is back', async () => {
    const clock = new ManualClock();
    const crm = new SwitchableCrm(down);
    const reporter = new CdrReporter(calls, crm, clock);
    const { callIds } = await placeCalls(2);

    expect(await reporter.flush()).toEqual({ sent: 0, refused: 0, deferred: true });
    expect(crm.sends).toBe(1);
    expect(await unreportedOf(callIds)).toEqual(callIds);
    // Within the backoff nothing is tried; after it, one try, and the next wait is longer.
    expect((await reporter.flush()).deferred).toBe(true);
    expect(crm.sends).toBe(1);
    clock.t += 1000;
    await reporter.flush();
    expect(crm.sends).toBe(2);
    clock.t += 1000;
    await reporter.flush();
    expect(crm.sends).toBe(2);
    // Shutdown forces one last try whatever the backoff.
    await reporter.flush({ force: true });
    expect(crm.sends).toBe(3);

    crm.target = good;
    clock.t += 60_000;
    expect(await reporter.flush()).toMatchObject({ sent: expect.any(Number), deferred: false });
    expect(await unreportedOf(callIds)).toEqual([]);
    expect(await crmRecords(callIds)).toHaveLength(2);
  });

  it('a record the CRM refuses goes behind the others, which are still delivered', async () => {
    const clock = new ManualClock();
    const reporter = new CdrReporter(calls, good, clock);
    await reporter.flush();
    // A call whose lead is not in the call's campaign: the CRM answers 400.
    const [stray] = await seedLeads(h, await createCampaign(h, await h.signIn(await h.createUser(Role.Manager))), [personFields()]);
    const bad = randomUUID();
    await h.db.sql(
      `INSERT INTO dialer_calls (call_id, instance_id, campaign_id, lead_id, dial_mode, state, started_at, ended_at, outcome)
       VALUES (?, 'dialer-cdr', ?, ?, 'predictive', 'ended', ?, ?, 'busy')`,
      [bad, campaignId, stray, new Date(NOW.getTime() - 60_000), new Date(NOW.getTime() - 50_000)],
    );
    const { callIds } = await placeCalls(2);

    expect(await reporter.flush()).toEqual({ sent: 2, refused: 1, deferred: false });
    expect(await crmRecords(callIds)).toHaveLength(2);
    expect(await calls.find(bad)).toMatchObject({ reportedAt: null, reportAttempts: 1 });
    expect(await reporter.flush()).toEqual({ sent: 0, refused: 1, deferred: false });
    expect(await calls.find(bad)).toMatchObject({ reportAttempts: 2 });
  });
});
