import { Role } from '@app/domain';
import { CrmApiHarness, SignedIn, TestUser } from '../../utils/crm-api-harness';
import { addAgents, assignLead, createCampaign, personFields, seedLeads } from '../../utils/crm-fixtures';

const THRESHOLD = 2;
const WEBHOOK = 'https://alerts.example.test/hooks/security';

interface WebhookCall {
  url: string;
  init: RequestInit;
}

/**
 * Security alerts as admins see them, and the webhook. The webhook is caught at `fetch` (the app's
 * only way out to it) so the test needs no TLS server and sees exactly what would leave the building.
 */
describe('security alerts and the alert webhook (admin)', () => {
  let h: CrmApiHarness;
  let adminSession: SignedIn;
  let manager: SignedIn;
  let campaignId: string;
  let calls: WebhookCall[];
  let fetchSpy: jest.SpyInstance;
  let webhookAnswer: () => Promise<Response>;
  let onCall: () => void;
  const as = (s: SignedIn) => `Bearer ${s.accessToken}`;

  beforeAll(async () => {
    h = await CrmApiHarness.start({
      anomaly: { rules: [{ kind: 'lead_read', threshold: THRESHOLD, windowSeconds: 300 }], webhookUrl: WEBHOOK },
    });
    adminSession = await h.signIn(await h.createUser(Role.Admin));
    manager = await h.signIn(await h.createUser(Role.Manager));
    campaignId = await createCampaign(h, manager);
  });
  beforeEach(() => {
    calls = [];
    onCall = () => undefined;
    webhookAnswer = async () => new Response(null, { status: 204 });
    fetchSpy = jest.spyOn(global, 'fetch').mockImplementation(async (input: string | URL | Request, init?: RequestInit) => {
      calls.push({ url: String(input), init: init ?? {} });
      onCall();
      return webhookAnswer();
    });
  });
  afterEach(() => {
    fetchSpy.mockRestore();
  });
  afterAll(async () => {
    await h.stop();
  });

  /** An agent working one lead, signed in. */
  const workingAgent = async (firstName: string) => {
    const agent = await h.createUser(Role.Agent);
    await addAgents(h, manager, campaignId, [agent.id]);
    const person = personFields({ firstName });
    const [leadId] = await seedLeads(h, campaignId, [person]);
    await assignLead(h, leadId, agent.id);
    return { agent, session: await h.signIn(agent), leadId, person };
  };
  const webhookCalled = () => new Promise<void>((resolve) => (onCall = resolve));

  it('a parallel burst freezes once: one alert, one webhook call with ids and counts only', async () => {
    const { agent, session, leadId, person } = await workingAgent('Parallel');
    const called = webhookCalled();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => h.http().get(`/leads/${leadId}`).set('Authorization', as(session))),
    );
    const ok = answers.filter((r) => r.status === 200).length;
    expect(ok).toBeLessThanOrEqual(THRESHOLD);
    for (const r of answers.filter((a) => a.status !== 200)) expect(['account_frozen', 'unauthenticated']).toContain(r.body.error);
    await called;

    const alerts = await h.http().get('/admin/security/alerts').set('Authorization', as(adminSession)).expect(200);
    const mine = alerts.body.filter((a: { userId: string }) => a.userId === agent.id);
    expect(mine).toHaveLength(1);
    expect(await h.auditRows("action = 'security.freeze' AND target_id = ?", [agent.id])).toHaveLength(1);

    expect(calls).toHaveLength(1);
    expect(calls[0].url).toBe(WEBHOOK);
    expect(calls[0].init.method).toBe('POST');
    const payload = JSON.parse(String(calls[0].init.body)) as Record<string, unknown>;
    expect(Object.keys(payload).sort()).toEqual(['alertId', 'at', 'kind', 'observed', 'threshold', 'type', 'userId', 'windowSeconds']);
    expect(payload).toMatchObject({ type: 'security.alert', alertId: mine[0].id, userId: agent.id, kind: 'lead_read', threshold: THRESHOLD });
    const raw = String(calls[0].init.body);
    for (const secret of [agent.username, person.phone, person.phone.slice(-6), 'Parallel', person.email ?? '', person.nationalId ?? '']) {
      expect(raw).not.toContain(secret);
    }
  });

  it('a failing webhook neither delays nor undoes the freeze', async () => {
    const { agent, session, leadId } = await workingAgent('Failing');
    webhookAnswer = async () => {
      throw new TypeError('fetch failed');
    };
    const called = webhookCalled();
    for (let i = 0; i < THRESHOLD; i++) await h.http().get(`/leads/${leadId}`).set('Authorization', as(session)).expect(200);
    const breach = await h.http().get(`/leads/${leadId}`).set('Authorization', as(session)).expect(403);
    expect(breach.body.error).toBe('account_frozen');
    await called;
    const [user] = await h.db.sql<Array<{ frozen_at: Date | null }>>('SELECT frozen_at FROM users WHERE id = ?', [agent.id]);
    expect(user.frozen_at).not.toBeNull();
    const alerts = await h.http().get('/admin/security/alerts').set('Authorization', as(adminSession)).expect(200);
    expect(alerts.body.filter((a: { userId: string }) => a.userId === agent.id)).toHaveLength(1);
  });

  it('only admins list alerts or unfreeze; unfreezing a user who is not frozen is a conflict', async () => {
    const { agent } = await workingAgent('Calm');
    const agentSession = await h.signIn(agent);
    for (const session of [manager, agentSession]) {
      await h.http().get('/admin/security/alerts').set('Authorization', as(session)).expect(403);
      await h.http().post(`/admin/security/users/${agent.id}/unfreeze`).set('Authorization', as(session)).expect(403);
    }
    await h.http().post(`/admin/security/users/${agent.id}/unfreeze`).set('Authorization', as(adminSession)).expect(409);
    expect(calls).toHaveLength(0);
  });
});
