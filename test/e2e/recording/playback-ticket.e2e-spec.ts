import { Role } from '@app/domain';
import { SignedIn, TestUser } from '../../utils/crm-api-harness';
import { RecordingHarness } from './recording-harness';

function binary(res: NodeJS.EventEmitter, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
  res.on('error', (error: Error) => cb(error, Buffer.concat(chunks)));
}

/**
 * A browser <audio> element cannot send a bearer token: it gets a playback ticket instead, bound to
 * one user's session and one recording, for a minute, with Range and every play audited as the user.
 */
describe('recording: playback tickets for the browser player', () => {
  let h: RecordingHarness;
  let qa: { user: TestUser; session: SignedIn };
  let agent: { user: TestUser; session: SignedIn };
  let otherAgent: { user: TestUser; session: SignedIn };
  let recordingId: string;
  let otherRecordingId: string;
  let wav: Buffer;

  const ticketFor = (id: string, session: SignedIn) =>
    h.http().post(`/recordings/${id}/playback-ticket`).set('Authorization', `Bearer ${session.accessToken}`);
  const play = (id: string, ticket: string | null, range?: string) => {
    const req = h.http().get(`/recordings/${id}/playback`).buffer(true).parse(binary);
    if (ticket !== null) req.query({ ticket });
    return range ? req.set('Range', range) : req;
  };

  beforeAll(async () => {
    h = await RecordingHarness.start(4096, '', { shareClock: true });
    qa = await h.user(Role.Qa);
    agent = await h.user(Role.Agent);
    otherAgent = await h.user(Role.Agent);
    const campaignId = await h.campaign({ agentPlayback: true, agents: [agent.user.id, otherAgent.user.id] });
    ({ recordingId } = await h.recordCall(campaignId, agent.user.id, { seconds: 3 }));
    ({ recordingId: otherRecordingId } = await h.recordCall(campaignId, otherAgent.user.id, { seconds: 1 }));
    wav = (
      await h.http().get(`/recordings/${recordingId}/audio`).set('Authorization', `Bearer ${qa.session.accessToken}`).buffer(true).parse(binary).expect(200)
    ).body as Buffer;
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('issues an opaque ticket valid for at most a minute, audited, and needs a bearer token to get one', async () => {
    const res = await ticketFor(recordingId, qa.session).expect(201);
    expect(res.body.ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const lifetime = new Date(res.body.expiresAt).getTime() - h.crm.clock.now().getTime();
    expect(lifetime).toBeGreaterThan(0);
    expect(lifetime).toBeLessThanOrEqual(60_000);
    expect(res.body.url).toBe(`recordings/${recordingId}/playback?ticket=${res.body.ticket}`);
    const audited = await h.crm.auditRows(`action = 'recording.playback_ticket' AND actor_id = ? AND outcome = 'success'`, [qa.user.id]);
    expect(audited).toHaveLength(1);
    expect(JSON.stringify(audited)).not.toContain(res.body.ticket);
    await h.http().post(`/recordings/${recordingId}/playback-ticket`).expect(401);
  });

  it('plays with the ticket instead of a bearer token, with Range (206) and 416, each request audited as the ticket’s user', async () => {
    const { ticket } = (await ticketFor(recordingId, qa.session).expect(201)).body as { ticket: string };
    const whole = await play(recordingId, ticket).expect(200);
    expect((whole.body as Buffer).equals(wav)).toBe(true);
    expect(whole.headers['content-type']).toBe('audio/wav');
    const part = await play(recordingId, ticket, 'bytes=100-199').expect(206);
    expect(part.headers['content-range']).toBe(`bytes 100-199/${wav.length}`);
    expect((part.body as Buffer).equals(wav.subarray(100, 200))).toBe(true);
    const seek = await play(recordingId, ticket, 'bytes=20000-').expect(206);
    expect((seek.body as Buffer).equals(wav.subarray(20000))).toBe(true);
    const beyond = await play(recordingId, ticket, `bytes=${wav.length}-`).expect(416);
    expect(beyond.headers['content-range']).toBe(`bytes */${wav.length}`);
    const plays = await h.crm.auditRows(`action = 'recording.play' AND outcome = 'success' AND actor_id = ? AND target_id = ?`, [qa.user.id, recordingId]);
    // One bearer play in beforeAll, three ticket plays here (the 416 plays nothing).
    expect(plays).toHaveLength(4);
    expect(plays.every((r) => r.actor_role === 'qa')).toBe(true);
  });

  it('refuses a missing or made-up ticket (401), audited', async () => {
    await play(recordingId, null).expect(401);
    await play(recordingId, 'x'.repeat(43)).expect(401);
    const denied = await h.crm.auditRows(`action = 'recording.play' AND outcome = 'denied' AND actor_type = 'anonymous' AND target_id = ?`, [recordingId]);
    expect(denied.length).toBeGreaterThanOrEqual(2);
  });

  it('refuses a ticket on another recording than the one it was issued for', async () => {
    const { ticket } = (await ticketFor(recordingId, qa.session).expect(201)).body as { ticket: string };
    await play(otherRecordingId, ticket, 'bytes=0-9').expect(401);
    await play(recordingId, ticket, 'bytes=0-9').expect(206);
  });

  it('refuses a ticket once it expired, including one that was used before', async () => {
    const { ticket } = (await ticketFor(recordingId, qa.session).expect(201)).body as { ticket: string };
    await play(recordingId, ticket, 'bytes=0-9').expect(206);
    h.crm.clock.advance(59_000);
    await play(recordingId, ticket, 'bytes=10-19').expect(206);
    h.crm.clock.advance(1_001);
    await play(recordingId, ticket, 'bytes=0-9').expect(401);
    const expired = await h.crm.auditRows(`action = 'recording.play' AND outcome = 'denied' AND actor_id = ?`, [qa.user.id]);
    expect(expired.length).toBeGreaterThanOrEqual(1);
  });

  it('gives no ticket to a user who may not play the recording; tickets are bound to their user’s session', async () => {
    // The other agent may not play the agent's call: no ticket, and the refusal is audited.
    await ticketFor(recordingId, otherAgent.session).expect(404);
    expect(await h.crm.auditRows(`action = 'recording.playback_ticket' AND outcome = 'denied' AND actor_id = ?`, [otherAgent.user.id])).toHaveLength(1);
    // A ticket of the other agent for their own call does not open the agent's call.
    const own = (await ticketFor(otherRecordingId, otherAgent.session).expect(201)).body as { ticket: string };
    await play(recordingId, own.ticket, 'bytes=0-9').expect(401);
    await play(otherRecordingId, own.ticket, 'bytes=0-9').expect(206);
    // The agent's ticket stops working when the agent's session ends (logout), before it expires.
    const mine = (await ticketFor(recordingId, agent.session).expect(201)).body as { ticket: string };
    await play(recordingId, mine.ticket, 'bytes=0-9').expect(206);
    await h.crm.http().post('/auth/logout').set('Authorization', `Bearer ${agent.session.accessToken}`).expect(204);
    await play(recordingId, mine.ticket, 'bytes=0-9').expect(401);
  });

  it('searches recordings by date and duration (what the console’s QA search offers)', async () => {
    const search = (query: Record<string, string | number>) =>
      h.http().get('/recordings').query(query).set('Authorization', `Bearer ${qa.session.accessToken}`).expect(200);
    const ids = (res: { body: Array<{ id: string }> }) => res.body.map((r) => r.id).sort();
    expect(ids(await search({ minDurationSeconds: 2 }))).toEqual([recordingId]);
    expect(ids(await search({ maxDurationSeconds: 2 }))).toEqual([otherRecordingId]);
    expect(ids(await search({ from: '2000-01-01T00:00:00Z' }))).toEqual([recordingId, otherRecordingId].sort());
    expect(ids(await search({ to: '2000-01-01T00:00:00Z' }))).toEqual([]);
    await h.http().get('/recordings').query({ from: 'yesterday' }).set('Authorization', `Bearer ${qa.session.accessToken}`).expect(400);
  });

  it('re-checks access when the ticket is used: a frozen account’s ticket stops working', async () => {
    const { ticket } = (await ticketFor(otherRecordingId, otherAgent.session).expect(201)).body as { ticket: string };
    await h.crm.db.sql('UPDATE users SET frozen_at = NOW(3) WHERE id = ?', [otherAgent.user.id]);
    await play(otherRecordingId, ticket, 'bytes=0-9').expect(401);
  });
});
