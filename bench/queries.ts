import { mintToken } from '../api/auth.js';
import { connect, type Sql } from '../db/connection.js';
import { PAGE_COUNT_CAP } from '../db/page-total.js';
import { listDepartmentTasks } from '../db/task-queries.js';
import { departmentCode } from '../engine/ids.js';
import { createRuntime } from '../apps/runtime.js';
import { systemClock } from '../platform/system-clock.js';
import type { BenchArgs } from './args.js';
import { cloneCases, makeTemplates, withIndexesDeferred, type TemplateName } from './bulk-load.js';
import { JsonClient } from './http-client.js';
import { recordResults } from './results.js';
import { fmt, fmtBytes, Latencies, table } from './stats.js';
import { startBenchServices, startServer } from './system.js';

/** The departments of a construction permit, and who reads each one's inbox. */
const DEPARTMENTS = ['window', 'planning', 'ecology', 'fire', 'civil-air-defence', 'water', 'housing'];
const inboxUser = (d: string) => (d === 'window' ? 'window.clerk' : d === 'housing' ? 'housing.lead' : `${d}.handler`);

/**
 * The case mix, in shares of all cases: most cases are closed (as in a real city after a few years),
 * 12% are running, spread over the process's waiting points. Running cases were opened in the last 21
 * days, so part of them are overdue, as the supervisor's list expects; closed ones over the last 3 years.
 */
const MIX: readonly [TemplateName, number][] = [
  ['approved', 0.8],
  ['refused', 0.08],
  ['acceptance', 0.02],
  ['jointReview', 0.06],
  ['decision', 0.04],
];

/** The supervisor's lists (no API route yet: these are the queries such a route needs, on the existing indexes). */
const OVERDUE_LIST = `select id, service_item_code, lead_department, state_label, due_at from cases
  where status = 'running' and due_at < now() order by due_at limit 50`;
const DEPARTMENT_COUNTS = `select department_code, count(*) as open, count(*) filter (where due_at < now()) as overdue
  from tasks where status in ('open', 'claimed') group by department_code`;
/** What `listDepartmentTasks` counts for the inbox's total (`pageTotal`): at most offset + cap + 1 open tasks. */
const INBOX_CAPPED_TOTAL = `select count(*) from (select 1 from tasks where department_code = $1 and status in ('open', 'claimed')
  order by due_at limit $2) as capped`;
const CASE_COUNTS = `select lead_department, count(*) filter (where due_at < now()) as overdue, count(*) as running
  from cases where status = 'running' group by lead_department`;

/**
 * `npm run bench -- queries [--full]`: 100,000 cases (quick) or 1,000,000 (--full) bulk-loaded with their
 * tasks and pending timers, then p50/p95 of a department's inbox page (through the HTTP API and as SQL),
 * the supervisor's overdue list and per-department counts, each with its EXPLAIN plan.
 */
export async function queriesBenchmark(args: BenchArgs): Promise<void> {
  const cases = args.number('cases', args.full ? 1_000_000 : 100_000);
  const samples = args.number('samples', 300);
  const services = await startBenchServices();
  try {
    // --reuse: measure again on the cases a previous run loaded (same count), without loading them again.
    const reuse = args.flag('reuse') && (await loadedCases(services.admin, services.urlOf('bench_queries'))) === cases;
    const url = reuse ? services.urlOf('bench_queries') : await services.freshDatabase('bench_queries');
    const sql = connect(url, { max: 4 });
    const loadMs = reuse ? Number.NaN : await load(sql, url, cases);
    if (reuse) console.log(`reusing the ${cases.toLocaleString()} cases already in bench_queries`);
    const [sizes] = await sql<{ db: string; cases: string; tasks: string; ntasks: string; open: string }[]>`
      select pg_database_size(current_database())::text as db, pg_total_relation_size('cases')::text as cases,
        pg_total_relation_size('tasks')::text as tasks, (select count(*) from tasks)::text as ntasks,
        (select count(*) from tasks where status in ('open', 'claimed'))::text as open`;

    // Inbox through the API: what a handler's page costs end to end (auth, zod, page query and capped total count).
    const server = await startServer({ databaseUrl: url, redisUrl: services.redisUrl, prefix: `{bench-q-${Date.now()}}`, workers: false, poolSize: 4 });
    const client = new JsonClient(server.url, 1);
    const tokens = Object.fromEntries(await Promise.all(DEPARTMENTS.map(async (d) => [d, await mintToken(inboxUser(d), server.secret, systemClock)] as const)));
    const results: [string, Latencies][] = [];
    const measure = async (name: string, run: (i: number) => Promise<unknown>): Promise<void> => {
      for (let i = 0; i < 20; i++) await run(i); // warm caches and prepared statements
      const l = new Latencies();
      for (let i = 0; i < samples; i++) {
        const t = performance.now();
        await run(i);
        l.add(performance.now() - t);
      }
      results.push([name, l]);
      console.log(`${name}: p50 ${fmt(l.summary().p50)} ms, p95 ${fmt(l.summary().p95)} ms`);
    };
    const dept = (i: number) => DEPARTMENTS[i % DEPARTMENTS.length] as string;
    try {
      await measure('inbox page 1 (HTTP GET /api/tasks?status=open&pageSize=20)', async (i) => {
        const res = await client.send('GET', '/api/tasks?status=open&page=1&pageSize=20', tokens[dept(i)] as string);
        if (res.status !== 200) throw new Error(`inbox answered ${res.status}`);
      });
      await measure('inbox page 1 (SQL: listDepartmentTasks, page + capped total)', (i) =>
        listDepartmentTasks(sql, departmentCode(dept(i)), { status: 'open', page: 1, pageSize: 20 }));
      await measure('inbox page 1 without the total count (SQL)', (i) =>
        sql`select * from tasks where department_code = ${dept(i)} and status in ('open', 'claimed') order by due_at, id limit 20`);
      await measure('inbox page 50 (SQL: listDepartmentTasks, offset 980, capped total)', (i) => listDepartmentTasks(sql, departmentCode(dept(i)), { status: 'open', page: 50, pageSize: 20 }));
      await measure('supervisor overdue list, first 50 (SQL)', () => sql.unsafe(OVERDUE_LIST));
      await measure('open and overdue tasks per department (SQL)', () => sql.unsafe(DEPARTMENT_COUNTS));
      await measure('running and overdue cases per lead department (SQL)', () => sql.unsafe(CASE_COUNTS));
    } finally {
      client.close();
      await server.stop();
    }

    const explain = async (query: string, params: unknown[] = []) =>
      (await sql.unsafe<{ 'QUERY PLAN': string }[]>(`explain (analyze, buffers, costs off, timing off) ${query}`, params as never[]))
        .map((r) => r['QUERY PLAN'])
        .join('\n');
    const plans: [string, string][] = [
      ['inbox page (fire)', await explain(`select * from tasks where department_code = $1 and status in ('open', 'claimed') order by due_at, id limit 20`, ['fire'])],
      ['inbox capped total, page 1 (fire)', await explain(INBOX_CAPPED_TOTAL, ['fire', PAGE_COUNT_CAP + 1])],
      ['supervisor overdue list', await explain(OVERDUE_LIST)],
      ['open and overdue tasks per department', await explain(DEPARTMENT_COUNTS)],
      ['running and overdue cases per lead department', await explain(CASE_COUNTS)],
    ];
    await sql.end();

    const markdown = [
      `${cases.toLocaleString()} cases (${MIX.map(([n, s]) => `${n} ${Math.round(s * 100)}%`).join(', ')}), ${Number(sizes?.ntasks).toLocaleString()} tasks ` +
        `(${Number(sizes?.open).toLocaleString()} open), loaded by cloning real cases with INSERT … SELECT generate_series${Number.isNaN(loadMs) ? ' (by an earlier run, reused)' : ` in ${fmt(loadMs / 1000)} s`} ` +
        `(secondary indexes rebuilt after). Database ${fmtBytes(Number(sizes?.db))}: cases ${fmtBytes(Number(sizes?.cases))}, tasks ${fmtBytes(Number(sizes?.tasks))}. ` +
        `Each query ${samples} times in a row on one connection after 20 warm-up runs, departments in turn (${DEPARTMENTS.join(', ')}).`,
      '',
      table(['query', 'p50 ms', 'p95 ms', 'p99 ms'], results.map(([n, l]) => [n, fmt(l.summary().p50), fmt(l.summary().p95), fmt(l.summary().p99)])),
      '',
      ...plans.flatMap(([n, p]) => [`<details><summary>EXPLAIN ANALYZE: ${n}</summary>`, '', '```', p, '```', '</details>', '']),
    ].join('\n');
    console.log(`\n${markdown}`);
    recordResults('queries', { command: args.command, mode: args.full ? 'full' : 'quick', machine: services.machine, markdown, raw: { cases, loadMs, sizes, results: results.map(([n, l]) => [n, l.summary()]), plans } });
  } finally {
    await services.stop();
  }
}

/** Makes the templates with the real engine, then clones them into `cases` cases; returns the load time. */
async function load(sql: Sql, url: string, cases: number): Promise<number> {
    const runtime = createRuntime({ databaseUrl: url, poolSize: 4 });
    const ahead = createRuntime({ databaseUrl: url, poolSize: 2, clock: { now: () => new Date(Date.now() + 20 * 86_400_000) } });
    const templates = await makeTemplates(runtime.engine, sql, ahead.engine);
    await Promise.all([runtime.close(), ahead.close()]);

    console.log(`loading ${cases.toLocaleString()} cases…`);
    const chunk = 50_000;
    return withIndexesDeferred(sql, ['cases', 'tasks', 'timers'], async () => {
      let next = 1;
      for (const [name, share] of MIX) {
        const last = next + Math.round(cases * share) - 1;
        const running = name !== 'approved' && name !== 'refused';
        const spreadSeconds = running ? 21 * 86_400 : 3 * 365 * 86_400;
        for (let from = next; from <= last; from += chunk) {
          await cloneCases(sql, {
            template: templates[name],
            from,
            to: Math.min(last, from + chunk - 1),
            createdAt: `now() - ((g::bigint * 7919) % ${spreadSeconds}) * interval '1 second'`,
          });
          process.stdout.write(`\r  ${name} ${Math.min(last, from + chunk - 1).toLocaleString()} / ${cases.toLocaleString()}   `);
        }
        next = last + 1;
      }
      console.log('\n  recreating indexes and analyzing…');
    });
}

/** How many cloned cases an earlier run left in bench_queries (0 when there is no such database). */
async function loadedCases(admin: Sql, url: string): Promise<number> {
  const [exists] = await admin`select 1 from pg_database where datname = 'bench_queries'`;
  if (!exists) return 0;
  const sql = connect(url, { max: 1 });
  try {
    const [row] = await sql<{ n: number }[]>`select count(*)::int - 5 as n from cases`; // less the 5 templates
    return row?.n ?? 0;
  } finally {
    await sql.end();
  }
}
