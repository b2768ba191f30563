/**
 * `npm run soak -- [--minutes 10]`: the soak of issue 18. Not part of CI: run on demand, then its table goes to
 * bench/RESULTS.md. See HELP below for what it does.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { describeMachine, machineLine } from '../bench/machine.js';
import { connect, type Sql } from '../db/connection.js';
import { PgCatalog } from '../db/pg-catalog.js';
import { Fleet, type ApiProcess, type FleetProcess } from '../test/support/fleet.js';
import { TEST_JWT_SECRET } from '../test/support/test-auth.js';
import { caseOutcomes } from './case-outcomes.js';
import { beforeNextTimer, checkInvariants, type CheckResult, type Violation } from './invariants.js';
import { MixedLoad, runMixedLoad, seededRandom } from './mixed-load.js';
import { checksTable, injectionsTable, loadTable } from './report.js';
import { SOAK_DATA_DIR, startSoakServices } from './soak-services.js';

const HELP = `usage: npm run soak -- [--minutes 10] [--cases 5000] [--runners 6] [--day-seconds 10] [--seed N] [--no-faults]

Runs every shipped process kind as it is deployed — 2 API processes and 2 workers processes, composed as
\`npm run api\` and \`npm run workers\` compose them (test/support/fleet.ts) — on a PostgreSQL (durable) and a Redis of
its own under ${SOAK_DATA_DIR}, loopback only, and for --minutes drives a mixed load of construction permits through
both API processes (soak/mixed-load.ts: starts, acceptances and supplements, claims, reviews approved, returned or
rejected, decisions and returns, withdrawals, reads), at most --cases cases.

Time: the processes share one test clock, which the soak moves forward steadily, one working calendar day every
--day-seconds of real time (default 10 s: ten minutes are two months), so that what the law counts in working days —
the reviews' 5-day limits and their yellow, red and red+3 warning rungs, the case limits, the five-day public notice
that ends in the licence — comes due within minutes and is fired by the workers while the load runs.

Faults, every 15 to 40 s at random (none with --no-faults): SIGKILL of an API process or of a workers process (started
again after 1 to 3 s), or a restart of Redis (empty, as without persistence).

At the end: the load stops, the clock moves 40 days on so that everything still pending falls due, the workers catch
up (at most 3 minutes), and the invariant checker (soak/invariants.ts) runs. It prints what it injected, what the load
sent and how it was answered, what each check looked at and found, and the machine; it exits 1 on any violation.`;

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    cases: { type: 'string', default: '5000' },
    runners: { type: 'string', default: '6' },
    'day-seconds': { type: 'string', default: '10' },
    seed: { type: 'string' },
    'no-faults': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(HELP);
  process.exit(0);
}
const MINUTES = Number(args.minutes);
const CASE_CAP = Number(args.cases);
const RUNNERS = Number(args.runners);
const DAY_MS = 86_400_000;
const CLOCK_STEP_MS = 1_000;
const SIMULATED_PER_REAL_MS = DAY_MS / (Number(args['day-seconds']) * 1_000);
const SEED = args.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(args.seed);
const CATCH_UP_MS = 180_000;
/** Monday 30 November 2026, 09:00 in Beijing: a plain working week ahead. */
const START = new Date('2026-11-30T09:00:00+08:00');
const log = (line: string) => console.log(`[soak ${new Date().toISOString().slice(11, 19)}] ${line}`);

const services = await startSoakServices(START, log);
// Two minutes to say ready: on a box shared with other work a start can take far longer than the usual 2 s.
const fleet = new Fleet({ databaseUrl: services.databaseUrl, redisUrl: services.redisUrl, prefix: '{soak}', now: START, readyTimeoutMs: 120_000 });
const sql = connect(services.databaseUrl, { max: 4 });
const redis = new Redis(services.redisUrl, { maxRetriesPerRequest: null });
redis.on('error', () => {}); // refused while Redis restarts: it reconnects by itself
/** An API process without the per-credential rate limit: the load's few demo users stand for a whole city's staff. */
const startApi = () => fleet.api({ TONGBAN_RATE_LIMIT_PER_MINUTE: '0' });
let exitCode = 1;
try {
  exitCode = await soak(sql, redis);
} catch (error) {
  console.error(error);
} finally {
  await fleet.close();
  redis.disconnect();
  await sql.end({ timeout: 5 });
  await services.stop();
}
process.exit(exitCode);

async function soak(sql: Sql, redis: Redis): Promise<number> {
  const machine = await describeMachine(sql, () => redis.info());
  log(`machine: ${machineLine(machine)}`);
  log(`seed ${SEED}; ${MINUTES} min, at most ${CASE_CAP} cases, ${RUNNERS} runners, a day every ${args['day-seconds']} s`);
  const random = seededRandom(SEED);
  const apis: ApiProcess[] = [];
  const workers: FleetProcess[] = [];
  const killed = new Set<number>();
  const unexpected: string[] = [];
  let stopping = false;
  let processes = 0;
  const watch = <P extends FleetProcess>(list: P[], p: P): P => {
    processes += 1;
    list.push(p);
    void p.exited.then((exit) => {
      list.splice(list.indexOf(p), 1);
      if (!killed.has(p.pid) && !stopping) unexpected.push(`${p.kind} ${p.pid} exited (${exit.signal ?? exit.code}): ${p.lines.slice(-3).join(' / ')}`);
    });
    return p;
  };
  await Promise.all([startApi(), startApi(), fleet.workers(), fleet.workers()].map(async (p) => {
    const started = await p;
    if (started.kind === 'api') watch(apis, started as ApiProcess);
    else watch(workers, started);
  }));
  log('2 API and 2 workers processes ready; load on');

  const load = new MixedLoad({ apis: () => apis.map((a) => a.url), jwtSecret: TEST_JWT_SECRET, sql, random });
  const began = performance.now();
  const end = began + MINUTES * 60_000;
  const over = () => performance.now() >= end;
  let started = 0;
  const loading = runMixedLoad(load, {
    runners: RUNNERS,
    stop: over,
    more: async () => {
      if (started >= CASE_CAP || load.moving().filter((c) => !c.waiting).length >= RUNNERS * 2) return false;
      started += 1;
      await load.startCase();
      return true;
    },
  });
  // A process killed meanwhile never answers, or its channel is closed (EPIPE): the one started in its place starts
  // at the fleet's instant, which `setClock` has already moved.
  const moveClock = (to: Date) => Promise.race([fleet.setClock(to).catch(() => {}), sleep(5_000)]);
  // Where the clock should stand by now, from the real time elapsed: a slow step does not slow the calendar down.
  const clock = (async () => {
    while (!over()) {
      await sleep(CLOCK_STEP_MS);
      await moveClock(new Date(START.getTime() + (performance.now() - began) * SIMULATED_PER_REAL_MS));
    }
  })();
  const injected: Record<string, number> = {};
  const faults = (async () => {
    if (args['no-faults']) return;
    for (;;) {
      const next = performance.now() + 15_000 + random() * 25_000;
      while (performance.now() < next && !over()) await sleep(500);
      if (over()) return;
      const kind = ['SIGKILL an API process', 'SIGKILL a workers process', 'restart Redis (empty)'][Math.floor(random() * 3)]!;
      injected[kind] = (injected[kind] ?? 0) + 1;
      log(`inject: ${kind}`);
      if (kind === 'restart Redis (empty)') await services.restartRedis();
      else {
        const [list, start] = kind.includes('API') ? ([apis, startApi] as const) : ([workers, () => fleet.workers()] as const);
        const victim = list[Math.floor(random() * list.length)];
        if (victim) {
          killed.add(victim.pid);
          await victim.kill('SIGKILL');
        }
        await sleep(1_000 + random() * 2_000);
        const again = await startAgain(start);
        if (again.kind === 'api') watch(apis, again as ApiProcess);
        else watch(workers, again);
      }
    }
  })();
  const progress = setInterval(() => {
    const f = load.figures;
    log(`clock ${fleet.now().toISOString().slice(0, 10)}; cases ${started}, moving ${load.moving().length}; sent ${f.sent}, accepted ${f.accepted}, refused ${f.refused}, 503 ${f.unavailable}, no answer ${f.unreachable}`);
  }, 30_000);
  await Promise.all([loading, clock, faults]);
  clearInterval(progress);
  const seconds = (performance.now() - began) / 1000;
  while (apis.length < 2) watch(apis, await startAgain(startApi));
  while (workers.length < 2) watch(workers, await startAgain(() => fleet.workers()));
  stopping = true;

  // First on the system as the load left it (many cases open, timers due and in flight), once the outbox is relayed.
  const catalog = new PgCatalog(sql, () => fleet.now().getTime());
  log('load stopped; waiting for the outbox to be relayed, then checking…');
  await relayed(sql);
  // Half an hour before the next timer, after a few reconciler ticks: the horizon holds something to look at.
  const before = await beforeNextTimer(sql, fleet.now());
  if (before) await moveClock(before);
  await sleep(2_000);
  const atStop = [...(await checkInvariants({ sql, redis, prefix: '{soak}', catalog, now: fleet.now() })), await catchUp(sql, fleet.now())];
  log('the clock 40 days on, waiting for the workers to catch up…');
  await moveClock(new Date(fleet.now().getTime() + 40 * DAY_MS));
  const caughtUp = await catchUp(sql, fleet.now());
  log('checking the invariants…');
  const results: CheckResult[] = [
    ...(await checkInvariants({ sql, redis, prefix: '{soak}', catalog, now: fleet.now() })),
    await caseOutcomes(sql, load.cases),
    caughtUp,
    { name: 'processes-alive', unit: 'processes started', lookedAt: processes, violations: unexpected.map((what) => ({ caseId: null, what })) },
  ];
  const [closed] = await sql<{ n: number }[]>`select count(*)::int as n from cases where status not in ('running', 'suspended')`;
  const markdown = [
    `Soak of ${MINUTES} min (${seconds.toFixed(0)} s of load), seed ${SEED}, ${RUNNERS} runners, a working calendar day every ${args['day-seconds']} s (test clock ${START.toISOString().slice(0, 10)} → ${fleet.now().toISOString().slice(0, 10)}, the last 40 days moved at the end).`,
    `Machine: ${machineLine(machine)}.`,
    '',
    injectionsTable(injected),
    '',
    loadTable(load.figures, { started: load.cases.size, closed: closed?.n ?? 0, seconds }),
    '',
    'Checked when the load stopped (the clock moved to half an hour before the next timer, so that the scheduling horizon holds some; then the workers caught up):',
    '',
    checksTable(atStop),
    '',
    'Checked at the end (the clock 40 days on, everything due fired):',
    '',
    checksTable(results),
  ].join('\n');
  console.log(`\n${markdown}\n`);
  writeFileSync(join(SOAK_DATA_DIR, `soak-${Date.now()}.json`), JSON.stringify({ seed: SEED, minutes: MINUTES, machine, injected, figures: load.figures, atStop, results }, null, 2));
  const violations = [...atStop, ...results].reduce((n, r) => n + r.violations.length, 0);
  log(violations === 0 ? 'no violation' : `${violations} violations`);
  return violations === 0 ? 0 : 1;
}

/** Starts a process again, trying three times: a start that times out on a loaded box is the box's, not a fault. */
async function startAgain<P>(start: () => Promise<P>): Promise<P> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (attempt === 3) throw error;
      log(`a start failed (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); again`);
    }
  }
}

/** Waits (at most a minute) until the relay has sent every outbox row. */
async function relayed(sql: Sql): Promise<void> {
  const deadline = performance.now() + 60_000;
  while (performance.now() < deadline) {
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from outbox where sent_at is null`;
    if (row?.n === 0) return;
    await sleep(200);
  }
}

/** `workers-caught-up`: within {@link CATCH_UP_MS}, no timer due by `now` is left pending and no outbox row unsent. */
async function catchUp(sql: Sql, now: Date): Promise<CheckResult> {
  const at = now.toISOString();
  const left = () => sql<{ id: string; caseId: string; kind: string }[]>`
    select t.id, t.case_id as "caseId", t.kind from timers t where t.status = 'pending' and t.due_at <= ${at}::timestamptz
      and not exists (select 1 from cases c where c.id = t.case_id and c.status = 'suspended')
    union all select null, case_id, 'outbox row ' || id from outbox where sent_at is null`;
  const deadline = performance.now() + CATCH_UP_MS;
  let rows = await left();
  while (rows.length > 0 && performance.now() < deadline) {
    await sleep(500);
    rows = await left();
  }
  const [due] = await sql<{ n: number }[]>`select count(*)::int as n from timers where due_at <= ${at}::timestamptz`;
  const violations: Violation[] = rows.map((r) => ({ caseId: r.caseId, what: `${r.kind} ${r.id ?? ''} still pending ${CATCH_UP_MS / 1000} s after the load stopped`.trim() }));
  return { name: 'workers-caught-up', unit: 'timers due by the end', lookedAt: due?.n ?? 0, violations };
}
