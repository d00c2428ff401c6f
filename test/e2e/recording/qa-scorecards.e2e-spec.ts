import { Role } from '@app/domain';
import { SignedIn, TestUser } from '../../utils/crm-api-harness';
import { RecordingHarness } from './recording-harness';

describe('QA scorecards: templates, scores with timed comments, summaries per agent and campaign', () => {
  let h: RecordingHarness;
  let qa: { user: TestUser; session: SignedIn };
  let manager: { user: TestUser; session: SignedIn };
  let otherManager: { user: TestUser; session: SignedIn };
  let agentId: string;
  let campaignId: string;
  let recordingId: string;

  const as = (session: SignedIn) => ({
    get: (path: string) => h.http().get(path).set('Authorization', `Bearer ${session.accessToken}`),
    post: (path: string) => h.http().post(path).set('Authorization', `Bearer ${session.accessToken}`),
  });

  beforeAll(async () => {
    h = await RecordingHarness.start();
    qa = await h.user(Role.Qa);
    manager = await h.user(Role.Manager);
    otherManager = await h.user(Role.Manager);
    agentId = (await h.crm.createUser(Role.Agent)).id;
    campaignId = await h.campaign({ agentPlayback: false, managers: [manager.user.id], agents: [agentId] });
    ({ recordingId } = await h.recordCall(campaignId, agentId, { seconds: 2 }));
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('QA define a template and score a recording; managers read the score and the summaries of their campaigns only', async () => {
    const template = await as(qa.session)
      .post('/qa/scorecards')
      .send({
        name: 'Outbound basics',
        criteria: [
          { key: 'greeting', label: 'Greeting', weight: 1, maxPoints: 5 },
          { key: 'compliance', label: 'Compliance script', weight: 3, maxPoints: 10 },
        ],
      })
      .expect(201);
    const score = await as(qa.session)
      .post(`/recordings/${recordingId}/scores`)
      .send({
        templateId: template.body.id,
        answers: [
          { key: 'greeting', points: 5 },
          { key: 'compliance', points: 5 },
        ],
        comments: [{ atMs: 1200, text: 'Disclosure read too fast' }],
      })
      .expect(201);
    expect(score.body).toMatchObject({ total: 62.5, agentUserId: agentId, campaignId, comments: [{ atMs: 1200, text: 'Disclosure read too fast' }] });

    const read = await as(manager.session).get(`/recordings/${recordingId}/scores`).expect(200);
    expect(read.body.map((s: { total: number }) => s.total)).toEqual([62.5]);
    await as(otherManager.session).get(`/recordings/${recordingId}/scores`).expect(404);

    const byAgent = await as(manager.session).get('/qa/scores/summary?by=agent').expect(200);
    expect(byAgent.body).toEqual([{ key: agentId, scores: 1, average: 62.5 }]);
    const byCampaign = await as(qa.session).get('/qa/scores/summary?by=campaign').expect(200);
    expect(byCampaign.body).toEqual([{ key: campaignId, scores: 1, average: 62.5 }]);
    expect((await as(otherManager.session).get('/qa/scores/summary?by=agent').expect(200)).body).toEqual([]);
  });

  it('refuses answers that do not fit, comments past the end, and scoring by managers', async () => {
    const template = await as(qa.session)
      .post('/qa/scorecards')
      .send({ name: 'One', criteria: [{ key: 'a', label: 'A', weight: 1, maxPoints: 3 }] })
      .expect(201);
    const bad = await as(qa.session)
      .post(`/recordings/${recordingId}/scores`)
      .send({ templateId: template.body.id, answers: [{ key: 'a', points: 4 }], comments: [] })
      .expect(400);
    expect(bad.body.error).toBe('qa_invalid_answers');
    const late = await as(qa.session)
      .post(`/recordings/${recordingId}/scores`)
      .send({ templateId: template.body.id, answers: [{ key: 'a', points: 1 }], comments: [{ atMs: 3_600_000, text: 'x' }] })
      .expect(400);
    expect(late.body.error).toBe('qa_comment_outside_recording');
    await as(manager.session)
      .post(`/recordings/${recordingId}/scores`)
      .send({ templateId: template.body.id, answers: [{ key: 'a', points: 1 }], comments: [] })
      .expect(403);
  });
});
