import postgres from 'postgres';
import { mintToken } from '../api/auth.js';
import { connect, type Sql } from '../db/connection.js';
import { migrateDatabase } from '../db/migrate.js';
import { PAGE_COUNT_CAP } from '../db/page-total.js';
import { countSupervision, listSupervisedCases, listSupervisedTasks, supervisionMonth } from '../db/supervision-queries.js';
import { supervisionTrend, supervisionWeek } from '../db/supervision-trend-queries.js';
import { countInbox, type InboxView } from '../db/inbox-views.js';
import { listInboxTasks, type TaskListQuery } from '../db/task-queries.js';
import { demoActor } from '../apps/demo-users.js';
import { InvalidCommandError } from '../engine/errors.js';
import { departmentCode } from '../engine/ids.js';
import { createRuntime } from '../apps/runtime.js';
import { systemClock } from '../platform/system-clock.js';
import type { BenchArgs } from './args.js';
import { cloneCases, makeTemplates, withIndexesDeferred, type TemplateName } from './bulk-load.js';
import { PEOPLE, SEARCHED_NAMES, seedInboxPeople } from './inbox-seed.js';
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

/** The counts as they were before issue 12, counted when asked (for comparison with the counters). */
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
 * the supervisors' lists, counts (issue 12) and trend (issue 13), and the per-department counts as they were counted before, each
 * with its EXPLAIN plan.
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
    if (!reuse) await seedInboxPeople(sql, DEPARTMENTS);
    // Measured on today's schema: a migration added since the cases were loaded (an index) is applied to them first.
    if (reuse) await migrateDatabase(url);
    if (reuse) console.log(`reusing the ${cases.toLocaleString()} cases already in bench_queries`);
    const colours = await colourAsTheLaddersWould(sql, reuse);
    const [sizes] = await sql<{ db: string; cases: string; tasks: string; ntasks: string; open: string }[]>`
      select pg_database_size(current_database())::text as db, pg_total_relation_size('cases')::text as cases,
        pg_total_relation_size('tasks')::text as tasks, (select count(*) from tasks)::text as ntasks,
        (select count(*) from tasks where status in ('open', 'claimed'))::text as open`;

    // Inbox through the API: what a handler's page costs end to end (auth, zod, page query and capped total count).
    const server = await startServer({ databaseUrl: url, redisUrl: services.redisUrl, prefix: `{bench-q-${Date.now()}}`, workers: false, poolSize: 4 });
    const client = new JsonClient(server.url, 1);
    const tokens = Object.fromEntries(await Promise.all(DEPARTMENTS.map(async (d) => [d, await mintToken(inboxUser(d), server.secret, systemClock)] as const)));
    const supervisorToken = await mintToken('supervisor', server.secret, systemClock);
    const supervisor = demoActor('supervisor');
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
    const reader = (i: number) => demoActor(inboxUser(dept(i)));
    const inboxPage = (i: number, view: InboxView, query: Partial<TaskListQuery> = {}) =>
      listInboxTasks(sql, reader(i), { view, page: 1, pageSize: 20, ...query }, new Date());
    const licenceNumbers = (await sql<{ number: string }[]>`select number from licences tablesample system (1) limit 50`).map((r) => r.number);
    const caseNumbers = (await sql<{ number: string }[]>`select number from cases tablesample system (1) where status = 'running' limit 50`).map((r) => r.number);
    try {
      const inboxHttp = (path: string) => async (i: number) => {
        const res = await client.send('GET', path, tokens[dept(i)] as string);
        if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
      };
      await measure('inbox page 1 (HTTP GET /api/tasks?view=todo&pageSize=20)', inboxHttp('/api/tasks?view=todo&page=1&pageSize=20'));
      for (const view of ['claimed', 'delegated', 'standIn', 'done', 'departmentDone'] as const) {
        await measure(`inbox: ${view}, page 1 (HTTP GET /api/tasks?view=${view})`, inboxHttp(`/api/tasks?view=${view}&page=1&pageSize=20`));
      }
      await measure('inbox: the counts of the views and unread copies (HTTP GET /api/tasks/counts)', inboxHttp('/api/tasks/counts'));
      await measure(`inbox: to do of an applicant's full name, logged (HTTP, applicantName=${SEARCHED_NAMES.person})`,
        inboxHttp(`/api/tasks?view=todo&applicantName=${encodeURIComponent(SEARCHED_NAMES.person)}`));
      await measure('inbox page 1 (SQL: listInboxTasks, page + capped total)', (i) => inboxPage(i, 'todo'));
      for (const view of ['claimed', 'delegated', 'standIn', 'done', 'departmentDone'] as const) await measure(`inbox: ${view}, page 1 (SQL: listInboxTasks)`, (i) => inboxPage(i, view));
      await measure('inbox: claimed by me, by received time (SQL)', (i) => inboxPage(i, 'claimed', { sort: 'openedAt' }));
      await measure('inbox: counts of 4 views + unread copies (SQL: countInbox, 5 queries side by side)', (i) => countInbox(sql, reader(i), new Date()));
      // The searches of personal data: each answer writes its security event (a transaction on the log's head).
      for (const [what, applicantName] of [
        [`a full name (${SEARCHED_NAMES.person})`, SEARCHED_NAMES.person],
        [`a name's first 2 characters (${SEARCHED_NAMES.personStart})`, SEARCHED_NAMES.personStart],
      ] as const) {
        await measure(`inbox: to do of ${what}, logged (SQL)`, (i) => inboxPage(i, 'todo', { applicantName }));
        await measure(`inbox: done by me of ${what}, logged (SQL)`, (i) => inboxPage(i, 'done', { applicantName }));
      }
      // A city's two characters pick a tenth of the cases: refused as too broad once the cap's applicants are read.
      await measure(`inbox: to do of a city's companies (${SEARCHED_NAMES.companiesStart}), refused: too broad (SQL)`, (i) =>
        inboxPage(i, 'todo', { applicantName: SEARCHED_NAMES.companiesStart }).then(
          () => Promise.reject(new Error(`${SEARCHED_NAMES.companiesStart} was not refused`)),
          (error: unknown) => (error instanceof InvalidCommandError ? undefined : Promise.reject(error)),
        ));
      await measure('inbox: department done of a licence number, logged (SQL)', (i) => inboxPage(i, 'departmentDone', { licenceNumber: licenceNumbers[i % licenceNumbers.length] }));
      await measure('inbox: to do of a case number (SQL)', (i) => inboxPage(i, 'todo', { caseNumber: caseNumbers[i % caseNumbers.length] }));
      await measure('inbox page 1 without the total count (SQL)', (i) =>
        sql`select * from tasks where department_code = ${dept(i)} and status in ('open', 'claimed') order by due_at, id limit 20`);
      await measure('inbox page 50 (SQL: listInboxTasks, offset 980, capped total)', (i) => inboxPage(i, 'todo', { page: 50 }));
      await measure('inbox page 1, yellow only (SQL: listInboxTasks)', (i) => inboxPage(i, 'todo', { colour: 'yellow' }));
      await measure('inbox page 1 by received time, newest first (SQL: listInboxTasks)', (i) => inboxPage(i, 'todo', { sort: 'openedAt', direction: 'desc' }));
      const http = (path: string) => async () => {
        const res = await client.send('GET', path, supervisorToken);
        if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
      };
      await measure('supervision: cases at risk or overdue, page 1 (HTTP GET /api/supervision/cases)', http('/api/supervision/cases?pageSize=20'));
      await measure('supervision: tasks at risk or overdue, page 1 (HTTP GET /api/supervision/tasks)', http('/api/supervision/tasks?pageSize=20'));
      await measure('supervision: counts per department and item (HTTP GET /api/supervision/departments)', http('/api/supervision/departments'));
      await measure('supervision: trend of 12 weeks (HTTP GET /api/supervision/trend)', http('/api/supervision/trend?weeks=12'));
      await measure("supervision: a department's red tasks, page 1 (SQL, page + capped total)", (i) =>
        listSupervisedTasks(sql, supervisor, { colour: 'red', department: departmentCode(dept(i)), page: 1, pageSize: 20 }));
      await measure("supervision: a department's tasks, both colours, page 50 (SQL, offset 980)", (i) =>
        listSupervisedTasks(sql, supervisor, { department: departmentCode(dept(i)), page: 50, pageSize: 20 }));
      await measure('supervision: yellow cases of a service item, page 1 (SQL)', () =>
        listSupervisedCases(sql, supervisor, { colour: 'yellow', serviceItem: 'construction-permit', page: 1, pageSize: 20 }));
      await measure('supervision: counts per department and item (SQL, counters)', () => countSupervision(sql, supervisor, { month: supervisionMonth(new Date()) }));
      await measure('supervision: trend of 12 weeks (SQL, weekly counters)', () => supervisionTrend(sql, supervisor, { lastWeek: supervisionWeek(new Date()), weeks: 12 }));
      await measure('before issue 12: open and overdue tasks per department, counted (SQL)', () => sql.unsafe(DEPARTMENT_COUNTS));
      await measure('before issue 12: running and overdue cases per lead department, counted (SQL)', () => sql.unsafe(CASE_COUNTS));
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
      ...(await explainEach(url, 'inbox: fire claimed by me, page 1', (q) => listInboxTasks(q, demoActor('fire.handler'), { view: 'claimed', page: 1, pageSize: 20 }, new Date()), INBOX_STATEMENT)),
      ...(await explainEach(url, 'inbox: fire held by those I stand in for, page 1', (q) => listInboxTasks(q, demoActor('fire.handler'), { view: 'standIn', page: 1, pageSize: 20 }, new Date()), INBOX_STATEMENT)),
      ...(await explainEach(url, 'inbox: fire done by me, page 1', (q) => listInboxTasks(q, demoActor('fire.handler'), { view: 'done', page: 1, pageSize: 20 }, new Date()), INBOX_STATEMENT)),
      ...(await explainEach(url, `inbox: fire done by me of ${SEARCHED_NAMES.person}, page 1`, (q) => listInboxTasks(q, demoActor('fire.handler'), { view: 'done', applicantName: SEARCHED_NAMES.person, page: 1, pageSize: 20 }, new Date()), INBOX_STATEMENT)),
      ...(await explainEach(url, 'supervision: tasks at risk or overdue, page 1', (q) => listSupervisedTasks(q, supervisor, { page: 1, pageSize: 20 }))),
      ...(await explainEach(url, "supervision: fire's red tasks, page 1", (q) => listSupervisedTasks(q, supervisor, { colour: 'red', department: departmentCode('fire'), page: 1, pageSize: 20 }))),
      ...(await explainEach(url, 'supervision: cases at risk or overdue, page 1', (q) => listSupervisedCases(q, supervisor, { page: 1, pageSize: 20 }))),
      ...(await explainEach(url, 'supervision: counts', (q) => countSupervision(q, supervisor, { month: supervisionMonth(new Date()) }))),
      ...(await explainEach(url, 'supervision: trend of 12 weeks', (q) => supervisionTrend(q, supervisor, { lastWeek: supervisionWeek(new Date()), weeks: 12 }))),
      ['before issue 12: open and overdue tasks per department', await explain(DEPARTMENT_COUNTS)],
      ['before issue 12: running and overdue cases per lead department', await explain(CASE_COUNTS)],
    ];
    await sql.end();

    const markdown = [
      `${cases.toLocaleString()} cases (${MIX.map(([n, s]) => `${n} ${Math.round(s * 100)}%`).join(', ')}), ${Number(sizes?.ntasks).toLocaleString()} tasks ` +
        `(${Number(sizes?.open).toLocaleString()} open), loaded by cloning real cases with INSERT … SELECT generate_series${Number.isNaN(loadMs) ? ' (by an earlier run, reused)' : ` in ${fmt(loadMs / 1000)} s`} ` +
        `(secondary indexes rebuilt after). Database ${fmtBytes(Number(sizes?.db))}: cases ${fmtBytes(Number(sizes?.cases))}, tasks ${fmtBytes(Number(sizes?.tasks))}. ` +
        `Coloured as the warning ladders would have (${colours}); the supervision counters counted once after the load (\`supervision_recount()\`). ` +
        `The inbox's people (\`bench/inbox-seed.ts\`): each applicant named apart (18,000 persons' names, 3,000 companies'), half the open tasks claimed by one of ` +
        `${PEOPLE} people per department (a tenth of each one's delegated to them), completions spread over them, a licence per approved case, each ` +
        `department's inbox user standing in now for another, 3,000 copies per department (one in ten unread). ` +
        `Each query ${samples} times in a row on one connection after 20 warm-up runs, departments in turn (${DEPARTMENTS.join(', ')}).`,
      '',
      table(['query', 'p50 ms', 'p95 ms', 'p99 ms'], results.map(([n, l]) => [n, fmt(l.summary().p50), fmt(l.summary().p95), fmt(l.summary().p99)])),
      '',
      ...plans.flatMap(([n, p]) => [`<details><summary>EXPLAIN ANALYZE: ${n}</summary>`, '', '```', p, '```', '</details>', '']),
    ].join('\n');
    console.log(`\n${markdown}`);
    recordResults('queries', { command: args.command, mode: args.full ? 'full' : 'quick', machine: services.machine, markdown, raw: { cases, loadMs, sizes, colours, results: results.map(([n, l]) => [n, l.summary()]), plans } });
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
    return withIndexesDeferred(sql, ['cases', 'tasks', 'timers', 'licences'], async () => {
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
            people: true,
          });
          process.stdout.write(`\r  ${name} ${Math.min(last, from + chunk - 1).toLocaleString()} / ${cases.toLocaleString()}   `);
        }
        next = last + 1;
      }
      console.log('\n  recreating indexes and analyzing…');
    });
}

/**
 * Colours the running cases and open tasks as their warning ladders would have by now (the clones keep their
 * templates' green): an open task red once its due has passed, yellow within two days of it (the default ladder's
 * "2 working days left", in calendar days); a case the worst of its own due's colour and its open tasks'. Written
 * with triggers off, like the load, then the counters are counted once. A reused database is coloured again only
 * if nothing in it is coloured. Returns what it found, for the report.
 */
async function colourAsTheLaddersWould(sql: Sql, reuse: boolean): Promise<string> {
  const [coloured] = await sql<{ n: number }[]>`select count(*)::int as n from tasks where status in ('open', 'claimed') and warning_level <> 'green'`;
  if (!reuse || coloured?.n === 0) {
    console.log('colouring running cases and open tasks, counting the supervision counters…');
    await sql.begin(async (tx) => {
      await tx.unsafe('set local session_replication_role = replica');
      await tx`update tasks set warning_level = case when due_at <= now() then 'red' when due_at <= now() + interval '2 days' then 'yellow' else 'green' end
        where status in ('open', 'claimed')`;
      await tx`update cases c set warning_level = case
          when c.due_at <= now() or exists (select 1 from tasks t where t.case_id = c.id and t.status in ('open', 'claimed') and t.warning_level = 'red') then 'red'
          when c.due_at <= now() + interval '2 days' or exists (select 1 from tasks t where t.case_id = c.id and t.status in ('open', 'claimed') and t.warning_level = 'yellow') then 'yellow'
          else 'green' end
        where c.status = 'running'`;
    });
    await sql`select supervision_recount()`;
    await sql.unsafe('vacuum analyze cases, tasks, supervision_counts');
  }
  const rows = await sql<{ what: string; colour: string; n: number }[]>`
    select 'tasks' as what, warning_level as colour, count(*)::int as n from tasks where status in ('open', 'claimed') group by 2
    union all select 'cases', warning_level, count(*)::int from cases where status = 'running' group by 2 order by 1, 2`;
  return ['cases', 'tasks'].map((what) => `${what === 'cases' ? 'running cases' : 'open tasks'}: ${rows.filter((r) => r.what === what).map((r) => `${r.n.toLocaleString()} ${r.colour}`).join(', ')}`).join('; ');
}

/** The statements of the inbox's lists (not the security event a search writes). */
const INBOX_STATEMENT = /from \(?select \* from tasks|from tasks where/;

/** EXPLAIN ANALYZE of each statement `run` sends (a list sends its page and its capped total), with its parameters. */
async function explainEach(url: string, name: string, run: (sql: Sql) => Promise<unknown>, pattern = /at_risk|supervision_counts|supervision_weeks/): Promise<[string, string][]> {
  const sent: { text: string; params: unknown[] }[] = [];
  const traced = postgres(url, { max: 1, onnotice: () => {}, debug: (_c, text, params) => void sent.push({ text, params }) });
  try {
    await run(traced);
    const statements = sent.filter((s) => pattern.test(s.text));
    return await Promise.all(
      statements.map(async ({ text, params }): Promise<[string, string]> => {
        const plan = await traced.unsafe<{ 'QUERY PLAN': string }[]>(`explain (analyze, buffers, costs off, timing off) ${text}`, params as never[]);
        return [`${name}${statements.length > 1 ? (text.includes('count(*)') ? ' (capped total)' : ' (page)') : ''}`, plan.map((r) => r['QUERY PLAN']).join('\n')];
      }),
    );
  } finally {
    await traced.end();
  }
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
