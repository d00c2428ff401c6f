import { Role } from '@app/domain';
import { SignedIn, TestUser } from '../../utils/crm-api-harness';
import { samplesOfWav } from './recording-fixtures';
import { RecordingHarness } from './recording-harness';

describe('recording key rotation: new version, rewrap, retire — with re-authentication, audited', () => {
  let h: RecordingHarness;
  let admin: { user: TestUser; session: SignedIn };
  let qa: { user: TestUser; session: SignedIn };
  let campaignId: string;
  let agentId: string;

  const as = (session: SignedIn) => ({
    get: (path: string) => h.http().get(path).set('Authorization', `Bearer ${session.accessToken}`),
    post: (path: string) => h.http().post(path).set('Authorization', `Bearer ${session.accessToken}`),
  });

  const keyVersionOf = async (id: string) =>
    Number((await h.crm.db.sql<Array<{ v: number }>>('SELECT key_version AS v FROM recordings WHERE id = ?', [id]))[0].v);

  beforeAll(async () => {
    h = await RecordingHarness.start(4096);
    admin = await h.user(Role.Admin);
    qa = await h.user(Role.Qa);
    const agent = await h.crm.createUser(Role.Agent);
    agentId = agent.id;
    campaignId = await h.campaign({ agentPlayback: false, agents: [agentId] });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('refuses changes without a recent re-authentication, and refuses non-admins', async () => {
    await as(admin.session).get('/keys/recordings/versions').expect(200);
    await h.crm.db.sql('UPDATE sessions SET reauth_at = UTC_TIMESTAMP(3) - INTERVAL 10 MINUTE WHERE id = ?', [admin.session.sessionId]);
    const res = await as(admin.session).post('/keys/recordings/versions').expect(403);
    expect(res.body.error).toBe('reauth_required');
    await as(qa.session).get('/keys/recordings/versions').expect(403);
    await as(qa.session).post('/keys/recordings/rewrap').expect(403);
  });

  it('rotates: old recordings are rewrapped without touching their files, the old version retires, everything still plays', async () => {
    const old = await h.recordCall(campaignId, agentId, { seconds: 1 });
    expect(await keyVersionOf(old.recordingId)).toBe(1);
    const fileBefore = require('node:fs').readFileSync(h.storeFile(old.recordingId)) as Buffer;

    await h.crm.reauth(admin.user, admin.session);
    const created = await as(admin.session).post('/keys/recordings/versions').expect(201);
    expect(created.body).toMatchObject({ keyId: 'recordings', version: 2, state: 'active' });

    const fresh = await h.recordCall(campaignId, agentId, { seconds: 1 });
    expect(await keyVersionOf(fresh.recordingId)).toBe(2);

    // Version 1 still wraps a data key: retiring it now would make that recording unreadable.
    const refused = await as(admin.session).post('/keys/recordings/versions/1/retire').expect(409);
    expect(refused.body.error).toBe('key_version_in_use');

    const rewrap = await as(admin.session).post('/keys/recordings/rewrap').expect(200);
    expect(rewrap.body).toEqual({ activeVersion: 2, rewrapped: 1, failed: 0 });
    expect(await keyVersionOf(old.recordingId)).toBe(2);
    expect((require('node:fs').readFileSync(h.storeFile(old.recordingId)) as Buffer).equals(fileBefore)).toBe(true);

    await as(admin.session).post('/keys/recordings/versions/1/retire').expect(204);
    await as(admin.session).post('/keys/recordings/versions/2/retire').expect(409); // the active one
    const versions = await as(admin.session).get('/keys/recordings/versions').expect(200);
    expect(versions.body.map((v: { version: number; state: string }) => [v.version, v.state])).toEqual([
      [1, 'retired'],
      [2, 'active'],
    ]);

    for (const { recordingId, expected } of [old, fresh]) {
      const res = await as(qa.session).get(`/recordings/${recordingId}/audio`).buffer(true).parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      }).expect(200);
      expect(Buffer.from(samplesOfWav(res.body as Buffer).buffer).equals(Buffer.from(expected.buffer))).toBe(true);
    }

    const actions = (await h.crm.auditRows(`action LIKE 'key.%'`)).map((r) => [r.action, r.outcome]);
    expect(actions).toEqual([
      ['key.version_create', 'success'],
      ['key.version_retire', 'failure'],
      ['key.rewrap', 'success'],
      ['key.version_retire', 'success'],
      ['key.version_retire', 'failure'],
    ]);
  });

  it('a recording still wrapped under a retired version is not played (key unavailable), never decrypted', async () => {
    const rec = await h.recordCall(campaignId, agentId, { seconds: 1 });
    await h.crm.db.sql(
      'UPDATE recordings SET key_version = 1 WHERE id = ?',
      [rec.recordingId],
    );
    const res = await as(qa.session).get(`/recordings/${rec.recordingId}/audio`).expect(503);
    expect(res.body.error).toBe('recording_key_unavailable');
  });
});
