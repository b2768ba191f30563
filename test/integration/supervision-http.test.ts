import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../db/connection.js';
import { countSupervision, listSupervisedCases, listSupervisedTasks } from '../../db/supervision-queries.js';
import { demoActor } from '../../apps/demo-users.js';
import { departmentCode } from '../../engine/ids.js';
import { createApiFixture, type Answer, type ApiFixture } from '../support/api-fixture.js';
import { CONSTRUCTION_APPLICATION, caseDriver } from '../support/case-driver.js';
import { planNodes, preparedPlan, type PlanNode } from '../support/query-plans.js';
import { fireDueTimers, publishQuickPermit, QUICK_PERMIT } from '../support/supervised-time.js';

/**
 * Issue 12, supervision (效能监察) over HTTP: the lists of running cases and open steps at risk (yellow) or overdue
 * (red), and the counts per department and service item kept by the triggers of migration 0019.
 *
 * Colours are set two ways. The first block drives them through the engine: the manual clock moves and the case's
 * due timers fire, as the timer worker would fire them. The blocks after it set `warning_level` and `due_at` with
 * UPDATEs in the test database (the engine's rungs are not under test there, the list and count queries are); the
 * UPDATEs fire the counters' triggers as the commit statement's would.
 */

let f: ApiFixture;
const driver = caseDriver(() => f);
const { start, startInJointReview } = driver;

/** A one-step item: a fire review of 1 working day, approval ends the case (approved); 1 committed working day. */
const QUICK = QUICK_PERMIT;

beforeAll(async () => {
  f = await createApiFixture();
  await publishQuickPermit(f);
});
afterAll(() => f.close());

interface Listed {
  readonly id: string;
  readonly dueAt: string;
  readonly warningLevel: string;
  readonly [key: string]: unknown;
}

const expectProblem = (res: Answer, status: number, code: string) => expect([res.status, res.body?.code], JSON.stringify(res.body)).toEqual([status, code]);

async function list(kind: 'cases' | 'tasks', query = '', user = 'supervisor'): Promise<{ items: Listed[]; total: number; totalExact: boolean }> {
  const res = await f.as(user).get(`/api/supervision/${kind}${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** Every page of a list, walked `pageSize` at a time. */
async function walk(kind: 'cases' | 'tasks', filter: string, pageSize: number, user = 'supervisor'): Promise<Listed[]> {
  const seen: Listed[] = [];
  for (let page = 1; ; page++) {
    const { items } = await list(kind, `?pageSize=${pageSize}&page=${page}${filter}`, user);
    seen.push(...items);
    if (items.length < pageSize) return seen;
  }
}

/** The rows a list should show, read from the tables here, in the promised order (due time, then id). */
async function expected(kind: 'cases' | 'tasks', where: (r: Record<string, string>) => boolean = () => true): Promise<string[]> {
  const rows =
    kind === 'cases'
      ? await f.sql`select id::text, to_char(due_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as due, warning_level, lead_department as department,
          service_item_code as item from cases where status = 'running' and warning_level in ('yellow', 'red')`
      : await f.sql`select t.id::text, to_char(t.due_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as due, t.warning_level, t.department_code as department,
          c.service_item_code as item from tasks t join cases c on c.id = t.case_id where t.status in ('open', 'claimed') and t.warning_level in ('yellow', 'red')`;
  return (rows as unknown as Record<string, string>[])
    .filter(where)
    .sort((a, b) => (a['due']! < b['due']! ? -1 : a['due']! > b['due']! ? 1 : a['id']! < b['id']! ? -1 : 1))
    .map((r) => r['id']!);
}

const fireDue = (caseId: string) => fireDueTimers(f, caseId);

describe('colours set by the engine', () => {
  it('a step turns yellow, then red, through its rung timers; the lists show it as it is, and never a green one', async () => {
    f.clock.set(new Date('2026-11-30T09:00:00+08:00'));
    const watched = await startInJointReview();
    const untouched = await startInJointReview();
    const [first] = await f.sql`select min(due_at)::text as due from tasks where case_id = ${watched} and status = 'open'`;
    const due = new Date(String(first?.['due']));

    f.clock.set(new Date(due.getTime() - 3_600_000));
    await fireDue(watched);
    const yellow = await f.sql`select id::text from tasks where case_id = ${watched} and warning_level = 'yellow'`;
    expect(yellow.length).toBeGreaterThan(0);
    expect(await f.sql`select id from tasks where case_id = ${watched} and warning_level = 'red'`).toHaveLength(0);
    let tasks = await list('tasks', '?pageSize=100');
    expect(tasks.items.map((t) => t.id)).toEqual(await expected('tasks'));
    expect(tasks.items.filter((t) => t['caseId'] === watched).map((t) => t.id).sort()).toEqual(yellow.map((t) => t['id']).sort());
    expect(tasks.items.some((t) => t['caseId'] === untouched)).toBe(false);
    expect(tasks.items.every((t) => t.warningLevel === 'yellow' && (t['lateHours'] as number) < 0)).toBe(true);
    const cases = await list('cases', '?pageSize=100');
    expect(cases.items.map((c) => c.id)).toEqual(await expected('cases'));
    // The case number (受理编号) people read, joined for the page's rows only.
    const [{ number } = { number: '' }] = await f.sql<{ number: string }[]>`select number from cases where id = ${watched}`;
    expect(number).toMatch(/^\d{4}-\d{6,}$/);
    expect(cases.items.find((c) => c.id === watched)).toMatchObject({ caseNumber: number, warningLevel: 'yellow', serviceItemCode: 'construction-permit', leadDepartment: 'housing' });
    expect(tasks.items.filter((t) => t['caseId'] === watched).map((t) => t['caseNumber'])).toEqual(yellow.map(() => number));

    f.clock.set(new Date(due.getTime() + 2 * 3_600_000));
    await fireDue(watched);
    const red = await f.sql`select id::text from tasks where case_id = ${watched} and warning_level = 'red' and status = 'open'`;
    expect(red.length).toBeGreaterThan(0);
    tasks = await list('tasks', '?colour=red&pageSize=100');
    expect(tasks.items.map((t) => t.id).sort()).toEqual(red.map((t) => t['id']).sort());
    expect(tasks.items[0]).toMatchObject({ warningLevel: 'red', caseId: watched, serviceItemCode: 'construction-permit', leadDepartment: 'housing', status: 'open' });
    expect(tasks.items[0]?.['lateHours']).toBeCloseTo(2, 1);
    // 环节超时: a late step makes its case red.
    expect((await list('cases', '?colour=red')).items.map((c) => c.id)).toContain(watched);

    // The counters followed every change the engine wrote.
    const counts = await f.as('supervisor').get('/api/supervision/departments?department=fire');
    const fire = counts.body.departments[0];
    const [open] = await f.sql`select count(*)::int as open, count(*) filter (where warning_level = 'red')::int as red
      from tasks where department_code = 'fire' and status in ('open', 'claimed')`;
    expect(fire).toMatchObject({ departmentCode: 'fire', open: open?.['open'], red: open?.['red'] });
  });
});

describe('a case that finishes late counts as late in the month it finished', () => {
  it('one finished the day it started is on time; one finished four days after its due is late, and so is its step', async () => {
    f.clock.set(new Date('2026-12-01T09:00:00+08:00'));
    const before = await f.as('supervisor').get('/api/supervision/departments');
    expect(before.body.month).toBe('2026-12');
    const quick = (body: { serviceItems: { serviceItemCode: string }[] }) => body.serviceItems.find((i) => i.serviceItemCode === QUICK);
    expect(quick(before.body)).toBeUndefined();

    const onTime = await start({ ...CONSTRUCTION_APPLICATION, materials: [], serviceItemCode: QUICK });
    await driver.complete('fire.handler', 'review.fire', onTime);
    const late = await start({ ...CONSTRUCTION_APPLICATION, materials: [], serviceItemCode: QUICK });
    expect(quick((await f.as('supervisor').get('/api/supervision/departments')).body)).toMatchObject({ open: 1, finishedOnTime: 1, finishedLate: 0 });
    f.clock.set(new Date('2026-12-07T10:00:00+08:00'));
    await driver.complete('fire.handler', 'review.fire', late);
    const [row] = await f.sql`select status, completed_at > due_at as late from cases where id = ${late}`;
    expect(row).toEqual({ status: 'approved', late: true });

    const after = await f.as('supervisor').get('/api/supervision/departments');
    expect(after.body.month).toBe('2026-12');
    expect(quick(after.body)).toEqual({ serviceItemCode: QUICK, leadDepartment: 'housing', open: 0, yellow: 0, red: 0, finishedOnTime: 1, finishedLate: 1, onTimeRate: 0.5, averageWorkingDays: null });
    const fire = after.body.departments.find((d: { departmentCode: string }) => d.departmentCode === 'fire');
    // The steps took 0 working days (done the day they came) and 4 (2, 3, 4 and 7 December): 2 on average.
    expect(fire.serviceItems.find((i: { serviceItemCode: string }) => i.serviceItemCode === QUICK)).toMatchObject({ finishedOnTime: 1, finishedLate: 1, onTimeRate: 0.5, averageWorkingDays: 2 });
    expect(await f.sql`select working_days from tasks where case_id in (${onTime}, ${late}) and key = 'review.fire' order by completed_at`).toEqual([{ working_days: 0 }, { working_days: 4 }]);
    // November's finished work is not December's.
    const november = await f.as('supervisor').get('/api/supervision/departments?month=2026-11');
    expect(quick(november.body)).toBeUndefined();
  });

  it('a case withdrawn by its applicant (撤件) is no longer open, and neither on time nor late; a recount agrees', async () => {
    const counted = async () =>
      ((await f.as('supervisor').get('/api/supervision/departments')).body.serviceItems as { serviceItemCode: string; open: number }[]).find((i) => i.serviceItemCode === QUICK);
    const before = await counted();
    const id = await start({ ...CONSTRUCTION_APPLICATION, materials: [], serviceItemCode: QUICK });
    expect(await counted()).toMatchObject({ open: (before?.open ?? 0) + 1 });
    const withdrawn = await f.as('window.clerk').post(`/api/cases/${id}/withdrawal`, { reason: '申请人撤回申请 The applicant withdrew the application' });
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).toBe(200);
    const after = await counted();
    expect(after).toEqual({ ...before, open: before?.open ?? 0 });
    await f.sql`select supervision_recount()`;
    expect(await counted()).toEqual(after);
  });
});

describe('the lists, on rows coloured in the test database', () => {
  /** Construction permits (lead housing, reviews by five departments) and business openings (lead market). */
  let permits: string[];
  let openings: string[];
  beforeAll(async () => {
    f.clock.set(new Date('2026-12-07T09:00:00+08:00'));
    permits = [];
    for (let i = 0; i < 4; i++) permits.push(await startInJointReview());
    openings = [];
    for (let i = 0; i < 3; i++) openings.push(await start({ ...CONSTRUCTION_APPLICATION, materials: [], serviceItemCode: 'business-opening' }));
    // Colour them in turn per department (yellow, red, green, yellow…), with due times that repeat (so ties are
    // ordered by id). By SQL: the counters' triggers count these UPDATEs as they count the commit statement's.
    await f.sql`update tasks t set warning_level = (array['yellow', 'red', 'green'])[1 + (n - 1) % 3],
        due_at = timestamptz '2026-12-08 00:00+08' + ((n + 1) % 4) * interval '6 hours'
      from (select id, row_number() over (partition by department_code order by id) as n
        from tasks where case_id = any(${[...permits, ...openings]}) and status in ('open', 'claimed')) as pick
      where t.id = pick.id`;
    await f.sql`update cases c set warning_level = (array['yellow', 'red', 'green'])[1 + (n - 1) % 3],
        due_at = timestamptz '2026-12-20 00:00+08' - (n % 2) * interval '1 day'
      from (select id, row_number() over (partition by lead_department order by id) as n from cases where id = any(${[...permits, ...openings]})) as pick
      where c.id = pick.id`;
  });

  it('list yellow and red rows only, earliest due first, ties by id; each filter narrows them', async () => {
    expect((await list('tasks', '?pageSize=100')).items.map((t) => t.id)).toEqual(await expected('tasks'));
    expect((await list('cases', '?pageSize=100')).items.map((t) => t.id)).toEqual(await expected('cases'));
    const [greens] = await f.sql`select count(*)::int as n from tasks where status in ('open', 'claimed') and warning_level = 'green'`;
    expect(greens?.['n']).toBeGreaterThan(0);

    const filters: [string, (r: Record<string, string>) => boolean][] = [
      ['&colour=yellow', (r) => r['warning_level'] === 'yellow'],
      ['&colour=red', (r) => r['warning_level'] === 'red'],
      ['&department=fire', (r) => r['department'] === 'fire'],
      ['&serviceItem=business-opening', (r) => r['item'] === 'business-opening'],
      ['&serviceItem=construction-permit&department=water&colour=red', (r) => r['item'] === 'construction-permit' && r['department'] === 'water' && r['warning_level'] === 'red'],
      ['&dueBefore=2026-12-08T06:00%2B08:00', (r) => r['due']! < '2026-12-07T22:00:00'],
      ['&dueAfter=2026-12-08T06:00:00.000Z&dueBefore=2026-12-08T18:00:00.000Z', (r) => r['due']! >= '2026-12-08T06:00:00' && r['due']! < '2026-12-08T18:00:00'],
    ];
    for (const [query, where] of filters) {
      const want = await expected('tasks', where);
      expect(want.length, query).toBeGreaterThan(0);
      const got = await list('tasks', `?pageSize=100${query}`);
      expect(got.items.map((t) => t.id), query).toEqual(want);
      expect(got, query).toMatchObject({ total: want.length, totalExact: true });
    }
    const housing = await list('cases', '?pageSize=100&department=housing&colour=red');
    expect(housing.items.map((c) => c.id)).toEqual(await expected('cases', (r) => r['department'] === 'housing' && r['warning_level'] === 'red'));
    const market = await list('cases', '?pageSize=100&serviceItem=business-opening');
    expect(market.items.map((c) => c.id)).toEqual(await expected('cases', (r) => r['item'] === 'business-opening'));
  });

  it('page by page, each row once, in order, with exact totals below the cap', async () => {
    const all = await expected('tasks');
    const walked = await walk('tasks', '', 4);
    expect(walked.map((t) => t.id)).toEqual(all);
    expect(await list('tasks', `?pageSize=4&page=2`)).toMatchObject({ total: all.length, totalExact: true });
    const past = await list('tasks', `?pageSize=4&page=${Math.ceil(all.length / 4) + 1}`);
    expect(past).toMatchObject({ items: [], total: all.length, totalExact: true });
    expect((await walk('cases', '&colour=yellow', 1)).map((c) => c.id)).toEqual(await expected('cases', (r) => r['warning_level'] === 'yellow'));
  });

  it('a capped total is a lower bound, whichever part of the merged colours it stops in', async () => {
    const supervisor = demoActor('supervisor');
    const all = await expected('tasks');
    const capped = await listSupervisedTasks(f.sql, supervisor, { page: 2, pageSize: 2, countCap: 3 });
    expect(capped.items.map((t) => t.id)).toEqual(all.slice(2, 4));
    expect(capped).toMatchObject({ total: 5, totalExact: false });
    const wide = await listSupervisedCases(f.sql, supervisor, { page: 1, pageSize: 100, countCap: 100 });
    expect(wide).toMatchObject({ total: (await expected('cases')).length, totalExact: true });
  });

  it('a lead reads their own department only; a handler, an administrator and a department system are refused', async () => {
    const fire = await list('tasks', '?pageSize=100', 'fire.lead');
    expect(fire.items.map((t) => t.id)).toEqual(await expected('tasks', (r) => r['department'] === 'fire'));
    expect(await list('tasks', '?department=water', 'fire.lead')).toMatchObject({ items: [], total: 0, totalExact: true });
    const housing = await list('cases', '?pageSize=100', 'housing.lead');
    expect(housing.items.map((c) => c.id)).toEqual(await expected('cases', (r) => r['department'] === 'housing'));
    const counts = await f.as('fire.lead').get('/api/supervision/departments');
    expect(counts.body.departments.map((d: { departmentCode: string }) => d.departmentCode)).toEqual(['fire']);
    expect(counts.body.serviceItems).toEqual([]);

    for (const user of ['fire.handler', 'window.clerk', 'admin', 'designer']) {
      for (const path of ['/api/supervision/cases', '/api/supervision/tasks', '/api/supervision/departments']) expectProblem(await f.as(user).get(path), 403, 'TB-PERMISSION');
    }
    const key = await f.as('admin').post('/api/api-keys', { name: 'fire system', departmentCode: 'fire', operations: ['task.read'] });
    expect(key.status, JSON.stringify(key.body)).toBe(201);
    const res = await f.app.request('/api/supervision/tasks', { headers: { authorization: `ApiKey ${key.body.key}` } });
    expect([res.status, ((await res.json()) as { code?: string }).code]).toEqual([403, 'TB-PERMISSION']);
  });

  it('refuses a bad colour, month or instant (400, naming the field)', async () => {
    for (const [path, field] of [
      ['/api/supervision/tasks?colour=green', 'colour'],
      ['/api/supervision/cases?dueBefore=tomorrow', 'dueBefore'],
      ['/api/supervision/departments?month=2026-13', 'month'],
    ] as const) {
      const res = await f.as('supervisor').get(path);
      expectProblem(res, 400, 'TB-VALIDATION');
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual([field]);
    }
  });
});

describe('the counts per department and service item', () => {
  it('match a count by hand of the rows, now and for the month', async () => {
    const month = '2026-12';
    const [tasks, cases, answer] = await Promise.all([
      f.sql`select t.department_code as d, c.service_item_code as i, t.status, t.warning_level as w,
          to_char(t.completed_at at time zone 'Asia/Shanghai', 'YYYY-MM') as m, t.completed_at <= t.due_at as on_time
        from tasks t join cases c on c.id = t.case_id`,
      f.sql`select lead_department as d, service_item_code as i, status, warning_level as w,
          to_char(completed_at at time zone 'Asia/Shanghai', 'YYYY-MM') as m, completed_at <= due_at as on_time from cases`,
      f.as('supervisor').get(`/api/supervision/departments?month=${month}`),
    ]);
    type Hand = { open: number; yellow: number; red: number; finishedOnTime: number; finishedLate: number };
    const byHand = (rows: readonly Record<string, unknown>[], isOpen: (status: unknown) => boolean, finished: (status: unknown) => boolean) => {
      const counts = new Map<string, Hand>();
      for (const r of rows) {
        const key = `${r['d']}|${r['i']}`;
        const c = counts.get(key) ?? { open: 0, yellow: 0, red: 0, finishedOnTime: 0, finishedLate: 0 };
        if (isOpen(r['status'])) {
          c.open++;
          if (r['w'] === 'yellow') c.yellow++;
          if (r['w'] === 'red') c.red++;
        } else if (finished(r['status']) && r['m'] === month) {
          if (r['on_time']) c.finishedOnTime++;
          else c.finishedLate++;
        }
        counts.set(key, c);
      }
      return new Map([...counts].filter(([, c]) => c.open + c.finishedOnTime + c.finishedLate > 0));
    };
    const steps = byHand(tasks, (s) => s === 'open' || s === 'claimed', (s) => s === 'completed');
    // A case withdrawn by its applicant (撤件) was not decided: it finished neither on time nor late.
    const ofCases = byHand(cases, (s) => s === 'running', (s) => s === 'approved' || s === 'refused');

    expect(answer.status).toBe(200);
    const answered = new Map<string, Hand>();
    for (const d of answer.body.departments) {
      for (const i of d.serviceItems) answered.set(`${d.departmentCode}|${i.serviceItemCode}`, { open: i.open, yellow: i.yellow, red: i.red, finishedOnTime: i.finishedOnTime, finishedLate: i.finishedLate });
      const own = [...steps].filter(([k]) => k.startsWith(`${d.departmentCode}|`)).map(([, c]) => c);
      expect(d.open, d.departmentCode).toBe(own.reduce((n, c) => n + c.open, 0));
      expect(d.finishedLate, d.departmentCode).toBe(own.reduce((n, c) => n + c.finishedLate, 0));
    }
    expect(Object.fromEntries(answered)).toEqual(Object.fromEntries(steps));
    expect(steps.size).toBeGreaterThan(5);
    const answeredCases = Object.fromEntries(
      answer.body.serviceItems.map((i: Hand & { leadDepartment: string; serviceItemCode: string }) => [
        `${i.leadDepartment}|${i.serviceItemCode}`,
        { open: i.open, yellow: i.yellow, red: i.red, finishedOnTime: i.finishedOnTime, finishedLate: i.finishedLate },
      ]),
    );
    expect(answeredCases).toEqual(Object.fromEntries(ofCases));
    // And all of them together.
    const sum = (counts: Iterable<Hand>, key: keyof Hand) => [...counts].reduce((n, c) => n + c[key], 0);
    for (const [subject, counts] of [['steps', steps.values()], ['cases', ofCases.values()]] as const) {
      const all = [...counts];
      const finished = sum(all, 'finishedOnTime') + sum(all, 'finishedLate');
      expect(answer.body.totals[subject], subject).toMatchObject({
        open: sum(all, 'open'),
        red: sum(all, 'red'),
        finishedOnTime: sum(all, 'finishedOnTime'),
        onTimeRate: finished === 0 ? null : Math.round((sum(all, 'finishedOnTime') / finished) * 10_000) / 10_000,
      });
    }
    const [timed] = await f.sql`select round(avg(working_days), 2)::float as average from tasks
      where status = 'completed' and working_days is not null and to_char(completed_at at time zone 'Asia/Shanghai', 'YYYY-MM') = ${month}`;
    expect(answer.body.totals.steps.averageWorkingDays).toBe(timed?.['average'] ?? null);
    expect(answer.body.totals.cases.averageWorkingDays).toBeNull();
    // And the counters hold what counting every row again gives.
    const kept = await f.sql`select month, subject, department_code, service_item_code, sum(open)::int as open, sum(yellow)::int as yellow, sum(red)::int as red,
      sum(on_time)::int as on_time, sum(late)::int as late from supervision_counts group by 1, 2, 3, 4 order by 1, 2, 3, 4`;
    await f.sql`select supervision_recount()`;
    const recounted = await f.sql`select month, subject, department_code, service_item_code, sum(open)::int as open, sum(yellow)::int as yellow, sum(red)::int as red,
      sum(on_time)::int as on_time, sum(late)::int as late from supervision_counts group by 1, 2, 3, 4 order by 1, 2, 3, 4`;
    const nonZero = (rows: readonly Record<string, unknown>[]) => rows.filter((r) => ['open', 'yellow', 'red', 'on_time', 'late'].some((k) => r[k] !== 0));
    expect(nonZero(kept)).toEqual(nonZero(recounted));
  });
});

describe('the pages read their partial indexes', () => {
  it('EXPLAIN of every list statement, custom and generic plans, with 20,000 more open tasks and running cases, two in seven coloured', async () => {
    // Rows written straight into the tables, counted once after as a bulk loader does (the counters' triggers off:
    // 20,000 rows would update the same few counter rows thousands of times in one transaction): five departments,
    // three items and colours in turn, so that each filter's index is the one that reads least.
    const [template] = await f.sql`select id from cases where status = 'running' limit 1`;
    const colour = (n: string) => `(array['red', 'yellow', 'green', 'green', 'green', 'green', 'green'])[1 + ${n} % 7]`;
    // Committed synchronously (the test cluster commits asynchronously): VACUUM marks a page all-visible only once
    // the commit that wrote its rows is on disk, and the counts below should read the indexes alone, as they do
    // on a production cluster's vacuumed tables.
    await f.sql.begin(async (tx) => {
      await tx.unsafe('set local synchronous_commit = on');
      await tx.unsafe('alter table cases disable trigger supervision_count_case_started');
      await tx.unsafe('alter table tasks disable trigger supervision_count_task_opened');
      await tx.unsafe(`insert into cases (id, service_item_code, service_item_version, definition_key, definition_version, lead_department, intake_department, applicant, status,
          state_label, snapshot, version, audit_seq, audit_head, calendar_code, due_at, created_at, updated_at, warning_level)
        select gen_random_uuid(), (array['construction-permit', 'business-opening', 'food-business-licence'])[1 + n % 3], service_item_version, definition_key, definition_version,
          (array['housing', 'market', 'natural-resources', 'ecology', 'water'])[1 + n % 5], intake_department, applicant, status, state_label, snapshot, version, audit_seq, audit_head, calendar_code,
          due_at + (n * 7919 % 20000) * interval '1 minute', created_at, updated_at, ${colour('n')}
        from cases, generate_series(1, 20000) n where id = $1`, [String(template?.['id'])]);
      await tx.unsafe(`insert into tasks (id, case_id, key, kind, title, department_code, service_item_code, status, opened_at, due_at, warning_level)
        select gen_random_uuid(), $1, 'bulk.' || n, 'review', 'bulk', (array['fire', 'water', 'police', 'tax', 'market'])[1 + n % 5],
          (array['construction-permit', 'business-opening', 'food-business-licence'])[1 + n % 3], 'open', now(), now() + (n * 7919 % 20000) * interval '1 minute', ${colour('n')}
        from generate_series(1, 20000) n`, [String(template?.['id'])]);
      await tx.unsafe('alter table cases enable trigger supervision_count_case_started');
      await tx.unsafe('alter table tasks enable trigger supervision_count_task_opened');
    });
    await f.sql`select supervision_recount()`;
    await f.sql`vacuum analyze cases`; // as autovacuum would have
    await f.sql`vacuum analyze tasks`;

    const statements: { text: string; params: unknown[] }[] = [];
    const traced = connect(f.db.url, { max: 1 });
    const watcher = postgres(f.db.url, { max: 1, debug: (_c, text, params) => void (/at_risk|supervision_counts/.test(text) && statements.push({ text, params })) });
    try {
      const supervisor = demoActor('supervisor');
      const page = { page: 2, pageSize: 20 };
      const lists: [string, () => Promise<unknown>][] = [
        ['cases', () => listSupervisedCases(watcher, supervisor, page)],
        ['cases of a department', () => listSupervisedCases(watcher, supervisor, { ...page, colour: 'red', department: departmentCode('housing') })],
        ['cases of an item', () => listSupervisedCases(watcher, supervisor, { ...page, serviceItem: 'business-opening' })],
        ['tasks', () => listSupervisedTasks(watcher, supervisor, page)],
        ['tasks of a department', () => listSupervisedTasks(watcher, supervisor, { ...page, department: departmentCode('fire'), dueBefore: new Date('2027-01-01') })],
        ['tasks of an item', () => listSupervisedTasks(watcher, supervisor, { ...page, colour: 'yellow', serviceItem: 'business-opening' })],
      ];
      for (const [name, run] of lists) {
        statements.length = 0;
        await run();
        expect(statements, name).toHaveLength(2); // the page and its capped total
        for (const { text, params } of statements) {
          const statement = `${name}, ${text.includes('count(*)') ? 'capped total' : 'page'}`;
          for (const mode of ['force_custom_plan', 'force_generic_plan'] as const) {
            const plan = await preparedPlan(traced, text, params, mode);
            const scans = planNodes(plan).filter((n) => n['Relation Name'] === 'tasks' || n['Relation Name'] === 'cases' || n['Index Name'] !== undefined);
            // Only the lists' partial indexes (and the cases' primary key, for a task's case): the index made for the
            // filters, or, when the planner finds it as cheap, the colour's whole at-risk range with the filters
            // checked in the index (their columns are in every one of them). Never the table itself.
            const indexes = scans.flatMap((n) => n['Index Name'] ?? []);
            expect(indexes.filter((i) => /^(cases|tasks)_at_risk_/.test(i)).length, `${statement}, ${mode}: ${indexes}`).toBeGreaterThan(0);
            expect(indexes.filter((i) => !/^(cases|tasks)_at_risk_/.test(i) && i !== 'cases_pkey'), `${statement}, ${mode}`).toEqual([]);
            expect(scans.map((n) => n['Node Type']), `${statement}, ${mode}`).not.toContain('Seq Scan');
            // The page reads each colour's index range in order, as far as the page goes: nothing sorted, no bitmap.
            if (!text.includes('count(*)')) {
              const sorted = planNodes(plan).filter((n) => n['Node Type'].endsWith('Sort')).flatMap((n) => planNodes(n).filter((d) => d['Index Name']?.includes('_at_risk_')));
              expect(sorted, `${statement}, ${mode}`).toEqual([]);
              expect(scans.map((n) => n['Node Type']), `${statement}, ${mode}`).not.toContain('Bitmap Heap Scan');
            }
          }
        }
      }
      // The counts read their counters' key, not the tables they count.
      statements.length = 0;
      await countSupervision(watcher, supervisor, { month: '2026-12' });
      const [count] = await traced.unsafe(`explain (format json) ${statements[0]!.text.replace(/\$1/g, "'2026-12-01'")}`);
      const read = planNodes((count?.['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan).flatMap((n) => n['Relation Name'] ?? []);
      expect(new Set(read)).toEqual(new Set(['supervision_counts']));
    } finally {
      await watcher.end();
      await traced.end();
    }
  });
});

describe('the OpenAPI document', () => {
  it('describes the three routes with their permission', async () => {
    const doc = (await f.as(null).get('/api/openapi.json')).body;
    for (const path of ['/api/supervision/cases', '/api/supervision/tasks', '/api/supervision/departments']) {
      expect(doc.paths[path]?.get?.['x-permission'], path).toBe('supervision.read');
    }
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['SupervisedCasePage', 'SupervisedTaskPage', 'SupervisionCounts']));
  });
});
