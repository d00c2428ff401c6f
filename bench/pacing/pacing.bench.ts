/**
 * Dialer pacing benchmark: predictive beside progressive on one fixed, generated traffic trace (the
 * same seed, so the same calls in the same order for both modes), for 5, 20 and 100 agents, through
 * the discrete-event simulation in apps/dialer/src/pacing/simulation.ts (real pacing code, simulated
 * telephony and agents). The figure is agent talk time: what predictive pacing is for.
 *
 *   node --require ./bench/import/ts-register.js bench/pacing/pacing.bench.ts [hours=8] [seed=20261121]
 */
import { cpus } from 'node:os';
import { DEFAULT_MAX_ABANDON_RATE, DEFAULT_PACING_TUNING, DEFAULT_TRAFFIC, LognormalSpec, simulateCampaign, SimulationResult } from '../../apps/dialer/src/pacing';

const HOURS = Number(process.argv[2] ?? 8);
const SEED = Number(process.argv[3] ?? 20261121);
const TEAMS = [5, 20, 100];

function lognormal(d: LognormalSpec): string {
  const mean = d.median * Math.exp((d.sigma * d.sigma) / 2);
  return `lognormal(median ${d.median} s, σ ${d.sigma}; mean ${mean.toFixed(1)} s)`;
}

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
const t = DEFAULT_TRAFFIC;
const tuning = DEFAULT_PACING_TUNING;
console.log('Conditions');
console.log(`  node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}`);
console.log(`  seed ${SEED}; ${HOURS} simulated hours per run; pacing decision every 1 s; abandon cap ${pct(DEFAULT_MAX_ABANDON_RATE)}`);
console.log(
  `  calls: live answer ${t.liveAnswerProbability}, machine ${t.machineProbability}, busy/failed ${t.busyProbability}, ` +
    `no answer ${(1 - t.liveAnswerProbability - t.machineProbability - t.busyProbability).toFixed(2)} (given up at ${t.ringTimeoutSeconds} s)`,
);
console.log(`  time to answer ${lognormal(t.answerSeconds)}, machine detected ${t.machineDetectSeconds} s after, busy after ${lognormal(t.busySeconds)}`);
console.log(`  talk ${lognormal(t.talkSeconds)}; wrap-up ${lognormal(t.wrapUpSeconds)}`);
console.log(
  `  an answered customer waits ${tuning.agentWaitSeconds} s for an agent, then is abandoned; predictive: ` +
    `target ${tuning.targetFractionOfCap} × cap, tapering from ${tuning.approachFractionOfCap} × cap, ≤ ${tuning.maxLinesPerAgent} lines per agent, ` +
    `progressive until ${tuning.minLiveAnswers} live answers; statistics half-life 1 h; every run starts cold (learning included)`,
);
console.log('');
console.log('| agents | mode | talk min / agent-hour | talk min / hour (all agents) | abandon rate | calls placed | live answers | abandoned | agent utilisation | predictive ÷ progressive talk | wall time |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
const predictiveRuns: SimulationResult[] = [];
for (const agents of TEAMS) {
  const runs: SimulationResult[] = [];
  const wall: number[] = [];
  for (const mode of ['progressive', 'predictive'] as const) {
    const started = process.hrtime.bigint();
    runs.push(simulateCampaign({ mode, agents, hours: HOURS, seed: SEED }));
    wall.push(Number(process.hrtime.bigint() - started) / 1e9);
  }
  const [progressive, predictive] = runs;
  predictiveRuns.push(predictive);
  runs.forEach((r, i) => {
    const ratio = r === predictive ? `**${(predictive.talkMinutesPerHour / progressive.talkMinutesPerHour).toFixed(2)} ×**` : '';
    console.log(
      `| ${agents} | ${r.mode} | ${r.talkMinutesPerAgentHour.toFixed(1)} | ${r.talkMinutesPerHour.toFixed(0)} | ${pct(r.abandonRate)} | ` +
        `${r.callsPlaced} | ${r.liveAnswers} | ${r.abandoned} | ${pct(r.utilisation)} | ${ratio} | ${wall[i].toFixed(1)} s |`,
    );
  });
}
console.log('');
console.log('Predictive, abandon rate hour by hour (the first hour includes learning in progressive mode):');
for (const r of predictiveRuns) {
  const hourly = r.hourlyAbandonRates.map((x) => (x * 100).toFixed(2)).join(' ');
  console.log(`  ${r.agents} agents: ${hourly} (%); decisions taken in predictive mode: ${pct(r.predictiveShare)}`);
}
