import { copyFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Role } from '@app/domain';
import { parseWavHeader } from '@app/recording-format';
import { SignedIn, TestUser } from '../../utils/crm-api-harness';
import { newCallId, samplesOfWav, toneCall, writeSpoolCall } from './recording-fixtures';
import { RecordingHarness } from './recording-harness';

const SEGMENT = 4096;
const STRIDE = SEGMENT + 28;

function binary(res: { on: (e: string, cb: (chunk?: Buffer) => void) => void } & NodeJS.EventEmitter, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk?: Buffer) => chunks.push(chunk!));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
  res.on('error', (error: Error) => cb(error, Buffer.concat(chunks)));
}

describe('recording: pcap → encrypted file → audited Range playback', () => {
  let h: RecordingHarness;
  let qa: { user: TestUser; session: SignedIn };
  let manager: { user: TestUser; session: SignedIn };
  let otherManager: { user: TestUser; session: SignedIn };
  let agent: { user: TestUser; session: SignedIn };
  let otherAgent: { user: TestUser; session: SignedIn };
  let recordingId: string;
  let expected: Int16Array;
  let wav: Buffer;
  let campaignId: string;

  const get = (path: string, session: SignedIn, range?: string) => {
    const req = h.http().get(path).set('Authorization', `Bearer ${session.accessToken}`).buffer(true).parse(binary);
    return range ? req.set('Range', range) : req;
  };

  beforeAll(async () => {
    h = await RecordingHarness.start(SEGMENT);
    // One after another: each sign-in moves the test clock to a fresh TOTP step.
    qa = await h.user(Role.Qa);
    manager = await h.user(Role.Manager);
    otherManager = await h.user(Role.Manager);
    agent = await h.user(Role.Agent);
    otherAgent = await h.user(Role.Agent);
    campaignId = await h.campaign({ agentPlayback: true, managers: [manager.user.id], agents: [agent.user.id, otherAgent.user.id] });
    await h.campaign({ agentPlayback: true, managers: [otherManager.user.id] });
    ({ recordingId, expected } = await h.recordCall(campaignId, agent.user.id, { seconds: 3, payloadType: 0, dropEvery: 10, agentDelayMs: 250 }));
    wav = (await get(`/recordings/${recordingId}/audio`, qa.session).expect(200)).body as Buffer;
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('decodes the tones into a stereo WAV equal to the signal sample by sample (customer left, agent right, loss as silence)', () => {
    expect(parseWavHeader(wav)).toEqual({ sampleRate: 8000, channels: 2, dataBytes: expected.length * 2 });
    const samples = samplesOfWav(wav);
    expect(samples.length).toBe(expected.length);
    let mismatches = 0;
    for (let i = 0; i < samples.length; i++) if (samples[i] !== expected[i]) mismatches++;
    expect(mismatches).toBe(0);
    // The agent leg starts 250 ms in: silence before it, tone after.
    expect(samples[(1999 * 2) + 1]).toBe(0);
    expect(samples.filter((_, i) => i % 2 === 1 && i > 2000 * 2).some((s) => s !== 0)).toBe(true);
  });

  it('keeps only ciphertext in the store and clears the spool once committed', async () => {
    expect(readdirSync(join(h.storage.spoolDir, 'pcaps'))).toEqual([]);
    expect(readdirSync(join(h.storage.spoolDir, 'metadata'))).toEqual([]);
    const files = readdirSync(h.storage.storeDir);
    expect(files).toEqual([`${recordingId}.rec`]);
    const file = readFileSync(h.storeFile(recordingId));
    expect(file.subarray(0, 4).toString()).toBe('CCRA');
    expect(file.includes(Buffer.from('RIFF'))).toBe(false);
    expect(file.includes(wav.subarray(44, 44 + 64))).toBe(false);
    const [row] = await h.crm.db.sql<Array<Record<string, unknown>>>('SELECT * FROM recordings WHERE id = ?', [recordingId]);
    expect(row).toMatchObject({ status: 'committed', codec: 'PCMU', key_id: 'recordings', key_version: 1, segment_bytes: SEGMENT });
    expect(Number(row.plaintext_bytes)).toBe(wav.length);
  });

  it('serves byte ranges (206) that equal the same bytes of the whole file, across segment borders', async () => {
    for (const [range, start, end] of [
      ['bytes=0-0', 0, 0],
      ['bytes=4000-13000', 4000, 13000],
      [`bytes=${SEGMENT}-${2 * SEGMENT - 1}`, SEGMENT, 2 * SEGMENT - 1],
      ['bytes=20000-', 20000, wav.length - 1],
      ['bytes=-100', wav.length - 100, wav.length - 1],
      [`bytes=${wav.length - 1}-${wav.length + 5000}`, wav.length - 1, wav.length - 1],
    ] as Array<[string, number, number]>) {
      const res = await get(`/recordings/${recordingId}/audio`, qa.session, range).expect(206);
      expect(res.headers['content-range']).toBe(`bytes ${start}-${end}/${wav.length}`);
      expect(res.headers['content-type']).toBe('audio/wav');
      expect(res.headers['accept-ranges']).toBe('bytes');
      expect(res.headers['cache-control']).toBe('no-store');
      expect((res.body as Buffer).equals(wav.subarray(start, end + 1))).toBe(true);
    }
  });

  it('answers 416 with the size for a range it cannot satisfy', async () => {
    for (const range of [`bytes=${wav.length}-`, 'bytes=500-100', 'bytes=0-1,4-5', 'bytes=-0']) {
      const res = await get(`/recordings/${recordingId}/audio`, qa.session, range).expect(416);
      expect(res.headers['content-range']).toBe(`bytes */${wav.length}`);
    }
  });

  it('audits every play with who, which recording and which range', async () => {
    await get(`/recordings/${recordingId}/audio`, manager.session, 'bytes=100-199').expect(206);
    const rows = await h.crm.auditRows(`action = 'recording.play' AND actor_id = ?`, [manager.user.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: 'success', target_type: 'recording', target_id: recordingId });
    const details = typeof rows[0].details === 'string' ? JSON.parse(rows[0].details as string) : rows[0].details;
    expect(details).toMatchObject({ rangeStart: 100, rangeEnd: 199 });
  });

  it('lets managers play their campaigns, agents their own calls; others get 404, and the refusal is audited', async () => {
    await get(`/recordings/${recordingId}/audio`, agent.session, 'bytes=0-9').expect(206);
    await get(`/recordings/${recordingId}/audio`, otherAgent.session, 'bytes=0-9').expect(404);
    await get(`/recordings/${recordingId}/audio`, otherManager.session, 'bytes=0-9').expect(404);
    await get(`/recordings/${recordingId}`, otherManager.session).expect(404);
    const denied = await h.crm.auditRows(`action = 'recording.play' AND outcome = 'denied' AND actor_id = ?`, [otherAgent.user.id]);
    expect(denied).toHaveLength(1);
  });

  it('refuses agents where the campaign does not allow agent playback, while they still see the metadata', async () => {
    const closed = await h.campaign({ agentPlayback: false, agents: [agent.user.id] });
    const { recordingId: id } = await h.recordCall(closed, agent.user.id, { seconds: 1 });
    await get(`/recordings/${id}`, agent.session).expect(200);
    await get(`/recordings/${id}/audio`, agent.session).expect(404);
  });

  it('lists only what the caller may see', async () => {
    const mine = await h.http().get('/recordings').set('Authorization', `Bearer ${otherAgent.session.accessToken}`).expect(200);
    expect(mine.body).toEqual([]);
    const managed = await h.http().get('/recordings').set('Authorization', `Bearer ${manager.session.accessToken}`).expect(200);
    expect(managed.body.map((r: { id: string }) => r.id)).toContain(recordingId);
    const other = await h.http().get('/recordings').set('Authorization', `Bearer ${otherManager.session.accessToken}`).expect(200);
    expect(other.body).toEqual([]);
  });

  it('serves downloads to managers as attachments, audited as downloads; QA may not download', async () => {
    const res = await get(`/recordings/${recordingId}/download`, manager.session).expect(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="recording-${recordingId}.wav"`);
    expect((res.body as Buffer).equals(wav)).toBe(true);
    expect(await h.crm.auditRows(`action = 'recording.download' AND actor_id = ?`, [manager.user.id])).toHaveLength(1);
    await get(`/recordings/${recordingId}/download`, qa.session).expect(403);
  });

  describe('a damaged file is refused, never played as garbage', () => {
    let original: Buffer;
    beforeAll(() => {
      original = readFileSync(h.storeFile(recordingId));
    });
    afterEach(() => {
      writeFileSync(h.storeFile(recordingId), original);
    });

    it('a flipped byte in the range asked for: 503 recording_integrity_failed, audited', async () => {
      const bad = Buffer.from(original);
      bad[64 + STRIDE + 100] ^= 0x01;
      writeFileSync(h.storeFile(recordingId), bad);
      const res = await get(`/recordings/${recordingId}/audio`, qa.session, `bytes=${SEGMENT}-${SEGMENT + 10}`).expect(503);
      expect(JSON.parse((res.body as Buffer).toString()).error).toBe('recording_integrity_failed');
      expect((await h.crm.auditRows(`action = 'recording.integrity_failure'`)).length).toBeGreaterThan(0);
      // A range that does not touch the damaged segment still plays.
      await get(`/recordings/${recordingId}/audio`, qa.session, 'bytes=0-99').expect(206);
    });

    it('a flipped byte later in the file: the transfer breaks off before the end instead of completing', async () => {
      const bad = Buffer.from(original);
      bad[64 + 5 * STRIDE + 7] ^= 0x80;
      writeFileSync(h.storeFile(recordingId), bad);
      let received = Buffer.alloc(0);
      let failed = false;
      try {
        const res = await get(`/recordings/${recordingId}/audio`, qa.session);
        received = res.body as Buffer;
      } catch {
        failed = true;
      }
      expect(failed || received.length < wav.length).toBe(true);
      expect(received.length).toBeLessThanOrEqual(5 * SEGMENT);
    });

    it('two segments swapped', async () => {
      const bad = Buffer.from(original);
      original.copy(bad, 64, 64 + STRIDE, 64 + 2 * STRIDE);
      original.copy(bad, 64 + STRIDE, 64, 64 + STRIDE);
      writeFileSync(h.storeFile(recordingId), bad);
      await get(`/recordings/${recordingId}/audio`, qa.session, 'bytes=0-10').expect(503);
    });

    it('a truncated file, even by one byte, and a missing file', async () => {
      writeFileSync(h.storeFile(recordingId), original.subarray(0, original.length - 1));
      await get(`/recordings/${recordingId}/audio`, qa.session, 'bytes=0-10').expect(503);
      writeFileSync(h.storeFile(recordingId), original.subarray(0, 64 + 3 * STRIDE));
      await get(`/recordings/${recordingId}/audio`, qa.session, 'bytes=0-10').expect(503);
      rmSync(h.storeFile(recordingId));
      await get(`/recordings/${recordingId}/audio`, qa.session, 'bytes=0-10').expect(503);
    });

    it('a play from first to last byte is checked against the SHA-256 taken at ingest: the last bytes are never sent', async () => {
      const [{ sha }] = await h.crm.db.sql<Array<{ sha: Buffer }>>('SELECT plaintext_sha256 AS sha FROM recordings WHERE id = ?', [recordingId]);
      await h.crm.db.sql('UPDATE recordings SET plaintext_sha256 = ? WHERE id = ?', [Buffer.alloc(32, 7), recordingId]);
      try {
        let received = Buffer.alloc(0);
        try {
          received = (await get(`/recordings/${recordingId}/audio`, qa.session)).body as Buffer;
        } catch {
          // a broken transfer is the expected outcome
        }
        expect(received.length).toBeLessThan(wav.length);
        // A partial range cannot be checked against the digest of the whole, and still plays.
        await get(`/recordings/${recordingId}/audio`, qa.session, 'bytes=0-99').expect(206);
      } finally {
        await h.crm.db.sql('UPDATE recordings SET plaintext_sha256 = ? WHERE id = ?', [sha, recordingId]);
      }
    });

    it("another recording's file in its place", async () => {
      const { recordingId: otherId } = await h.recordCall(campaignId, agent.user.id, { seconds: 1 });
      copyFileSync(h.storeFile(otherId), h.storeFile(recordingId));
      await get(`/recordings/${recordingId}/audio`, qa.session, 'bytes=0-10').expect(503);
    });
  });

  it('a call in an unsupported codec is recorded as such and has nothing to play', async () => {
    const callId = newCallId();
    await h
      .http()
      .post('/recordings/calls')
      .set('Authorization', `Bearer ${h.dialerToken()}`)
      .send({ callId, campaignId, agentUserId: agent.user.id, customerSsrc: 0x1111aaaa, startedAt: new Date().toISOString() })
      .expect(204);
    writeSpoolCall(h.storage.spoolDir, callId, toneCall({ seconds: 1, payloadType: 9 }).pcap);
    await h.ingest().ingestPending();
    const [row] = await h.crm.db.sql<Array<{ id: string; status: string; codec: string }>>('SELECT id, status, codec FROM recordings WHERE call_id = ?', [callId]);
    expect(row).toMatchObject({ status: 'unsupported_codec', codec: 'PT9' });
    const res = await get(`/recordings/${row.id}/audio`, qa.session).expect(409);
    expect(JSON.parse((res.body as Buffer).toString()).error).toBe('recording_not_playable');
  });

  it('A-law calls decode too', async () => {
    const { recordingId: id, expected: alaw } = await h.recordCall(campaignId, agent.user.id, { seconds: 1, payloadType: 8 });
    const res = await get(`/recordings/${id}/audio`, qa.session).expect(200);
    expect(Buffer.from(samplesOfWav(res.body as Buffer).buffer).equals(Buffer.from(alaw.buffer))).toBe(true);
  });

  it('only the dialer registers calls', async () => {
    await h
      .http()
      .post('/recordings/calls')
      .set('Authorization', `Bearer ${agent.session.accessToken}`)
      .send({ callId: newCallId(), campaignId, agentUserId: agent.user.id, customerSsrc: 1, startedAt: new Date().toISOString() })
      .expect(403);
  });
});
