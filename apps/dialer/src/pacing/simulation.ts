import { AbandonRateWindow } from './abandon-rate.window';
import { BinaryHeap } from './binary-heap';
import { PacingStatistics } from './pacing-statistics';
import { decideCallsToPlace } from './pacing.policy';
import { DEFAULT_MAX_ABANDON_RATE, DEFAULT_PACING_TUNING, ObservedOutcome, PacingTuning } from './pacing.types';
import { DEFAULT_TRAFFIC, TracedCall, TrafficProfile, TrafficTrace } from './traffic-trace';

export type SimulatedMode = 'progressive' | 'predictive';

export interface SimulationOptions {
  mode: SimulatedMode;
  agents: number;
  hours: number;
  /** Seeds the traffic trace: the same seed gives every mode the same calls in the same order. */
  seed: number;
  traffic?: TrafficProfile;
  maxAbandonRate?: number;
  /** Seconds between pacing decisions (the dialer's tick). */
  tickSeconds?: number;
  statisticsHalfLifeSeconds?: number;
  tuning?: Partial<PacingTuning>;
}

export interface SimulationResult {
  mode: SimulatedMode;
  agents: number;
  hours: number;
  callsPlaced: number;
  /** Answered by a person: connected + abandoned. */
  liveAnswers: number;
  connected: number;
  abandoned: number;
  machines: number;
  /** abandoned / live answers, the regulator's definition. */
  abandonRate: number;
  talkMinutesPerHour: number;
  talkMinutesPerAgentHour: number;
  /** Share of the agents' time spent talking or in wrap-up. */
  utilisation: number;
  /** Share of pacing decisions taken in predictive mode (the rest fell back to progressive). */
  predictiveShare: number;
  /** Abandon rate of each simulated hour (the first includes learning in progressive mode). */
  hourlyAbandonRates: number[];
}

type EventKind = 'tick' | 'answer' | 'end' | 'abandon' | 'talk-end' | 'wrap-end';

interface SimEvent {
  at: number;
  seq: number;
  kind: EventKind;
  call?: SimCall;
  agent?: SimAgent;
}

interface SimCall {
  traced: TracedCall;
  placedAt: number;
  answeredAt: number;
  agent: SimAgent | null;
  state: 'ringing' | 'waiting' | 'done';
}

interface SimAgent {
  state: 'ready' | 'reserved' | 'on-call' | 'wrap-up';
  /** When the agent became ready, or was connected (on a call and through its wrap-up). */
  since: number;
  wrapUpEnd: number;
}

/** Simulated time starts here (only for Date values handed to pacing; any fixed instant would do). */
const EPOCH_MS = Date.UTC(2026, 0, 5, 8, 0, 0);

/**
 * A discrete-event simulation of one campaign, with the dialer's rules: a person who answers gets
 * the longest-idle ready agent (or the agent reserved for the call); if none is free, they wait up to
 * `agentWaitSeconds` (2 s) for one and are abandoned after that. Machines, busy lines and no-answers
 * release a reserved agent. Pacing is the real decideCallsToPlace, fed by the real PacingStatistics
 * and AbandonRateWindow, once per tick. Time jumps from event to event (binary heap): the cost is
 * per call and per pacing decision, never per millisecond of simulated time.
 */
export function simulateCampaign(options: SimulationOptions): SimulationResult {
  const tuning: PacingTuning = { ...DEFAULT_PACING_TUNING, ...options.tuning };
  const tick = options.tickSeconds ?? 1;
  const end = options.hours * 3600;
  const cap = options.maxAbandonRate ?? DEFAULT_MAX_ABANDON_RATE;
  const trace = new TrafficTrace(options.seed, options.traffic ?? DEFAULT_TRAFFIC);
  const stats = new PacingStatistics({ halfLifeSeconds: options.statisticsHalfLifeSeconds });
  const window = new AbandonRateWindow();
  const events = new BinaryHeap<SimEvent>((a, b) => a.at < b.at || (a.at === b.at && a.seq < b.seq));
  let seq = 0;
  const schedule = (at: number, kind: EventKind, call?: SimCall, agent?: SimAgent) => events.push({ at, seq: seq++, kind, call, agent });
  const date = (t: number) => new Date(EPOCH_MS + t * 1000);
  const observe = (t: number, call: SimCall, outcome: ObservedOutcome, talkSeconds = 0, wrapUpSeconds = 0) =>
    stats.callEnded(date(t), { outcome, ringSeconds: (call.answeredAt >= 0 ? call.answeredAt : t) - call.placedAt, talkSeconds, wrapUpSeconds });

  const agents: SimAgent[] = Array.from({ length: options.agents }, () => ({ state: 'ready' as const, since: 0, wrapUpEnd: 0 }));
  const readyQueue: SimAgent[] = [...agents]; // longest idle first
  const waiting: SimCall[] = [];
  /** Ringing calls without a reserved agent: they will claim a free agent if answered live. */
  const unmatched = new Set<SimCall>();
  let reserved = 0;
  let inFlight = 0;
  let nextCall = 0;
  const hourly = Array.from({ length: Math.ceil(options.hours) + 1 }, () => ({ answered: 0, abandoned: 0 }));
  const totals = { placed: 0, connected: 0, abandoned: 0, machines: 0, talk: 0, busy: 0, decisions: 0, predictive: 0 };

  const connect = (t: number, call: SimCall, agent: SimAgent) => {
    call.state = 'done';
    call.agent = agent;
    agent.state = 'on-call';
    agent.since = t;
    totals.connected += 1;
    hourly[Math.floor(t / 3600)].answered += 1;
    window.record(date(t), 'answered');
    const talkEnd = t + call.traced.talkSeconds;
    totals.talk += Math.min(talkEnd, end) - t;
    schedule(talkEnd, 'talk-end', call, agent);
  };
  /** An agent comes free: a waiting customer first, otherwise back in the ready queue. */
  const free = (t: number, agent: SimAgent) => {
    const next = waiting.shift();
    if (next) return connect(t, next, agent);
    agent.state = 'ready';
    agent.since = t;
    readyQueue.push(agent);
  };

  schedule(0, 'tick');
  for (let e = events.pop(); e && e.at <= end; e = events.pop()) {
    const t = e.at;
    const call = e.call as SimCall;
    const agent = e.agent as SimAgent;
    switch (e.kind) {
      case 'tick': {
        const rates = window.rates(date(t));
        const decision = decideCallsToPlace({
          mode: options.mode,
          readyAgents: readyQueue.length,
          reservedAgents: reserved,
          onCallElapsedSeconds: agents.filter((a) => a.state === 'on-call').map((a) => t - a.since),
          wrapUpRemainingSeconds: agents.filter((a) => a.state === 'wrap-up').map((a) => a.wrapUpEnd - t),
          callsInFlight: inFlight,
          unmatchedCallAgesSeconds: [...unmatched].map((c) => t - c.placedAt),
          callsWaitingForAgent: waiting.length,
          stats: stats.snapshot(date(t)),
          maxAbandonRate: cap,
          abandonRate30d: rates.rate30d,
          abandonRate24h: rates.rate24h,
          tuning,
        });
        totals.decisions += 1;
        if (decision.mode === 'predictive') totals.predictive += 1;
        for (let i = 0; i < decision.calls; i++) {
          let reservedAgent: SimAgent | null = null;
          if (decision.mode === 'progressive') {
            // As the dialer does: the agent is reserved before the call is placed.
            reservedAgent = readyQueue.shift() ?? null;
            if (!reservedAgent) break;
            reservedAgent.state = 'reserved';
            reserved += 1;
          }
          const placed: SimCall = { traced: trace.call(nextCall++), placedAt: t, answeredAt: -1, agent: reservedAgent, state: 'ringing' };
          inFlight += 1;
          if (!reservedAgent) unmatched.add(placed);
          totals.placed += 1;
          stats.callPlaced(date(t));
          schedule(t + placed.traced.answerOrEndSeconds, placed.traced.outcome === 'live' ? 'answer' : 'end', placed);
        }
        if (t + tick < end) schedule(t + tick, 'tick');
        break;
      }
      case 'answer': {
        inFlight -= 1;
        unmatched.delete(call);
        call.answeredAt = t;
        if (call.agent) {
          reserved -= 1;
          connect(t, call, call.agent);
        } else if (readyQueue.length > 0) {
          connect(t, call, readyQueue.shift() as SimAgent);
        } else {
          call.state = 'waiting';
          waiting.push(call);
          schedule(t + tuning.agentWaitSeconds, 'abandon', call);
        }
        break;
      }
      case 'abandon': {
        if (call.state !== 'waiting') break;
        call.state = 'done';
        waiting.splice(waiting.indexOf(call), 1);
        totals.abandoned += 1;
        hourly[Math.floor(t / 3600)].abandoned += 1;
        window.record(date(t), 'abandoned');
        observe(t, call, 'abandoned');
        break;
      }
      case 'end': {
        inFlight -= 1;
        unmatched.delete(call);
        call.state = 'done';
        const outcome = call.traced.outcome;
        if (outcome === 'machine') totals.machines += 1;
        observe(t, call, outcome === 'machine' ? 'machine' : outcome === 'busy' ? 'busy' : 'no_answer');
        if (call.agent) {
          reserved -= 1;
          free(t, call.agent);
        }
        break;
      }
      case 'talk-end': {
        const wrapUp = call.traced.wrapUpSeconds;
        agent.state = 'wrap-up';
        agent.wrapUpEnd = t + wrapUp;
        observe(t, call, 'answered', call.traced.talkSeconds, wrapUp);
        schedule(agent.wrapUpEnd, 'wrap-end', undefined, agent);
        break;
      }
      case 'wrap-end':
        totals.busy += t - agent.since;
        free(t, agent);
        break;
    }
  }
  // Agents still talking or in wrap-up at the end were busy up to the end.
  for (const a of agents) if (a.state === 'on-call' || a.state === 'wrap-up') totals.busy += end - a.since;

  const liveAnswers = totals.connected + totals.abandoned;
  const talkMinutesPerHour = totals.talk / 60 / options.hours;
  return {
    mode: options.mode,
    agents: options.agents,
    hours: options.hours,
    callsPlaced: totals.placed,
    liveAnswers,
    connected: totals.connected,
    abandoned: totals.abandoned,
    machines: totals.machines,
    abandonRate: liveAnswers > 0 ? totals.abandoned / liveAnswers : 0,
    talkMinutesPerHour,
    talkMinutesPerAgentHour: talkMinutesPerHour / options.agents,
    utilisation: totals.busy / (options.agents * end),
    predictiveShare: totals.decisions > 0 ? totals.predictive / totals.decisions : 0,
    hourlyAbandonRates: hourly.slice(0, Math.ceil(options.hours)).map((h) => (h.abandoned > 0 ? h.abandoned / (h.answered + h.abandoned) : 0)),
  };
}
