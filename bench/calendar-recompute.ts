import { demoActor } from '../apps/demo-users.js';
import { createRuntime } from '../apps/runtime.js';
import { importCalendarYear } from '../db/calendar-import.js';
import { connect, type Sql } from '../db/connection.js';
import { installCalendar } from '../db/reference-data.js';
import { CHINA_CALENDAR_BASE, chineseDaysYears } from '../engine/time/china-calendar.js';
import type { WallClock } from '../engine/time/wall-clock.js';
import type { Logger } from '../platform/logger.js';
import { FICTIONAL_2027 } from '../test/unit/support/fictional-calendar-year.js';
import { DeadlineRecompute, type RecomputePass } from '../workers/deadline-recompute.js';
import type { BenchArgs } from './args.js';
import { cloneCases, makeTemplates, withIndexesDeferred } from './bulk-load.js';
import { coresBetween, cpuSnapshot } from './cpu-usage.js';
import { recordResults } from './results.js';
import { fmt, table } from './stats.js';
import { startBenchServices } from './system.js';

/**
 * `npm run bench -- calendar` (second part): the recount of open deadlines after a calendar import
 * (issue 10: 100,000 open deadlines in < 60 s; `--full`, quick mode 20,000).
 *
 * A benchmark calendar `bench-cn` (mainland China's data from the package, 2025–2026) is made the
 * construction permit's; real joint-review cases received Monday 28 December 2026 have their five 5-day
 * reviews and their own 10-day limit past the horizon (provisional). One is cloned in bulk (`cloneCases`,
 * keeping the template's dates and derivations). Then the FICTIONAL 2027 of the tests is imported
 * (`importCalendarYear`: statutory days plus Monday 4 January off, so every deadline moves a day) and the
 * workers' walk (`DeadlineRecompute`, in this process, on its own pool) runs passes until one finds nothing
 * stale. A deadline is counted as a user sees one: the case's and each open task's; each also has a pending
 * timer that moves with it, counted apart as stored rows.
 */
export async function calendarRecomputeBenchmark(args: BenchArgs): Promise<void> {
  const wanted = args.number('deadlines', args.full ? 100_000 : 20_000);
  const concurrency = args.number('concurrency', 4);
  const batchSize = args.number('batch-size', 500);
  const services = await startBenchServices();
  const cleanup: (() => Promise<void>)[] = [];
  try {
    const url = await services.freshDatabase('bench_calendar');
    const sql = connect(url, { max: 4 });
    cleanup.push(() => sql.end());
    await installCalendar(sql, BENCH_CALENDAR, chineseDaysYears(2025, 2026));
    await sql`update service_items set calendar_code = ${BENCH_CALENDAR.code} where code = 'construction-permit'`;
    const clock = runningFrom(RECEIVED);
    const runtime = createRuntime({ databaseUrl: url, poolSize: 4, clock });
    const ahead = createRuntime({ databaseUrl: url, poolSize: 2, clock: { now: () => new Date(clock.now().getTime() + 20 * 86_400_000) } });
    const templates = await makeTemplates(runtime.engine, sql, ahead.engine);
    await Promise.all([runtime.close(), ahead.close()]);

    const perCase = await countOpen(sql, `= '${templates.jointReview}'::uuid`);
    const clones = Math.max(1, Math.ceil(wanted / perCase.deadlines));
    console.log(`loading ${clones.toLocaleString()} joint-review cases (${perCase.deadlines} deadlines and ${perCase.timers} pending timers each)…`);
    const loadMs = await withIndexesDeferred(sql, ['cases', 'tasks', 'timers'], async () => {
      for (let from = 1; from <= clones; from += 50_000) await cloneCases(sql, { template: templates.jointReview, from, to: Math.min(clones, from + 49_999) });
    });
    const before = await countOpen(sql);
    console.log(`open: ${before.deadlines.toLocaleString()} deadlines (${before.provisional.toLocaleString()} provisional) in ${before.cases.toLocaleString()} cases, ${before.timers.toLocaleString()} pending timers`);

    const imported = await importCalendarYear(sql, { calendarCode: BENCH_CALENDAR.code, ...FICTIONAL_2027 }, demoActor('admin'), clock.now());
    // A runtime made after the import: its catalogue reads the new year at once (a worker's within its 30 s cache).
    const walker = createRuntime({ databaseUrl: url, poolSize: concurrency + 2, clock });
    cleanup.push(() => walker.close());
    const failures: unknown[] = [];
    const logger: Logger = { log: (level, event, fields) => void (level === 'error' && failures.push({ event, fields })) };
    const walk = new DeadlineRecompute({ sql: walker.sql, engine: walker.engine, logger, batchSize, concurrency });
    console.log(`imported ${imported.year} (horizon ${imported.horizon}); walking (batches of ${batchSize}, ${concurrency} at once)…`);
    const cpuBefore = cpuSnapshot({});
    const started = performance.now();
    const passes: (RecomputePass & { ms: number })[] = [];
    for (let last: RecomputePass | undefined; passes.length < 5 && (!last || last.cases > 0); ) {
      const t = performance.now();
      last = await walk.pass();
      passes.push({ ...last, ms: performance.now() - t });
    }
    const walkMs = performance.now() - started;
    const cores = coresBetween(cpuBefore, cpuSnapshot({}));
    const after = await countOpen(sql);
    const stale = await countStale(sql, imported.calendarVersion ?? '');
    const perSecond = before.deadlines / (walkMs / 1000);
    const cpuMsPerCase = (cores: number | undefined) => ((cores ?? 0) * walkMs) / before.cases;
    console.log(`walk: ${fmt(walkMs / 1000)} s, ${fmt(perSecond)} deadlines/s; stale left ${stale}; failures ${failures.length}; other processes ${fmt(cores['other processes on the machine'] ?? 0)} cores`);

    const markdown = [
      `Calendar \`${BENCH_CALENDAR.code}\` (the package's 2025–2026, horizon 2026-12-31); construction-permit cases in joint review received Monday 2026-12-28 09:00, one real and ${clones.toLocaleString()} clones of it (same dates, same derivations), so every deadline reaches into 2027 and is provisional; then the FICTIONAL 2027 of the tests imported (statutory days plus Monday 4 January off: every deadline moves one day). A deadline counts as a user sees one: the case's own and each open task's; each has a pending timer too, rescheduled with it (stored rows: deadlines + timers). The walk (\`DeadlineRecompute\`) runs in the bench process on its own pool of ${concurrency + 2}, batches of ${batchSize}, ${concurrency} commands at once. Target: 100,000 deadlines in < 60 s.`,
      '',
      table(
        ['figure', 'value'],
        [
          ['open deadlines before the import (cases + open tasks) / of them provisional', `${before.deadlines.toLocaleString()} / ${before.provisional.toLocaleString()}`],
          ['running cases / pending timers moved with them', `${before.cases.toLocaleString()} / ${before.timers.toLocaleString()}`],
          ['bulk load (INSERT … SELECT, indexes rebuilt after)', `${fmt(loadMs / 1000)} s`],
          ['**walk until nothing is stale**', `**${fmt(walkMs / 1000)} s** (${fmt(perSecond)} deadlines/s, ${fmt(before.cases / (walkMs / 1000))} cases/s)`],
          ['passes (cases, failed, seconds)', passes.map((p) => `${p.cases.toLocaleString()}, ${p.failed}, ${fmt(p.ms / 1000)}`).join(' · ')],
          ['after: deadlines on the old data / provisional', `${stale} / ${after.provisional}`],
          ['cores during the walk: PostgreSQL / the walk (this process) / other / idle', `${fmt(cores['postgres'] ?? 0)} / ${fmt(cores['load generator'] ?? 0)} / ${fmt(cores['other processes on the machine'] ?? 0)} / ${fmt(cores['idle'] ?? 0)}`],
          // CPU per case holds when other work shares the machine; the wall time does not.
          ['CPU per case: PostgreSQL / the walk', `${fmt(cpuMsPerCase(cores['postgres']))} / ${fmt(cpuMsPerCase(cores['load generator']))} ms`],
        ],
      ),
    ].join('\n');
    console.log(`\n${markdown}`);
    recordResults('calendar-recompute', {
      command: args.command,
      mode: args.full ? 'full' : 'quick',
      machine: services.machine,
      markdown,
      raw: { wanted, clones, concurrency, batchSize, perCase, before, after, stale, loadMs, walkMs, passes, cores, failures },
    });
  } finally {
    for (const step of cleanup.reverse()) await step().catch((e: unknown) => console.error('cleanup:', e));
    await services.stop();
  }
}

/** A jurisdiction for benchmarks only, with mainland China's data: the fictional 2027 must never go into `cn`. */
const BENCH_CALENDAR = { ...CHINA_CALENDAR_BASE, code: 'bench-cn', name: 'Benchmark calendar: the package to 2026, fictional 2027' };

/** Monday: day 1 is Tuesday 29 December, so 5 working days already count on the 2027 estimate. */
const RECEIVED = Date.parse('2026-12-28T09:00:00+08:00');

/** A clock that starts at `from` and runs with wall time (audit events keep their order). */
function runningFrom(from: number): WallClock {
  const offset = from - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}

interface OpenCount {
  readonly cases: number;
  /** The running cases' own deadlines and their open tasks'. */
  readonly deadlines: number;
  readonly provisional: number;
  readonly timers: number;
}

/** Open deadlines of running cases (all, or those whose id matches `idFilter`). */
async function countOpen(sql: Sql, idFilter = 'is not null'): Promise<OpenCount> {
  const [row] = await sql.unsafe<{ cases: number; tasks: number; provisional: number; timers: number }[]>(`
    with c as (select id, due_derivation from cases where status = 'running' and id ${idFilter}),
    t as (select t.due_derivation from tasks t join c on c.id = t.case_id where t.status in ('open', 'claimed'))
    select (select count(*)::int from c) as cases, (select count(*)::int from t) as tasks,
      (select count(*)::int from (select due_derivation from c union all select due_derivation from t) d where (d.due_derivation->>'provisional')::boolean) as provisional,
      (select count(*)::int from timers tm join c on c.id = tm.case_id where tm.status = 'pending') as timers`);
  return { cases: row!.cases, deadlines: row!.cases + row!.tasks, provisional: row!.provisional, timers: row!.timers };
}

/** Open deadlines and pending timers still counted on data other than `version`. */
async function countStale(sql: Sql, version: string): Promise<number> {
  const [row] = await sql<{ n: number }[]>`select
    (select count(*) from cases where status = 'running' and due_derivation->>'calendarVersion' <> ${version})
    + (select count(*) from tasks where status in ('open', 'claimed') and due_derivation->>'calendarVersion' <> ${version})
    + (select count(*) from timers where status = 'pending' and due_derivation->>'calendarVersion' <> ${version}) as n`;
  return Number(row?.n ?? -1);
}
