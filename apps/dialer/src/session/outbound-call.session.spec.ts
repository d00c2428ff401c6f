import { CallOutcome } from './call-outcome';
import { MediaProfile, SessionMedia, SessionResult, SessionRouting, TrunkRoute } from './call-session.ports';
import { OutboundCallDeps, OutboundCallParams, OutboundCallSession } from './outbound-call.session';
import { OutboundInvite, PendingLeg, SipFailure, SipLeg, SipRepository } from './sip.repository';

/** A SIP far end the test scripts: each INVITE to a URI gets the answer queued for it. */
class ScriptedSip extends SipRepository {
  readonly invites: OutboundInvite[] = [];
  readonly agentInvites: string[] = [];
  answers = new Map<string, number | 'timeout' | 'answer'>();
  agentAnswers = new Map<string, 'answer' | 'fail'>();
  legs: FakeLeg[] = [];

  async invite(request: OutboundInvite, onRinging: () => void): Promise<SipLeg> {
    this.invites.push(request);
    onRinging();
    const answer = this.answers.get(request.uri) ?? 'answer';
    if (answer !== 'answer') throw new SipFailure(answer);
    const leg = new FakeLeg('customer-tag', 'v=0\r\nc=IN IP4 203.0.113.7\r\nm=audio 40000 RTP/SAVP 0\r\na=crypto:1 AEAD_AES_256_GCM inline:x\r\n');
    this.legs.push(leg);
    return leg;
  }

  async inviteWithoutOffer(uri: string): Promise<PendingLeg> {
    this.agentInvites.push(uri);
    if (this.agentAnswers.get(uri) === 'fail') throw new SipFailure(480);
    const leg = new FakeLeg('agent-tag', 'v=0\r\nm=audio 50000 RTP/SAVP 0\r\n');
    this.legs.push(leg);
    return { remoteSdp: leg.remoteSdp, remoteTag: leg.remoteTag, callId: 'agent-call', ack: async () => leg, abandon: async () => undefined };
  }
}

class FakeLeg implements SipLeg {
  readonly callId = 'c';
  hungUp = false;
  private listeners: (() => void)[] = [];
  constructor(
    readonly remoteTag: string,
    readonly remoteSdp: string,
  ) {}
  async modify(): Promise<string> {
    return this.remoteSdp;
  }
  async hangUp(): Promise<void> {
    this.hungUp = true;
  }
  onEnded(listener: () => void): void {
    this.listeners.push(listener);
  }
  /** The far end hangs up. */
  bye(): void {
    for (const l of this.listeners) l();
  }
}

class RecordingMedia implements SessionMedia {
  readonly calls: string[] = [];
  offers: { toward: MediaProfile; record: boolean }[] = [];
  async offer(_c: string, _f: string, _s: string, toward: MediaProfile, record: boolean): Promise<string> {
    this.calls.push('offer');
    this.offers.push({ toward, record });
    return 'v=0\r\nm=audio 1 RTP/SAVP 0\r\n';
  }
  async answer(): Promise<string> {
    this.calls.push('answer');
    return 'v=0\r\n';
  }
  async playAbandonMessage(): Promise<number | null> {
    this.calls.push('play');
    return 1500;
  }
  async delete(): Promise<void> {
    this.calls.push('delete');
  }
}

const TRUNKS = ['first', 'second'];

function routing(released: string[]): SessionRouting {
  return {
    async next(_ids, number, tried): Promise<TrunkRoute | null> {
      const trunk = TRUNKS.find((t) => !tried.includes(t));
      if (!trunk) return null;
      return { trunk, uri: `sip:${number}@${trunk}.example;transport=tls`, callerId: '+442071234567', auth: null, media: 'srtp-sdes', release: () => released.push(trunk) };
    },
    classify(status): { outcome: CallOutcome; failover: boolean } {
      if (status === 486) return { outcome: 'busy', failover: false };
      if (status === 'timeout') return { outcome: 'no_answer', failover: false };
      return { outcome: 'carrier_error', failover: status === 503 };
    },
  };
}

function setUp(params: Partial<OutboundCallParams> = {}, readyAgent: string | null = null) {
  const sip = new ScriptedSip();
  const media = new RecordingMedia();
  const released: string[] = [];
  const agentEvents: string[] = [];
  const finished: SessionResult[] = [];
  let now = 1_700_000_000_000;
  const deps: OutboundCallDeps = {
    sip,
    media,
    routing: routing(released),
    agents: {
      reserveAny: async () => readyAgent,
      contact: async (id) => `sip:${id}@agents.example;transport=tls`,
      connected: async (id) => void agentEvents.push(`connected:${id}`),
      wrapUp: async (id) => void agentEvents.push(`wrapUp:${id}`),
      release: async (id) => void agentEvents.push(`release:${id}`),
    },
    books: {
      ringing: async () => undefined,
      answered: async () => undefined,
      bridged: async () => undefined,
      finished: async (_id, r) => void finished.push(r),
      recordingStarted: async () => undefined,
    },
    now: () => new Date(now),
    sleep: async (ms) => {
      now += ms;
    },
  };
  const session = new OutboundCallSession(
    {
      callId: 'call-1',
      campaignId: 'campaign-1',
      callerIds: ['+442071234567'],
      number: '+447700900123',
      agentId: null,
      record: true,
      ringTimeoutSeconds: 30,
      agentWaitSeconds: 2,
      agentRingTimeoutSeconds: 10,
      agentMedia: 'srtp-sdes',
      ...params,
    },
    deps,
  );
  return { session, sip, media, released, agentEvents, finished };
}

describe('OutboundCallSession', () => {
  it('uac-busy-expect-486: busy is the outcome, no failover, the trunk and media are released', async () => {
    const t = setUp({ agentId: 'agent-a' });
    t.sip.answers.set('sip:+447700900123@first.example;transport=tls', 486);
    const result = await t.session.run();
    expect(result).toMatchObject({ outcome: 'busy', sipStatus: 486, trunk: 'first', agentId: null });
    expect(t.sip.invites).toHaveLength(1);
    expect(t.released).toEqual(['first']);
    expect(t.media.calls).toEqual(['offer', 'delete']);
    expect(t.agentEvents).toEqual(['release:agent-a']);
    expect(t.finished).toHaveLength(1);
  });

  it('uac-503-expect-failover: a 503 on the first trunk is retried on the next, which answers', async () => {
    const t = setUp({ agentId: 'agent-a' });
    t.sip.answers.set('sip:+447700900123@first.example;transport=tls', 503);
    const run = t.session.run();
    await until(() => t.sip.legs.length === 2);
    t.sip.legs[0].bye();
    const result = await run;
    expect(t.sip.invites.map((i) => i.uri)).toEqual([
      'sip:+447700900123@first.example;transport=tls',
      'sip:+447700900123@second.example;transport=tls',
    ]);
    expect(result).toMatchObject({ outcome: 'answered', trunk: 'second', agentId: 'agent-a' });
    expect(t.agentEvents).toEqual(['connected:agent-a', 'wrapUp:agent-a']);
    expect(t.released).toEqual(['first', 'second']);
  });

  it('uac-503-everywhere-expect-carrier-error: every trunk fails, the outcome is a carrier error', async () => {
    const t = setUp({ agentId: 'agent-a' });
    for (const trunk of TRUNKS) t.sip.answers.set(`sip:+447700900123@${trunk}.example;transport=tls`, 503);
    const result = await t.session.run();
    expect(result).toMatchObject({ outcome: 'carrier_error', sipStatus: 503, trunk: 'second' });
  });

  it('uac-ring-timeout-expect-no-answer: a ring timeout is no answer, without failover', async () => {
    const t = setUp({ agentId: 'agent-a' });
    t.sip.answers.set('sip:+447700900123@first.example;transport=tls', 'timeout');
    const result = await t.session.run();
    expect(result).toMatchObject({ outcome: 'no_answer', sipStatus: null });
    expect(t.sip.invites).toHaveLength(1);
  });

  it('predictive-no-agent-expect-abandon: no agent within 2 s, the message plays and the customer is hung up', async () => {
    const t = setUp({}, null);
    const result = await t.session.run();
    expect(result.outcome).toBe('abandoned');
    expect(result.agentId).toBeNull();
    expect(t.media.calls).toEqual(['offer', 'answer', 'play', 'delete']);
    expect(t.sip.legs[0].hungUp).toBe(true);
    expect(t.sip.agentInvites).toEqual([]);
    // Waited no longer than the cap before giving up.
    expect(result.endedAt!.getTime() - result.answeredAt!.getTime()).toBeLessThanOrEqual(2000 + 1500 + 250);
  });

  it('predictive-agent-free-expect-bridge: the agent is bridged by a re-offer, recording starts with the agent', async () => {
    const t = setUp({}, 'agent-b');
    const run = t.session.run();
    await until(() => t.sip.legs.length === 2);
    t.sip.legs[1].bye(); // the agent hangs up first
    const result = await run;
    expect(result).toMatchObject({ outcome: 'answered', agentId: 'agent-b' });
    expect(t.media.offers).toEqual([
      { toward: 'srtp-sdes', record: false },
      { toward: 'srtp-sdes', record: true },
    ]);
    expect(t.sip.legs[0].hungUp).toBe(true);
  });

  it('agent-phone-fails-expect-abandon: the reserved agent is released and the call counts as abandoned', async () => {
    const t = setUp({ agentId: 'agent-c' });
    t.sip.agentAnswers.set('sip:agent-c@agents.example;transport=tls', 'fail');
    const result = await t.session.run();
    expect(result.outcome).toBe('abandoned');
    expect(t.agentEvents).toEqual(['release:agent-c']);
  });
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise((r) => setImmediate(r));
  if (!condition()) throw new Error('condition not reached');
}
