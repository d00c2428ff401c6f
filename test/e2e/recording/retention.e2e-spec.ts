import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Role } from '@app/domain';
import { RetentionService } from '../../../apps/recording/src/recordings/retention.service';
import { SignedIn, TestUser } from '../../utils/crm-api-harness';
import { RecordingHarness } from './recording-harness';

describe('retention and legal hold', () => {
  let h: RecordingHarness;
  let admin: { user: TestUser; session: SignedIn };
  let qa: { user: TestUser; session: SignedIn };
  let campaignId: string;
  let agentId: string;

  beforeAll(async () => {
    h = await RecordingHarness.start();
    admin = await h.user(Role.Admin);
    qa = await h.user(Role.Qa);
    agentId = (await h.crm.createUser(Role.Agent)).id;
    campaignId = await h.campaign({ agentPlayback: false, agents: [agentId] }); // 30 days' retention
  });
  afterAll(async () => {
    await h?.stop();
  });

  const age = (id: string, days: number) =>
    h.crm.db.sql(`UPDATE recordings SET created_at = UTC_TIMESTAMP(3) - INTERVAL ? DAY WHERE id = ?`, [days, id]);

  it('destroys the data key and the file of recordings past retention, keeps held and recent ones, and audits it', async () => {
    const expired = await h.recordCall(campaignId, agentId, { seconds: 1 });
    const held = await h.recordCall(campaignId, agentId, { seconds: 1 });
    const recent = await h.recordCall(campaignId, agentId, { seconds: 1 });
    await age(expired.recordingId, 31);
    await age(held.recordingId, 31);
    await age(recent.recordingId, 29);

    const hold = () => h.http().post(`/recordings/${held.recordingId}/legal-hold`).set('Authorization', `Bearer ${admin.session.accessToken}`);
    await h.crm.db.sql('UPDATE sessions SET reauth_at = UTC_TIMESTAMP(3) - INTERVAL 10 MINUTE WHERE id = ?', [admin.session.sessionId]);
    await hold().send({ hold: true }).expect(403);
    await h.crm.reauth(admin.user, admin.session);
    await hold().send({ hold: true }).expect(204);

    expect(await h.app.get(RetentionService).purgeExpired()).toBe(1);

    const rows = await h.crm.db.sql<Array<{ id: string; status: string; wrapped_key: Buffer | null }>>(
      'SELECT id, status, wrapped_key FROM recordings WHERE id IN (?)',
      [[expired.recordingId, held.recordingId, recent.recordingId]],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(expired.recordingId)).toMatchObject({ status: 'deleted', wrapped_key: null });
    expect(byId.get(held.recordingId)?.status).toBe('committed');
    expect(byId.get(recent.recordingId)?.status).toBe('committed');
    expect(existsSync(h.storeFile(expired.recordingId))).toBe(false);
    expect(existsSync(h.storeFile(held.recordingId))).toBe(true);

    await h.http().get(`/recordings/${expired.recordingId}/audio`).set('Authorization', `Bearer ${qa.session.accessToken}`).expect(404);
    await h.http().get(`/recordings/${held.recordingId}/audio`).set('Authorization', `Bearer ${qa.session.accessToken}`).expect(200);
    expect((await h.crm.auditRows(`action = 'recording.delete' AND target_id = ?`, [expired.recordingId])).length).toBe(1);
    expect((await h.crm.auditRows(`action = 'recording.legal_hold_set' AND target_id = ?`, [held.recordingId])).length).toBe(1);

    // Erasure on request is refused while held; released from hold, it can be erased.
    const erase = () => h.http().delete(`/recordings/${held.recordingId}`).set('Authorization', `Bearer ${admin.session.accessToken}`);
    expect((await erase().expect(409)).body.error).toBe('recording_under_legal_hold');
    await hold().send({ hold: false }).expect(204);
    await erase().expect(204);
    await erase().expect(404);
    expect(existsSync(h.storeFile(held.recordingId))).toBe(false);
    expect((await h.crm.auditRows(`action = 'recording.delete' AND target_id = ?`, [held.recordingId])).length).toBe(1);
  });

  it('reconcile removes temporaries, files without a row and files of erased recordings, and keeps committed ones', async () => {
    const kept = await h.recordCall(campaignId, agentId, { seconds: 1 });
    const erased = await h.recordCall(campaignId, agentId, { seconds: 1 });
    await h.crm.db.sql(`UPDATE recordings SET wrapped_key = NULL, status = 'deleted' WHERE id = ?`, [erased.recordingId]);
    const orphan = randomUUID();
    writeFileSync(join(h.storage.storeDir, `${orphan}.rec`), Buffer.from('CCRA'));
    writeFileSync(join(h.storage.storeDir, `${randomUUID()}.tmp`), Buffer.from('CCRA'));

    expect(await h.ingest().reconcile()).toEqual({ temporariesRemoved: 1, orphansRemoved: 2 });
    const left = readdirSync(h.storage.storeDir);
    expect(left).toContain(`${kept.recordingId}.rec`);
    expect(left).not.toContain(`${erased.recordingId}.rec`);
    expect(left).not.toContain(`${orphan}.rec`);
    expect(left.filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(await h.ingest().reconcile()).toEqual({ temporariesRemoved: 0, orphansRemoved: 0 });
  });
});
