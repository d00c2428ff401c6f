import { createSocket, Socket } from 'node:dgram';
import { AddressInfo } from 'node:net';
import { Role } from '@app/domain';
import { bdecode, bencode, BencodeValue } from '../../../apps/recording/src/calls/bencode';
import { SignedIn, TestUser } from '../../utils/crm-api-harness';
import { RecordingHarness } from './recording-harness';

/** Plays rtpengine's ng control port: records each command, answers ok (or an error when told to). */
class FakeNg {
  readonly commands: Array<{ [key: string]: BencodeValue }> = [];
  refuse = false;
  private constructor(readonly socket: Socket) {
    socket.on('message', (data, peer) => {
      const space = data.indexOf(0x20);
      const message = bdecode(data.subarray(space + 1)) as { [key: string]: BencodeValue };
      this.commands.push(message);
      const reply: { [key: string]: BencodeValue } = this.refuse ? { result: 'error', 'error-reason': 'Unknown call-id' } : { result: 'ok' };
      socket.send(Buffer.concat([data.subarray(0, space + 1), bencode(reply)]), peer.port, peer.address);
    });
  }

  static async start(): Promise<FakeNg> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new FakeNg(socket);
  }

  address(): string {
    return `127.0.0.1:${(this.socket.address() as AddressInfo).port}`;
  }
}

describe('PCI pause and resume of a live call, through rtpengine', () => {
  let ng: FakeNg;
  let h: RecordingHarness;
  let agent: { user: TestUser; session: SignedIn };
  let otherAgent: { user: TestUser; session: SignedIn };
  let qa: { user: TestUser; session: SignedIn };
  let campaignId: string;

  const post = (path: string, token: string) => h.http().post(path).set('Authorization', `Bearer ${token}`);

  beforeAll(async () => {
    ng = await FakeNg.start();
    h = await RecordingHarness.start(4096, ng.address());
    agent = await h.user(Role.Agent);
    otherAgent = await h.user(Role.Agent);
    qa = await h.user(Role.Qa);
    campaignId = await h.campaign({ agentPlayback: true, agents: [agent.user.id, otherAgent.user.id] });
  });
  afterAll(async () => {
    await h?.stop();
    ng?.socket.close();
  });

  it('the agent pauses and the dialer resumes; rtpengine is told, the gap is marked in the recording, both are audited', async () => {
    const callId = await h.registerCall(campaignId, agent.user.id);
    const callStartUs = Date.now() * 1000 - 500_000;
    await post(`/recordings/calls/${encodeURIComponent(callId)}/pause`, agent.session.accessToken).expect(204);
    const again = await post(`/recordings/calls/${encodeURIComponent(callId)}/pause`, agent.session.accessToken).expect(409);
    expect(again.body.error).toBe('recording_already_paused');
    await post(`/recordings/calls/${encodeURIComponent(callId)}/resume`, h.dialerToken()).expect(204);
    await post(`/recordings/calls/${encodeURIComponent(callId)}/resume`, h.dialerToken()).expect(409);
    expect(ng.commands.map((c) => [c.command, c['call-id']])).toEqual([
      ['pause recording', callId],
      ['start recording', callId],
      ['start recording', callId],
    ]);

    const { recordingId } = await h.recordCall(campaignId, agent.user.id, { seconds: 3, startUs: callStartUs }, callId);
    const res = await h.http().get(`/recordings/${recordingId}`).set('Authorization', `Bearer ${qa.session.accessToken}`).expect(200);
    expect(res.body.pauses).toHaveLength(1);
    const [gap] = res.body.pauses as Array<{ startMs: number; endMs: number }>;
    expect(gap.startMs).toBeGreaterThan(0);
    expect(gap.endMs).toBeGreaterThanOrEqual(gap.startMs);
    expect(gap.endMs).toBeLessThanOrEqual(res.body.durationMs);
    const actions = (await h.crm.auditRows(`target_id = ? AND action IN ('recording.pause','recording.resume')`, [callId])).map((r) => r.action);
    expect(actions).toEqual(['recording.pause', 'recording.resume']);
  });

  it("another agent's call is not found; QA may not control recordings", async () => {
    const callId = await h.registerCall(campaignId, agent.user.id);
    await post(`/recordings/calls/${encodeURIComponent(callId)}/pause`, otherAgent.session.accessToken).expect(404);
    await post(`/recordings/calls/${encodeURIComponent(callId)}/pause`, qa.session.accessToken).expect(403);
    await post(`/recordings/calls/unknown-call/pause`, agent.session.accessToken).expect(404);
  });

  it('when rtpengine refuses, the answer is 503 and no pause is left marked', async () => {
    const callId = await h.registerCall(campaignId, agent.user.id);
    ng.refuse = true;
    try {
      const res = await post(`/recordings/calls/${encodeURIComponent(callId)}/pause`, agent.session.accessToken).expect(503);
      expect(res.body.error).toBe('recording_control_unavailable');
    } finally {
      ng.refuse = false;
    }
    const open = await h.crm.db.sql<unknown[]>('SELECT id FROM recording_pauses WHERE call_id = ?', [callId]);
    expect(open).toEqual([]);
    await post(`/recordings/calls/${encodeURIComponent(callId)}/pause`, agent.session.accessToken).expect(204);
  });
});
