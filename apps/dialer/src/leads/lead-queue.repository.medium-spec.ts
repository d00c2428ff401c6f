import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createTestDatabase, TestDatabase } from '../../../../test/utils/test-database';
import { LeadNotHeldError, TypeormDialerCallRepository } from '../calls/dialer-call.repository';
import { DialCampaign, TypeormDialCampaignRepository } from '../campaigns/dial-campaign.repository';
import { insertCallback, insertCampaign, insertDnc, insertLead, insertLeads, leadState, CampaignFixture } from './lead-queue.fixtures';
import { ReservedLead, TypeormLeadQueueRepository } from './lead-queue.repository';

/** Monday 23 November 2026, 15:00 in London, midnight (Tuesday) in Tokyo. */
const NOW = new Date('2026-11-23T15:00:00.000Z');
const MIN = 60_000;
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);

describe('TypeormLeadQueueRepository (two dialer instances on one MariaDB)', () => {
  let db: TestDatabase;
  let dsA: DataSource;
  let dsB: DataSource;
  let a: TypeormLeadQueueRepository;
  let b: TypeormLeadQueueRepository;
  let calls: TypeormDialerCallRepository;
  let campaigns: TypeormDialCampaignRepository;

  beforeAll(async () => {
    db = await createTestDatabase('dq');
    dsA = await db.connect();
    dsB = await db.connect();
    a = new TypeormLeadQueueRepository(dsA, { timezoneCacheMs: 0 });
    b = new TypeormLeadQueueRepository(dsB, { timezoneCacheMs: 0 });
    calls = new TypeormDialerCallRepository(dsA);
    campaigns = new TypeormDialCampaignRepository(dsA);
  });
  afterAll(async () => {
    await db.drop();
  });

  const campaign = async (overrides: Partial<CampaignFixture> = {}): Promise<DialCampaign> =>
    (await campaigns.findById(await insertCampaign(db, overrides)))!;
  const ids = (leads: ReservedLead[]) => leads.map((l) => l.leadId);
  const sorted = (list: string[]) => [...list].sort();

  it('never gives one lead to two instances reserving at once, and leaves no dialable lead behind', async () => {
    const c = await campaign();
    const london = await insertLeads(db, c.id, 200);
    const tokyo = await insertLeads(db, c.id, 20, { timezone: 'Asia/Tokyo' });

    const drain = async (repo: TypeormLeadQueueRepository, instanceId: string) => {
      const got: string[] = [];
      let rounds = 0;
      for (;;) {
        const batch = await repo.reserve(c, 1 + (rounds++ % 7), { instanceId, now: NOW });
        if (batch.length === 0) return got;
        got.push(...ids(batch));
      }
    };
    const [gotA, gotB] = await Promise.all([drain(a, 'dialer-a'), drain(b, 'dialer-b')]);
    // Both loops stop once they see nothing free; a lead locked by the other at that moment was reserved by it.
    const rest = ids(await a.reserve(c, 1000, { instanceId: 'dialer-a', now: NOW }));
    expect(rest).toEqual([]);

    const all = [...gotA, ...gotB];
    expect(new Set(all).size).toBe(all.length);
    expect(sorted(all)).toEqual(sorted(london));
    expect(gotA.length).toBeGreaterThan(0);
    expect(gotB.length).toBeGreaterThan(0);
    const rows = await db.sql<Array<{ id: string; status: string; reserved_by: string | null }>>(
      'SELECT id, status, reserved_by FROM leads WHERE campaign_id = ?',
      [c.id],
    );
    const holder = new Map(rows.map((r) => [r.id, r]));
    for (const id of gotA) expect(holder.get(id)).toMatchObject({ status: 'reserved', reserved_by: 'dialer-a' });
    for (const id of gotB) expect(holder.get(id)).toMatchObject({ status: 'reserved', reserved_by: 'dialer-b' });
    for (const id of tokyo) expect(holder.get(id)).toMatchObject({ status: 'new', reserved_by: null });
  });

  it('takes due callbacks first, then new leads, then due retries (a retry without a time is due)', async () => {
    const c = await campaign();
    const [retryOld, retryNewer, retryLater, retryUntimed] = [
      await insertLead(db, c.id, { status: 'retry', attempts: 1, nextAttemptAt: at(-120 * MIN) }),
      await insertLead(db, c.id, { status: 'retry', attempts: 1, nextAttemptAt: at(-60 * MIN) }),
      await insertLead(db, c.id, { status: 'retry', attempts: 1, nextAttemptAt: at(60 * MIN) }),
      await insertLead(db, c.id, { status: 'retry', attempts: 1, nextAttemptAt: null }),
    ];
    const fresh = await insertLeads(db, c.id, 2);
    const [cbLate, cbEarly, cbFuture] = [await insertLead(db, c.id), await insertLead(db, c.id), await insertLead(db, c.id)];
    const cbLateId = await insertCallback(db, c.id, cbLate, { dueAt: at(-30 * MIN) });
    const cbEarlyId = await insertCallback(db, c.id, cbEarly, { dueAt: at(-60 * MIN) });
    await insertCallback(db, c.id, cbFuture, { dueAt: at(30 * MIN) });

    const first = await a.reserve(c, 3, { instanceId: 'dialer-a', now: NOW });
    expect(first.map((l) => l.kind)).toEqual(['callback', 'callback', 'new']);
    expect(first[0]).toMatchObject({ leadId: cbEarly, callbackId: cbEarlyId, callbackAgentId: null, previousStatus: 'callback', attempts: 0 });
    expect(first[1]).toMatchObject({ leadId: cbLate, callbackId: cbLateId });

    const rest = await a.reserve(c, 20, { instanceId: 'dialer-a', now: NOW });
    expect(rest.map((l) => l.kind)).toEqual(['new', 'retry', 'retry', 'retry']);
    expect(sorted([first[2].leadId, rest[0].leadId])).toEqual(sorted(fresh));
    // Index order: a retry without a time (NULL) sorts first, then the longest due.
    expect(ids(rest.slice(1))).toEqual([retryUntimed, retryOld, retryNewer]);
    expect(rest[1]).toMatchObject({ previousStatus: 'retry', attempts: 1, callbackId: null, timezone: 'Europe/London' });
    expect((await leadState(db, retryLater)).status).toBe('retry');
    expect((await leadState(db, cbFuture)).status).toBe('callback');
  });

  it('gives an agent’s own callback only when choosing for that agent; open ones to anyone', async () => {
    const c = await campaign();
    const [agentX, agentY] = [randomUUID(), randomUUID()];
    const [mine, open, theirs] = [await insertLead(db, c.id), await insertLead(db, c.id), await insertLead(db, c.id)];
    await insertCallback(db, c.id, mine, { dueAt: at(-20 * MIN), agentId: agentX });
    await insertCallback(db, c.id, open, { dueAt: at(-10 * MIN) });
    await insertCallback(db, c.id, theirs, { dueAt: at(-30 * MIN), agentId: agentY });

    const ahead = await a.reserve(c, 10, { instanceId: 'dialer-a', now: NOW });
    expect(ids(ahead)).toEqual([open]);
    expect((await leadState(db, open)).assigned_agent_id).toBeNull();
    expect(await a.release(open, 'dialer-a')).toBe(true);

    const forX = await a.reserve(c, 10, { instanceId: 'dialer-a', now: NOW, agentId: agentX });
    expect(forX.map((l) => [l.leadId, l.callbackAgentId])).toEqual([
      [mine, agentX],
      [open, null],
    ]);
    // Reserved for an agent: assigned to them at once, so they can read the card (preview).
    expect(await leadState(db, mine)).toMatchObject({ status: 'reserved', assigned_agent_id: agentX });
    expect((await leadState(db, theirs)).status).toBe('callback');
  });

  it('only takes leads inside the calling window in their own time zones', async () => {
    const c = await campaign();
    const london = await insertLeads(db, c.id, 3);
    const tokyo = await insertLeads(db, c.id, 2, { timezone: 'Asia/Tokyo' });
    const [us] = await insertLeads(db, c.id, 1, { timezone: 'America/New_York,America/Los_Angeles' });
    const take = async (now: Date) => {
      const got = ids(await a.reserve(c, 50, { instanceId: 'dialer-a', now }));
      for (const id of got) await a.release(id, 'dialer-a');
      return sorted(got);
    };

    expect(await take(NOW)).toEqual(sorted(london)); // 15:00 London; 00:00 Tokyo; 07:00 Los Angeles
    expect(await take(new Date('2026-11-23T01:00:00Z'))).toEqual(sorted(tokyo)); // 10:00 Monday in Tokyo
    expect(await take(new Date('2026-11-23T18:00:00Z'))).toEqual(sorted([...london, us])); // 10:00 in Los Angeles
    expect(await take(new Date('2026-11-22T15:00:00Z'))).toEqual([]); // Sunday everywhere

    const holiday = await campaign({ holidays: ['2026-11-23'] });
    await insertLeads(db, holiday.id, 2);
    expect(await a.reserve(holiday, 10, { instanceId: 'dialer-a', now: NOW })).toEqual([]);
  });

  it('skips numbers on the global or the campaign’s DNC list, not those on another campaign’s', async () => {
    const c = await campaign();
    const other = await campaign();
    const phones = ['a', 'b', 'c', 'd'].map((ch) => ch.repeat(64));
    const [global, listed, elsewhere, clean] = await Promise.all(phones.map((p) => insertLead(db, c.id, { phoneBidx: p })));
    await insertDnc(db, phones[0]);
    await insertDnc(db, phones[1], c.id);
    await insertDnc(db, phones[2], other.id);
    // A listed callback is skipped too.
    const cb = await insertLead(db, c.id, { phoneBidx: 'e'.repeat(64) });
    await insertCallback(db, c.id, cb, { dueAt: at(-MIN) });
    await insertDnc(db, 'e'.repeat(64));

    const got = ids(await a.reserve(c, 10, { instanceId: 'dialer-a', now: NOW }));
    expect(sorted(got)).toEqual(sorted([elsewhere, clean]));
    expect((await leadState(db, global)).status).toBe('new');
    expect((await leadState(db, listed)).status).toBe('new');
    expect((await leadState(db, cb)).status).toBe('callback');
  });

  it('requires recorded consent when the campaign does', async () => {
    const strict = await campaign({ consentRequired: true });
    const [consented] = await insertLeads(db, strict.id, 1, { consentBasis: 'consent' });
    await insertLeads(db, strict.id, 1, { consentBasis: 'contract' });
    await insertLeads(db, strict.id, 1, { consentBasis: null });
    expect(ids(await a.reserve(strict, 10, { instanceId: 'dialer-a', now: NOW }))).toEqual([consented]);

    const lax = await campaign({ consentRequired: false });
    const all = [
      ...(await insertLeads(db, lax.id, 1, { consentBasis: 'contract' })),
      ...(await insertLeads(db, lax.id, 1, { consentBasis: null })),
    ];
    expect(sorted(ids(await a.reserve(lax, 10, { instanceId: 'dialer-a', now: NOW })))).toEqual(sorted(all));
  });

  it('stops at max attempts, except for a callback the customer asked for', async () => {
    const c = await campaign({ maxAttempts: 3 });
    const left = await insertLead(db, c.id, { status: 'retry', attempts: 2, nextAttemptAt: at(-MIN) });
    await insertLead(db, c.id, { status: 'retry', attempts: 3, nextAttemptAt: at(-MIN) });
    await insertLead(db, c.id, { status: 'new', attempts: 3 });
    const promised = await insertLead(db, c.id, { attempts: 5 });
    await insertCallback(db, c.id, promised, { dueAt: at(-MIN) });
    expect(ids(await a.reserve(c, 10, { instanceId: 'dialer-a', now: NOW }))).toEqual([promised, left]);
  });

  it('does not call a number again while it is locked out after an abandoned call', async () => {
    const c = await campaign();
    await insertLead(db, c.id, { status: 'retry', attempts: 1, nextAttemptAt: at(-MIN), dialLockedUntil: at(MIN) });
    const free = await insertLead(db, c.id, { status: 'retry', attempts: 1, nextAttemptAt: at(-MIN), dialLockedUntil: at(-1000) });
    expect(ids(await a.reserve(c, 10, { instanceId: 'dialer-a', now: NOW }))).toEqual([free]);
  });

  it('release puts a lead back exactly as it was, with no attempt counted, and only for its holder', async () => {
    const c = await campaign();
    const agent = randomUUID();
    const fresh = await insertLead(db, c.id);
    const retry = await insertLead(db, c.id, { status: 'retry', attempts: 1, nextAttemptAt: at(-MIN) });
    const cb = await insertLead(db, c.id, { attempts: 1 });
    const callbackId = await insertCallback(db, c.id, cb, { dueAt: at(-MIN), agentId: agent });
    const got = await a.reserve(c, 10, { instanceId: 'dialer-a', now: NOW, agentId: agent });
    expect(sorted(ids(got))).toEqual(sorted([fresh, retry, cb]));

    expect(await b.release(fresh, 'dialer-b')).toBe(false);
    expect((await leadState(db, fresh)).status).toBe('reserved');

    for (const id of [fresh, retry, cb]) expect(await a.release(id, 'dialer-a')).toBe(true);
    expect(await leadState(db, fresh)).toMatchObject({ status: 'new', attempts: 0, reserved_by: null, reserved_at: null, assigned_agent_id: null });
    expect(await leadState(db, retry)).toMatchObject({ status: 'retry', attempts: 1, reserved_by: null, next_attempt_at: at(-MIN) });
    expect(await leadState(db, cb)).toMatchObject({ status: 'callback', attempts: 1, reserved_by: null });
    expect(await db.sql('SELECT status FROM callbacks WHERE id = ?', [callbackId])).toEqual([{ status: 'pending' }]);
    expect(await a.release(fresh, 'dialer-a')).toBe(false);
  });

  describe('settle', () => {
    let c: DialCampaign;
    beforeAll(async () => {
      c = await campaign({ maxAttempts: 3, retryDelays: { busy: 30, noAnswer: 60, machine: 120, failed: 240 } });
    });

    /** A lead reserved by dialer-a and a call opened for it (which counts the attempt). */
    const dialled = async (overrides: Parameters<typeof insertLead>[2] = {}) => {
      const leadId = await insertLead(db, c.id, overrides);
      await db.sql(`UPDATE leads SET status = 'reserved', reserved_by = 'dialer-a', reserved_at = ? WHERE id = ?`, [NOW, leadId]);
      await calls.open({ callId: randomUUID(), instanceId: 'dialer-a', campaignId: c.id, leadId, agentId: null, dialMode: 'predictive', startedAt: NOW });
      return leadId;
    };
    const end = at(MIN);

    it.each([
      ['busy', 30],
      ['no_answer', 60],
      ['machine', 120],
      ['failed', 240],
      ['carrier_error', 240],
      ['canceled', 240],
    ] as const)('%s: retried after the campaign’s delay for it (%i minutes)', async (outcome, minutes) => {
      const leadId = await dialled();
      expect(await a.settle(leadId, 'dialer-a', c, { outcome, at: end })).toMatchObject({ status: 'retry' });
      expect(await leadState(db, leadId)).toMatchObject({
        status: 'retry',
        attempts: 1,
        next_attempt_at: new Date(end.getTime() + minutes * MIN),
        reserved_by: null,
        reserved_at: null,
      });
    });

    it('the last allowed attempt ends the lead (done)', async () => {
      const leadId = await dialled({ status: 'retry', attempts: 2 });
      await a.settle(leadId, 'dialer-a', c, { outcome: 'no_answer', at: end });
      expect(await leadState(db, leadId)).toMatchObject({ status: 'done', attempts: 3, next_attempt_at: null });
    });

    it('answered: stays with the agent (in_progress) for their disposition; without an agent it is retried', async () => {
      const agent = randomUUID();
      const withAgent = await dialled();
      await a.settle(withAgent, 'dialer-a', c, { outcome: 'answered', at: end, agentId: agent });
      expect(await leadState(db, withAgent)).toMatchObject({ status: 'in_progress', assigned_agent_id: agent, attempts: 1, reserved_by: null });

      const nobody = await dialled();
      await a.settle(nobody, 'dialer-a', c, { outcome: 'answered', at: end, agentId: null });
      expect(await leadState(db, nobody)).toMatchObject({ status: 'retry', next_attempt_at: new Date(end.getTime() + 240 * MIN) });
    });

    it('invalid number: the lead is closed as invalid', async () => {
      const leadId = await dialled();
      await a.settle(leadId, 'dialer-a', c, { outcome: 'invalid_number', at: end });
      expect(await leadState(db, leadId)).toMatchObject({ status: 'invalid', next_attempt_at: null });
    });

    it('abandoned: locked out for 72 hours by default, or as told', async () => {
      const byDefault = await dialled();
      await a.settle(byDefault, 'dialer-a', c, { outcome: 'abandoned', at: end });
      const lock = new Date(end.getTime() + 72 * 3600_000);
      expect(await leadState(db, byDefault)).toMatchObject({ status: 'retry', dial_locked_until: lock, next_attempt_at: lock });

      const short = await dialled();
      await a.settle(short, 'dialer-a', c, { outcome: 'abandoned', at: end, abandonLockoutSeconds: 3600 });
      // The lockout is a minimum: the campaign's own delay still applies when it is longer.
      expect(await leadState(db, short)).toMatchObject({
        dial_locked_until: new Date(end.getTime() + 3600_000),
        next_attempt_at: new Date(end.getTime() + 240 * MIN),
      });
      // And a locked-out lead is not selected before the lockout ends, even when otherwise due.
      await db.sql('UPDATE leads SET next_attempt_at = ? WHERE id = ?', [NOW, byDefault]);
      const again = await a.reserve(c, 100, { instanceId: 'dialer-a', now: at(48 * 3600_000) });
      expect(ids(again)).not.toContain(byDefault);
      for (const l of again) await a.release(l.leadId, 'dialer-a');
    });

    it('marks the callback the call served as done', async () => {
      const leadId = await insertLead(db, c.id);
      const callbackId = await insertCallback(db, c.id, leadId, { dueAt: at(-MIN) });
      const [lead] = await a.reserve(c, 1, { instanceId: 'dialer-a', now: NOW });
      expect(lead).toMatchObject({ leadId, kind: 'callback', callbackId });
      await calls.open({ callId: randomUUID(), instanceId: 'dialer-a', campaignId: c.id, leadId, agentId: null, dialMode: 'predictive', startedAt: NOW });
      await a.settle(leadId, 'dialer-a', c, { outcome: 'busy', at: end });
      expect(await db.sql('SELECT status FROM callbacks WHERE id = ?', [callbackId])).toEqual([{ status: 'done' }]);
      expect(await leadState(db, leadId)).toMatchObject({ status: 'retry', attempts: 1 });
    });

    it('acts only for the holder, once; an agent’s disposition made during the call stands', async () => {
      const leadId = await dialled();
      expect(await b.settle(leadId, 'dialer-b', c, { outcome: 'busy', at: end })).toBeNull();
      expect((await leadState(db, leadId)).status).toBe('reserved');
      expect(await a.settle(leadId, 'dialer-a', c, { outcome: 'busy', at: end })).not.toBeNull();
      expect(await a.settle(leadId, 'dialer-a', c, { outcome: 'answered', at: end, agentId: randomUUID() })).toBeNull();
      expect((await leadState(db, leadId)).status).toBe('retry');

      const disposed = await dialled();
      await db.sql(`UPDATE leads SET status = 'done', assigned_agent_id = NULL WHERE id = ?`, [disposed]);
      expect(await a.settle(disposed, 'dialer-a', c, { outcome: 'answered', at: end, agentId: randomUUID() })).toBeNull();
      expect(await leadState(db, disposed)).toMatchObject({ status: 'done', reserved_by: null, assigned_agent_id: null });
    });

    it('opening a call counts the attempt, and refuses a lead this instance does not hold', async () => {
      const leadId = await insertLead(db, c.id);
      const callId = randomUUID();
      await expect(
        calls.open({ callId, instanceId: 'dialer-a', campaignId: c.id, leadId, agentId: null, dialMode: 'predictive', startedAt: NOW }),
      ).rejects.toBeInstanceOf(LeadNotHeldError);
      expect(await calls.find(callId)).toBeNull();
      expect((await leadState(db, leadId)).attempts).toBe(0);
    });
  });

  describe('recovery of a dead instance', () => {
    // The other tests' instances are alive: what they hold is not this describe's to take back.
    beforeEach(async () => {
      await a.heartbeat('dialer-a', NOW);
      await b.heartbeat('dialer-b', NOW);
    });

    it('releases leads it never called, closes its open calls as failed and settles their leads', async () => {
      const c = await campaign();
      await b.heartbeat('dialer-dead', at(-120_000));
      await a.heartbeat('dialer-live', NOW);
      const [idle, ringing, ended, survivor] = await insertLeads(db, c.id, 4);
      await db.sql(`UPDATE leads SET status = 'reserved', reserved_by = 'dialer-dead', reserved_at = ? WHERE id IN (?)`, [at(-90_000), [idle, ringing, ended]]);
      await db.sql(`UPDATE leads SET status = 'reserved', reserved_by = 'dialer-live', reserved_at = ? WHERE id = ?`, [NOW, survivor]);
      const ringingCall = randomUUID();
      const endedCall = randomUUID();
      const strayCall = randomUUID();
      const open = (callId: string, leadId: string | null) =>
        calls.open({ callId, instanceId: 'dialer-dead', campaignId: c.id, leadId, agentId: null, dialMode: 'predictive', startedAt: at(-80_000) });
      await open(ringingCall, ringing);
      await calls.markRinging(ringingCall, at(-79_000), 'trunk-a');
      await open(endedCall, ended);
      await calls.close(endedCall, { endedAt: at(-70_000), outcome: 'no_answer', sipStatus: 480, trunk: 'trunk-a', recordingId: null });
      await open(strayCall, null);

      const counts = await a.recoverDeadInstances(NOW, 30);
      expect(counts).toEqual({ instances: 1, released: 1, settled: 2, callsClosed: 2 });

      expect(await leadState(db, idle)).toMatchObject({ status: 'new', attempts: 0, reserved_by: null });
      expect(await leadState(db, ringing)).toMatchObject({ status: 'retry', attempts: 1, reserved_by: null, next_attempt_at: at(240 * MIN) });
      expect(await leadState(db, ended)).toMatchObject({ status: 'retry', attempts: 1, next_attempt_at: new Date(at(-70_000).getTime() + 60 * MIN) });
      expect(await leadState(db, survivor)).toMatchObject({ status: 'reserved', reserved_by: 'dialer-live' });
      expect(await calls.find(ringingCall)).toMatchObject({ state: 'ended', outcome: 'failed', endedAt: NOW, trunk: 'trunk-a' });
      expect(await calls.find(strayCall)).toMatchObject({ state: 'ended', outcome: 'failed' });
      expect(await calls.find(endedCall)).toMatchObject({ state: 'ended', outcome: 'no_answer' });
      expect(await db.sql(`SELECT id FROM dialer_instances WHERE id = 'dialer-dead'`)).toEqual([]);

      expect(await a.recoverDeadInstances(NOW, 30)).toEqual({ instances: 0, released: 0, settled: 0, callsClosed: 0 });
    });

    it('treats an instance that never heartbeated as dead; two recoverers take each lead back once', async () => {
      const c = await campaign();
      const leads = await insertLeads(db, c.id, 30);
      await db.sql(`UPDATE leads SET status = 'reserved', reserved_by = 'dialer-ghost', reserved_at = ? WHERE id IN (?)`, [at(-60_000), leads]);
      const [ra, rb] = await Promise.all([a.recoverDeadInstances(NOW, 30), b.recoverDeadInstances(NOW, 30)]);
      expect(ra.released + rb.released).toBe(30);
      const states = await db.sql<Array<{ status: string; n: number }>>(
        'SELECT status, COUNT(*) AS n FROM leads WHERE id IN (?) GROUP BY status',
        [leads],
      );
      expect(states.map((s) => [s.status, Number(s.n)])).toEqual([['new', 30]]);
    });

    it('a restarted instance takes back what its earlier life held, then registers', async () => {
      const c = await campaign();
      const [held] = await insertLeads(db, c.id, 1);
      await db.sql(`UPDATE leads SET status = 'reserved', reserved_by = 'dialer-restart', reserved_at = ? WHERE id = ?`, [at(-5000), held]);
      await a.heartbeat('dialer-restart', at(-1000));
      const counts = await a.registerInstance('dialer-restart', NOW);
      expect(counts).toMatchObject({ released: 1, settled: 0, callsClosed: 0 });
      expect((await leadState(db, held)).status).toBe('new');
      expect(await db.sql(`SELECT started_at, heartbeat_at FROM dialer_instances WHERE id = 'dialer-restart'`)).toEqual([
        { started_at: NOW, heartbeat_at: NOW },
      ]);
      await a.heartbeat('dialer-restart', at(5000));
      expect(await db.sql(`SELECT started_at, heartbeat_at FROM dialer_instances WHERE id = 'dialer-restart'`)).toEqual([
        { started_at: NOW, heartbeat_at: at(5000) },
      ]);
    });
  });
});
