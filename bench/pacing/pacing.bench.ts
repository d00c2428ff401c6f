/**
 * Predictive beside progressive pacing on one fixed, generated traffic trace (the same calls in the
 * same order for both), for 5, 20 and 100 agents.
 *   node --require ./bench/import/ts-register.js bench/pacing/pacing.bench.ts [hours]
 */
import { cpus } from 'node:os';
import { DEFAULT_TRAFFIC, simulate } from '../../apps/dialer/src/pacing';

const hours = Number(process.argv[2] ?? 8);
const cap = 0.03;
const t = DEFAULT_TRAFFIC;

console.log(`conditions: node ${process.version}, ${cpus()[0]?.model ?? 'cpu'} x${cpus().length}; ${hours} simulated hours per run; abandon cap ${cap * 100}%`);
console.log(
  `trace: seed ${t.seed}; answer probability ${t.answerProbability}; ring ${t.ringMinSeconds} s + exp(mean ${t.ringMeanExtraSeconds} s), ` +
    `unanswered given up at ${t.ringTimeoutSeconds} s; talk lognormal mean ${t.talkMeanSeconds} s sigma ${t.talkSigma}; ` +
    `wrap-up ${t.wrapUpMinSeconds} s + exp(mean ${t.wrapUpMeanExtraSeconds} s); an answered customer waits at most 2 s for an agent`,
);
console.log('agents | mode        | talk min/agent-hour | talk min/hour (all) | abandon rate | placed | live answers | ratio');
for (const agents of [5, 20, 100]) {
  const progressive = simulate({ mode: 'progressive', agents, hours, traffic: t, maxAbandonRate: cap });
  const predictive = simulate({ mode: 'predictive', agents, hours, traffic: t, maxAbandonRate: cap });
  for (const r of [progressive, predictive]) {
    const ratio = r === predictive ? (predictive.talkMinutesPerAgentHour / progressive.talkMinutesPerAgentHour).toFixed(2) + '×' : '';
    console.log(
      `${String(agents).padStart(6)} | ${r.mode.padEnd(11)} | ${r.talkMinutesPerAgentHour.toFixed(1).padStart(19)} | ` +
        `${(r.talkMinutesTotal / hours).toFixed(0).padStart(19)} | ${(r.abandonRate * 100).toFixed(2).padStart(11)}% | ` +
        `${String(r.placed).padStart(6)} | ${String(r.liveAnswers).padStart(12)} | ${ratio}`,
    );
  }
}
