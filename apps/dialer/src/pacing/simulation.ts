import { decideCallsToPlace } from './pacing';
import { PacingStatistics } from './pacing-statistics';
import { DialModeName } from './pacing.types';

/** The traffic a campaign meets: every simulated mode meets the very same calls, in the same order. */
export interface TrafficProfile {
  seed: number;
  answerProbability: number;
  /** Seconds to answer for answered calls: minimum plus an exponential part with this mean. */
  ringMinSeconds: number;
  ringMeanExtraSeconds: number;
  /** Unanswered calls are given up after this. */
  ringTimeoutSeconds: number;
  /** Talk time: lognormal with this mean and shape. */
  talkMeanSeconds: number;
  talkSigma: number;
  wrapUpMinSeconds: number;
  wrapUpMeanExtraSeconds: number;
}

export const DEFAULT_TRAFFIC: TrafficProfile = {
  seed: 20261121,
  answerProbability: 0.3,
  ringMinSeconds: 4,
  ringMeanExtraSeconds: 8,
  ringTimeoutSeconds: 25,
  talkMeanSeconds: 150,
  talkSigma: 0.6,
  wrapUpMinSeconds: 10,
  wrapUpMeanExtraSeconds: 15,
};

export interface SimulationOptions {
  mode: Exclude<DialModeName, 'preview'>;
  agents: number;
  hours: number;
  traffic: TrafficProfile;
  maxAbandonRate: number;
  /** A customer who answered waits this long for an agent before the call is abandoned. */
  agentWaitSeconds?: number;
}

export interface SimulationResult {
  mode: string;
  agents: number;
  hours: number;
  placed: number;
  liveAnswers: number;
  abandoned: number;
  abandonRate: number;
  talkMinutesPerAgentHour: number;
  talkMinutesTotal: number;
  utilisation: number;
}

interface CallFate {
  answered: boolean;
  ringSeconds: number;
  talkSeconds: number;
  wrapUpSeconds: number;
}

/** mulberry32: a small seeded generator, so a trace is the same on every run and machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The n-th call's fate: drawn from its own stream, so it does not depend on how many came before. */
export function callFate(traffic: TrafficProfile, n: number): CallFate {
  const r = seededRandom((traffic.seed ^ Math.imul(n + 1, 0x9e3779b1)) >>> 0);
  const exp = (mean: number) => -Math.log(1 - r()) * mean;
  const normal = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const answered = r() < traffic.answerProbability;
  const mu = Math.log(traffic.talkMeanSeconds) - (traffic.talkSigma * traffic.talkSigma) / 2;
  return {
    answered,
    ringSeconds: answered ? traffic.ringMinSeconds + exp(traffic.ringMeanExtraSeconds) : traffic.ringTimeoutSeconds,
    talkSeconds: Math.exp(mu + traffic.talkSigma * normal()),
    wrapUpSeconds: traffic.wrapUpMinSeconds + exp(traffic.wrapUpMeanExtraSeconds),
  };
}

type SimEvent =
  | { at: number; kind: 'tick' }
  | { at: number; kind: 'ring-end'; call: number }
  | { at: number; kind: 'talk-end'; agent: number; call: number }
  | { at: number; kind: 'wrap-end'; agent: number }
  | { at: number; kind: 'wait-end'; call: number };

/** A binary min-heap on event time (ties by insertion order, so runs are deterministic). */
class EventQueue {
  private heap: { e: SimEvent; seq: number }[] = [];
  private seq = 0;

  push(e: SimEvent): void {
    this.heap.push({ e, seq: this.seq++ });
    let i = this.heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      [this.heap[i], this.heap[parent]] = [this.heap[parent], this.heap[i]];
      i = parent;
    }
  }

  pop(): SimEvent | undefined {
    if (this.heap.length === 0) return undefined;
    const top = this.heap[0].e;
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.heap.length && this.less(l, m)) m = l;
        if (r < this.heap.length && this.less(r, m)) m = r;
        if (m === i) break;
        [this.heap[i], this.heap[m]] = [this.heap[m], this.heap[i]];
        i = m;
      }
    }
    return top;
  }

  private less(a: number, b: number): boolean {
    const x = this.heap[a];
    const y = this.heap[b];
    return x.e.at < y.e.at || (x.e.at === y.e.at && x.seq < y.seq);
  }
}

type AgentState = { kind: 'ready'; since: number } | { kind: 'reserved' } | { kind: 'talking'; since: number } | { kind: 'wrap'; until: number };

/**
 * A discrete-event simulation of one campaign: pacing decides each second, calls ring, are answered
 * or not, find an agent (or wait at most `agentWaitSeconds`, then are abandoned), talk and wrap up.
 * Time jumps from event to event; nothing is stepped per millisecond.
 */
export function simulate(o: SimulationOptions): SimulationResult {
  const wait = o.agentWaitSeconds ?? 2;
  const end = o.hours * 3600;
  const agents: AgentState[] = Array.from({ length: o.agents }, () => ({ kind: 'ready', since: 0 }));
  const reservedFor = new Map<number, number>();
  const waiting = new Map<number, number>(); // call -> deadline
  const inFlight = new Set<number>();
  const stats = new PacingStatistics();
  const q = new EventQueue();
  let nextCall = 0;
  let placed = 0;
  let live = 0;
  let abandoned = 0;
  let talkSeconds = 0;
  q.push({ at: 0, kind: 'tick' });

  const connect = (call: number, agent: number, at: number) => {
    const fate = callFate(o.traffic, call);
    agents[agent] = { kind: 'talking', since: at };
    const talk = Math.min(fate.talkSeconds, Math.max(0, end - at));
    talkSeconds += talk;
    q.push({ at: at + fate.talkSeconds, kind: 'talk-end', agent, call });
  };
  const readyAgent = (): number => {
    let best = -1;
    for (let i = 0; i < agents.length; i++) {
      const a = agents[i];
      if (a.kind === 'ready' && (best < 0 || a.since < (agents[best] as { since: number }).since)) best = i;
    }
    return best;
  };

  for (let e = q.pop(); e && e.at <= end; e = q.pop()) {
    const now = e.at;
    switch (e.kind) {
      case 'tick': {
        const ready = agents.filter((a) => a.kind === 'ready').length;
        const decision = decideCallsToPlace({
          mode: o.mode,
          readyAgents: ready,
          onCallElapsedSeconds: agents.flatMap((a) => (a.kind === 'talking' ? [now - a.since] : [])),
          wrapUpRemainingSeconds: agents.flatMap((a) => (a.kind === 'wrap' ? [a.until - now] : [])),
          callsInFlight: inFlight.size,
          stats: stats.snapshot(new Date(now * 1000)),
          maxAbandonRate: o.maxAbandonRate,
          abandonRate30d: live === 0 ? 0 : abandoned / live,
          abandonRate24h: live === 0 ? 0 : abandoned / live,
        });
        for (let i = 0; i < decision.calls; i++) {
          const call = nextCall++;
          if (decision.mode === 'progressive') {
            const agent = readyAgent();
            if (agent < 0) break;
            agents[agent] = { kind: 'reserved' };
            reservedFor.set(call, agent);
          }
          placed += 1;
          inFlight.add(call);
          q.push({ at: now + callFate(o.traffic, call).ringSeconds, kind: 'ring-end', call });
        }
        q.push({ at: now + 1, kind: 'tick' });
        break;
      }
      case 'ring-end': {
        inFlight.delete(e.call);
        const fate = callFate(o.traffic, e.call);
        const reserved = reservedFor.get(e.call);
        reservedFor.delete(e.call);
        if (!fate.answered) {
          if (reserved !== undefined) agents[reserved] = { kind: 'ready', since: now };
          stats.callEnded(new Date(now * 1000), { outcome: 'no_answer', ringSeconds: fate.ringSeconds, talkSeconds: 0, wrapUpSeconds: 0 });
          break;
        }
        live += 1;
        const agent = reserved ?? readyAgent();
        if (agent >= 0) {
          connect(e.call, agent, now);
        } else {
          waiting.set(e.call, now + wait);
          q.push({ at: now + wait, kind: 'wait-end', call: e.call });
        }
        break;
      }
      case 'wait-end': {
        if (!waiting.has(e.call)) break;
        waiting.delete(e.call);
        abandoned += 1;
        const fate = callFate(o.traffic, e.call);
        stats.callEnded(new Date(now * 1000), { outcome: 'abandoned', ringSeconds: fate.ringSeconds, talkSeconds: 0, wrapUpSeconds: 0 });
        break;
      }
      case 'talk-end': {
        const fate = callFate(o.traffic, e.call);
        agents[e.agent] = { kind: 'wrap', until: now + fate.wrapUpSeconds };
        stats.callEnded(new Date(now * 1000), {
          outcome: 'answered',
          ringSeconds: fate.ringSeconds,
          talkSeconds: fate.talkSeconds,
          wrapUpSeconds: fate.wrapUpSeconds,
        });
        q.push({ at: now + fate.wrapUpSeconds, kind: 'wrap-end', agent: e.agent });
        break;
      }
      case 'wrap-end': {
        agents[e.agent] = { kind: 'ready', since: now };
        // A customer still waiting within their two seconds takes this agent at once.
        const [call] = [...waiting.keys()];
        if (call !== undefined) {
          waiting.delete(call);
          connect(call, e.agent, now);
        }
        break;
      }
    }
  }
  const agentHours = o.agents * o.hours;
  return {
    mode: o.mode,
    agents: o.agents,
    hours: o.hours,
    placed,
    liveAnswers: live,
    abandoned,
    abandonRate: live === 0 ? 0 : abandoned / live,
    talkMinutesPerAgentHour: talkSeconds / 60 / agentHours,
    talkMinutesTotal: talkSeconds / 60,
    utilisation: talkSeconds / (agentHours * 3600),
  };
}
