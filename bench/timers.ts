import { connect, type Sql } from '../db/connection.js';
import { OUTBOX_TOPICS } from '../db/outbox-contract.js';
import { createRuntime } from '../apps/runtime.js';
import type { BenchArgs } from './args.js';
import { cloneCaseId, cloneCases, makeTemplates, withIndexesDeferred } from './bulk-load.js';
import { runLoad, type LoadResult } from './case-load.js';
import { recordResults } from './results.js';
import { fmt, fmtBytes, percentile, sleep, table } from './stats.js';
import { startBenchServices, startServer } from './system.js';
import { tongbanFlow } from './tongban-flow.js';

/**
 * `npm run bench -- timers [--full]`:
 *  A. N pending deadlines (100,000 quick, 1,000,000 --full): joint-review cases bulk-loaded with their
 *     deadline timers (rows only), due some working days ahead. Redis holds only the timers due within the
 *     scheduling horizon (an hour), so the figures come twice: (1) as loaded, after the reconciler's start-up
 *     walk; (2) dense, every one of them moved to fall due 50–60 minutes ahead (the worst hour there could
 *     be), until the reconciler's walk has made each a BullMQ delayed job: time to schedule, Redis memory.
 *     PostgreSQL size of the timers.
 *  B. Firing lateness (fired_at − due_at, both engine clock) of timers coming due over a minute while HTTP
 *     commands run paced at `--rate`, with the N deadlines still pending (and delayed jobs in Redis).
 *  C. 10,000 deadlines due at the same instant (joint reviews: 5 task deadlines and the case's own per
 *     case): time until all have fired, and that each fired exactly once (one audit event per timer).
 */
export async function timersBenchmark(args: BenchArgs): Promise<void> {
  const pending = args.number('deadlines', args.full ? 1_000_000 : 100_000);
  const lateTimers = args.number('late-timers', 3_000);
  const lateWindowS = args.number('late-window', 60);
  const rate = args.number('rate', 130); // about half of the sustained rate measured by `commands` on this machine
  const burst = args.number('burst', 10_000);
  const workerConcurrency = args.number('worker-concurrency', 0); // 0: the workers' default (4 jobs per worker)
  const services = await startBenchServices();
  const cleanup: (() => Promise<void>)[] = [];
  try {
    const url = await services.freshDatabase('bench_timers');
    const sql = connect(url, { max: 4 });
    cleanup.push(() => sql.end());
    const runtime = createRuntime({ databaseUrl: url, poolSize: 4 });
    const ahead = createRuntime({ databaseUrl: url, poolSize: 2, clock: { now: () => new Date(Date.now() + 20 * 86_400_000) } });
    const templates = await makeTemplates(runtime.engine, sql, ahead.engine);
    await Promise.all([runtime.close(), ahead.close()]);
    await sql`update outbox set sent_at = now() where sent_at is null`; // the templates' own rows: not part of the figures

    // A. Bulk-load joint-review cases (each has a deadline timer per open review and one for the case), due
    // some working days after a creation spread over the last 2 days.
    const [perCase] = await sql<{ n: number }[]>`select count(*)::int as n from timers where case_id = ${templates.jointReview}::uuid and status = 'pending'`;
    const timersPerCase = perCase?.n ?? 5;
    const pendingCases = Math.ceil(pending / timersPerCase);
    console.log(`A. loading ${pendingCases.toLocaleString()} cases with ${(pendingCases * timersPerCase).toLocaleString()} pending deadlines…`);
    const loadMs = await withIndexesDeferred(sql, ['cases', 'tasks', 'timers'], async () => {
      for (let from = 1; from <= pendingCases; from += 50_000) {
        const to = Math.min(pendingCases, from + 49_999);
        await cloneCases(sql, { template: templates.jointReview, from, to, createdAt: `now() - ((g::bigint * 7919) % 172800) * interval '1 second'` });
        process.stdout.write(`\r  ${to.toLocaleString()} / ${pendingCases.toLocaleString()} cases   `);
      }
      console.log();
    });
    const [pgSize] = await sql<{ timers: string; outbox: string; db: string; n: number }[]>`
      select pg_total_relation_size('timers')::text as timers, pg_total_relation_size('outbox')::text as outbox,
        pg_database_size(current_database())::text as db, (select count(*)::int from timers where status = 'pending') as n`;
    const redisBefore = memory(await services.redis.info('memory'));
    const prefix = `{bench-t-${Date.now()}}`;
    const server = await startServer({
      databaseUrl: url,
      redisUrl: services.redisUrl,
      prefix,
      reconcilerIntervalMs: 1_000,
      ...(workerConcurrency ? { workerConcurrency } : {}),
    });
    cleanup.push(() => server.stop());
    const delayedKey = `${prefix}:timers:delayed`;
    await sleep(3_000); // the start-up walk into the horizon, and a tick after it
    const asLoaded = { jobs: await services.redis.zcard(delayedKey), redis: memory(await services.redis.info('memory')) - redisBefore };
    console.log(`   as loaded: ${asLoaded.jobs.toLocaleString()} delayed jobs, Redis +${fmtBytes(asLoaded.redis)}`);

    console.log(`   moving all ${pgSize!.n.toLocaleString()} into the coming hour…`);
    await sql`update timers set due_at = now() + interval '50 minutes' + (abs(hashtext(id::text)) % 600000) * interval '1 millisecond'
      where status = 'pending'`;
    const t0 = performance.now();
    let scheduled = 0;
    while (performance.now() - t0 < 30 * 60_000) {
      scheduled = await services.redis.zcard(delayedKey);
      if (scheduled >= pgSize!.n) break;
      await sleep(250);
    }
    const scheduleMs = performance.now() - t0;
    const redisAfter = memory(await services.redis.info('memory'));
    console.log(`   ${scheduled.toLocaleString()} delayed jobs in ${fmt(scheduleMs / 1000)} s; Redis +${fmtBytes(redisAfter - redisBefore)}`);

    // B. Lateness under command load.
    console.log(`B. ${lateTimers} timers due over ${lateWindowS} s while commands run at ${rate}/s…`);
    const lateFrom = pendingCases + 1;
    const lateTo = lateFrom + Math.ceil(lateTimers / timersPerCase) - 1;
    await cloneCases(sql, { template: templates.jointReview, from: lateFrom, to: lateTo, createdAt: 'now()' });
    const lateStart = new Date(Date.now() + 10_000);
    await dueAt(sql, lateFrom, lateTo, lateStart, lateWindowS * 1000);
    const driverSql = connect(url, { max: 4 });
    cleanup.push(() => driverSql.end());
    const flow = await tongbanFlow({ apiUrl: server.url, secret: server.secret, driverSql, timerEngine: null, maxSockets: 64 });
    let load: LoadResult;
    try {
      load = await runLoad(flow, { concurrency: 64, warmupMs: 10_000, durationMs: lateWindowS * 1000 + 5_000, rate });
    } finally {
      flow.close();
    }
    await waitFired(sql, lateFrom, lateTo, 60_000);
    const lateness = await latenessOf(sql, lateFrom, lateTo);

    // C. A burst of simultaneous deadlines.
    console.log(`C. ${burst.toLocaleString()} deadlines due at the same instant…`);
    const burstFrom = lateTo + 1;
    const burstTo = burstFrom + Math.ceil(burst / timersPerCase) - 1;
    await cloneCases(sql, { template: templates.jointReview, from: burstFrom, to: burstTo, createdAt: 'now()' });
    const instant = new Date(Date.now() + 20_000);
    await dueAt(sql, burstFrom, burstTo, instant, 0);
    const burstDone = await waitFired(sql, burstFrom, burstTo, 10 * 60_000);
    const allFiredMs = burstDone.at - instant.getTime();
    const [once] = await sql<{ timers: number; events: number; twice: number }[]>`
      with t as (select id from timers where case_id in (select ${sql.unsafe(cloneCaseId('g'))} from generate_series(${burstFrom}::int, ${burstTo}::int) g)),
      e as (select data->>'timerId' as timer, count(*) as n from audit_events where data ? 'timerId'
        and case_id in (select ${sql.unsafe(cloneCaseId('g'))} from generate_series(${burstFrom}::int, ${burstTo}::int) g) group by 1)
      select (select count(*)::int from t) as timers, (select coalesce(sum(n), 0)::int from e) as events, (select count(*)::int from e where n > 1) as twice`;
    const burstLateness = await latenessOf(sql, burstFrom, burstTo);

    const markdown = [
      `Workers: the timer worker at ${workerConcurrency || 'its default of 4'} jobs in parallel, the relay, the reconciler ticking every second; API + workers in one process, pool 20.`,
      '',
      table(
        ['figure', 'value'],
        [
          [`A. pending deadlines (joint reviews: ${timersPerCase} per case)`, pgSize!.n.toLocaleString()],
          ['A. bulk load into PostgreSQL (cases, tasks, timers; INSERT … SELECT)', `${fmt(loadMs / 1000)} s`],
          ['A1. as loaded (due over the coming working days): delayed jobs in Redis / Redis memory', `${asLoaded.jobs.toLocaleString()} / ${fmtBytes(asLoaded.redis)}`],
          ['A2. all moved into the coming hour: time until the reconciler walk (1 s ticks, keyset pages of 1,000, one addBulk each) made each a delayed job', `${fmt(scheduleMs / 1000)} s (${fmt(pgSize!.n / (scheduleMs / 1000))} jobs/s)`],
          ['A2. Redis memory for them (used_memory after − before)', `${fmtBytes(redisAfter - redisBefore)} (${fmt((redisAfter - redisBefore) / pgSize!.n)} B per job)`],
          ['A. PostgreSQL: timers table with indexes / outbox / whole database', `${fmtBytes(Number(pgSize!.timers))} / ${fmtBytes(Number(pgSize!.outbox))} / ${fmtBytes(Number(pgSize!.db))}`],
          [`B. firing lateness p50 / p99 / max (${lateness.n} timers over ${lateWindowS} s, ${fmt(load.commandsPerSec)} HTTP commands/s alongside)`, `${fmt(lateness.p50)} / ${fmt(lateness.p99)} / ${fmt(lateness.max)} ms`],
          ['B. command latency meanwhile p50 / p99', `${fmt(load.latency.p50)} / ${fmt(load.latency.p99)} ms (errors ${JSON.stringify(load.errors)})`],
          [`C. ${once!.timers.toLocaleString()} deadlines due at one instant: all fired after`, `${fmt(allFiredMs / 1000)} s (${fmt(once!.timers / (allFiredMs / 1000))} fires/s)`],
          ['C. exactly once: audit events of timer fires / timers with more than one', `${once!.events.toLocaleString()} / ${once!.twice}`],
          ['C. lateness p50 / p99 / max', `${fmt(burstLateness.p50)} / ${fmt(burstLateness.p99)} / ${fmt(burstLateness.max)} ms`],
        ],
      ),
    ].join('\n');
    console.log(`\n${markdown}`);
    recordResults(workerConcurrency ? `timers-workers-${workerConcurrency}` : 'timers', { command: args.command, mode: args.full ? 'full' : 'quick', machine: services.machine, markdown, raw: { pending: pgSize, loadMs, asLoaded, scheduleMs, redisBefore, redisAfter, lateness, load, allFiredMs, once, burstLateness } });
  } finally {
    for (const step of cleanup.reverse()) await step().catch((e: unknown) => console.error('cleanup:', e));
    await services.stop();
  }
}

const memory = (info: string): number => Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
const casesOf = (from: number, to: number) => `(select ${cloneCaseId('g')} from generate_series(${from}::int, ${to}::int) g)`;

/** Moves the pending timers of clones from..to to `start` + a spread of `spreadMs`, and writes their outbox rows. */
async function dueAt(sql: Sql, from: number, to: number, start: Date, spreadMs: number): Promise<void> {
  await sql.unsafe(
    `with moved as (
       update timers tm set due_at = $1::timestamptz + (abs(hashtext(tm.id::text)) % greatest($2::int, 1)) * interval '1 millisecond'
       where tm.case_id in ${casesOf(from, to)} and tm.status = 'pending' returning tm.id, tm.case_id, tm.due_at)
     insert into outbox (case_id, topic, payload) select case_id, '${OUTBOX_TOPICS.timer}', jsonb_build_object('timerId', id, 'dueAt', due_at) from moved`,
    [start.toISOString(), spreadMs] as never[],
  );
}

/** Polls until every timer of clones from..to has fired (or the timeout); returns when that was (epoch ms). */
async function waitFired(sql: Sql, from: number, to: number, timeoutMs: number): Promise<{ at: number; left: number }> {
  const start = Date.now();
  for (;;) {
    const [row] = await sql.unsafe<{ n: number }[]>(`select count(*)::int as n from timers where case_id in ${casesOf(from, to)} and status = 'pending'`);
    if (row?.n === 0 || Date.now() - start > timeoutMs) return { at: Date.now(), left: row?.n ?? -1 };
    await sleep(100);
  }
}

async function latenessOf(sql: Sql, from: number, to: number): Promise<{ n: number; p50: number; p99: number; max: number }> {
  const rows = await sql.unsafe<{ ms: number }[]>(
    `select extract(epoch from fired_at - due_at) * 1000 as ms from timers where case_id in ${casesOf(from, to)} and status = 'fired'`,
  );
  const ms = rows.map((r) => Number(r.ms));
  return { n: ms.length, p50: percentile(ms, 50), p99: percentile(ms, 99), max: percentile(ms, 100) };
}
