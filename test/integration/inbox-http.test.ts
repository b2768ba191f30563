import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../db/connection.js';
import { listDepartmentTasks, type TaskListQuery } from '../../db/task-queries.js';
import { departmentCode, timerId } from '../../engine/ids.js';
import { createApiFixture, type Answer, type ApiFixture } from '../support/api-fixture.js';
import { CONSTRUCTION_APPLICATION, caseDriver } from '../support/case-driver.js';
import { planNodes, preparedPlan, type PlanNode } from '../support/query-plans.js';

/**
 * Issue 13, the inbox (`GET /api/tasks`): case numbers (受理编号), what a row shows (case number, service item,
 * applicant, step, holder, due and working days left on the task's clock, light, provisional due), its filters,
 * sorts and pages, bad filters refused, and the indexes its statements read.
 */

let f: ApiFixture;
const driver = caseDriver(() => f);
const { start, startInJointReview } = driver;

beforeAll(async () => {
  f = await createApiFixture();
});
afterAll(() => f.close());

const beijing = (local: string) => new Date(`${local}+08:00`);
const FOOD_APPLICATION = { ...CONSTRUCTION_APPLICATION, serviceItemCode: 'food-business-licence', applicant: { name: '老城厢小笼包餐饮店', idNumber: '92310000MA1FL2004D' } };

interface Row {
  readonly id: string;
  readonly caseId: string;
  readonly key: string;
  readonly caseNumber: string;
  readonly warningLevel: string;
  readonly remainingWorkingDays: number | null;
  readonly [field: string]: unknown;
}

async function inbox(user: string, query = ''): Promise<{ items: Row[]; total: number; totalExact: boolean }> {
  const res = await f.as(user).get(`/api/tasks${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function rowOf(user: string, caseId: string, key: string): Promise<Row> {
  const row = (await inbox(user, '?pageSize=100')).items.find((t) => t.caseId === caseId && t.key === key);
  expect(row, `${user} should see ${key} of ${caseId}`).toBeDefined();
  return row!;
}

/** Fires the case's pending timers due by now, earliest first, as the timer worker would. */
async function fireDue(caseId: string): Promise<void> {
  const due = await f.sql`select id from timers where case_id = ${caseId} and status = 'pending' and due_at <= ${f.clock.now().toISOString()} order by due_at, id`;
  for (const t of due) await f.engine.execute({ type: 'timer.fire', timerId: timerId(String(t['id'])) });
}

const numberOf = async (caseId: string) => String((await f.sql`select number from cases where id = ${caseId}`)[0]?.['number']);
const sequenceOf = (caseNumber: string) => Number(caseNumber.split('-')[1]);

describe('case numbers (受理编号)', () => {
  it('are given by the database at intake: the year in Beijing time and the next number of the sequence', async () => {
    f.clock.set(beijing('2026-11-30T09:00'));
    const [first, second] = [await start(), await start()];
    const [a, b] = [await numberOf(first), await numberOf(second)];
    expect(a).toMatch(/^2026-\d{6}$/);
    expect(sequenceOf(b)).toBe(sequenceOf(a) + 1);
    const view = await f.as('window.clerk').get(`/api/cases/${first}`);
    expect(view.body.caseNumber).toBe(a);

    // 16:30 UTC on New Year's Eve is already 1 January 2027 in Beijing.
    f.clock.set(new Date('2026-12-31T16:30:00Z'));
    expect(await numberOf(await start())).toMatch(/^2027-\d{6}$/);
    const [dupes] = await f.sql`select count(*)::int - count(distinct number)::int as n from cases`;
    expect(dupes?.['n']).toBe(0);
  });
});

describe('an inbox row', () => {
  it("shows the case number, service item, applicant's name, step and holder, and the working days left as the ladder colours it", async () => {
    f.clock.set(beijing('2026-11-30T09:00'));
    const caseId = await startInJointReview();
    const [item] = await f.sql`select name from service_items where code = 'construction-permit'`;
    // Five working days from Monday 30 November: day 1 is Tuesday, the due the end of Monday 7 December.
    const row = await rowOf('fire.handler', caseId, 'review.fire');
    expect(row).toMatchObject({
      caseNumber: await numberOf(caseId),
      serviceItem: { code: 'construction-permit', name: item?.['name'] },
      applicantName: CONSTRUCTION_APPLICATION.applicant.name,
      title: expect.stringContaining('消防'),
      status: 'open',
      assigneeId: null,
      warningLevel: 'green',
      dueAt: beijing('2026-12-08T00:00').toISOString(),
      remainingWorkingDays: 5,
      clockState: 'running',
      provisional: false,
      completedBy: null,
    });
    expect(row['due']).toMatchObject({ date: '2026-12-07', provisional: false, because: expect.stringContaining('5 working days') });
    // Fire is neither the intake window nor the lead department: never the applicant's ID number or phone.
    expect(JSON.stringify(row)).not.toContain(CONSTRUCTION_APPLICATION.applicant.idNumber);
    expect(JSON.stringify(row)).not.toContain(CONSTRUCTION_APPLICATION.applicant.phone);
    // The same task on its own reads the same.
    expect((await f.as('fire.handler').get(`/api/tasks/${row.id}`)).body).toEqual(row);

    // The ladder's yellow rung: 2 working days left once Thursday begins; its timer fires as the worker would.
    f.clock.set(beijing('2026-12-03T10:00'));
    await fireDue(caseId);
    expect(await rowOf('fire.handler', caseId, 'review.fire')).toMatchObject({ warningLevel: 'yellow', remainingWorkingDays: 2, clockState: 'running' });
    // Tuesday 8 and Wednesday 9 December past the due: 2 working days overdue, red.
    f.clock.set(beijing('2026-12-09T10:00'));
    await fireDue(caseId);
    expect(await rowOf('fire.handler', caseId, 'review.fire')).toMatchObject({ warningLevel: 'red', remainingWorkingDays: -2, clockState: 'expired' });
    const clocks = await f.as('fire.handler').get(`/api/cases/${caseId}/clocks`);
    expect(clocks.body.clocks.find((c: { id: string }) => c.id === 'task:review.fire')).toMatchObject({ state: 'expired' });

  });

  it('shows who holds a claimed task; done, it leaves the to-do list for the done list, with who completed it and no clock', async () => {
    f.clock.set(beijing('2026-12-01T09:00'));
    const caseId = await startInJointReview();
    const { id } = await rowOf('fire.handler', caseId, 'review.fire');
    expect((await f.as('fire.handler').post(`/api/tasks/${id}/claim`)).status).toBe(200);
    expect(await rowOf('fire.handler', caseId, 'review.fire')).toMatchObject({ status: 'claimed', assigneeId: 'fire.handler' });
    expect((await f.as('fire.handler').post(`/api/tasks/${id}/complete`, { outcome: 'approve', opinion: { text: '同意' } })).status).toBe(200);
    expect((await inbox('fire.handler', '?pageSize=100')).items.some((t) => t.id === id)).toBe(false);
    const done = (await inbox('fire.handler', '?status=done&pageSize=100')).items.find((t) => t.id === id);
    expect(done).toMatchObject({ status: 'completed', completedBy: 'fire.handler', remainingWorkingDays: null, clockState: null, outcome: 'approve', completedAt: expect.any(String) });
  });
});

/** The tasks of a department's list as the inbox promises them, computed here rather than by the query under test. */
async function expected(department: string, status: 'open' | 'done', sort: string, direction: 'asc' | 'desc', keep: (r: Record<string, string>) => boolean = () => true) {
  const at = (column: string) => `to_char(t.${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`;
  const rows = (await f.sql.unsafe(
    `select t.id::text, ${at('due_at')} as "dueAt", ${at('opened_at')} as "openedAt", ${at('completed_at')} as "completedAt",
       t.warning_level as colour, c.service_item_code as item, c.number
     from tasks t join cases c on c.id = t.case_id
     where t.department_code = $1 and t.status = any($2)`,
    [department, status === 'open' ? ['open', 'claimed'] : ['completed']],
  )) as unknown as Record<string, string>[];
  const sign = direction === 'asc' ? 1 : -1;
  return rows
    .filter(keep)
    .sort((a, b) => (a[sort]! < b[sort]! ? -sign : a[sort]! > b[sort]! ? sign : a['id']! < b['id']! ? -1 : 1))
    .map((r) => r['id']!);
}

/** Every page of a list, walked `pageSize` at a time; each page's total must be the whole list's. */
async function walk(user: string, query: string, pageSize: number, count: number): Promise<string[]> {
  const seen: string[] = [];
  for (let page = 1; page <= Math.ceil(count / pageSize) + 1; page++) {
    const body = await inbox(user, `?pageSize=${pageSize}&page=${page}${query}`);
    expect(body, `page ${page} of ${query}`).toMatchObject({ total: count, totalExact: true });
    seen.push(...body.items.map((t) => t.id));
  }
  return seen;
}

describe('filters, sorts and pages', () => {
  beforeAll(async () => {
    // The window's to do: acceptance checks of both items, received on different days and hours.
    for (const [i, local] of ['2026-12-01T09:00', '2026-12-01T15:00', '2026-12-02T10:00', '2026-12-04T16:00', '2026-12-07T11:00'].entries()) {
      f.clock.set(beijing(local));
      await start(i % 2 === 0 ? CONSTRUCTION_APPLICATION : FOOD_APPLICATION);
    }
    // A review turned yellow by its rung timer: five working days from Wednesday 2 December, two left on Monday 7.
    f.clock.set(beijing('2026-12-02T09:00'));
    const atRisk = await startInJointReview();
    f.clock.set(beijing('2026-12-08T09:00'));
    await fireDue(atRisk);
    await startInJointReview(); // and one just received, green
    expect(await rowOf('fire.handler', atRisk, 'review.fire')).toMatchObject({ warningLevel: 'yellow', remainingWorkingDays: 1 });
  });

  it.each([
    ['due time, most urgent first (the default)', '', 'dueAt', 'asc'],
    ['due time, latest first', '&sort=dueAt&direction=desc', 'dueAt', 'desc'],
    ['received time, earliest first', '&sort=openedAt&direction=asc', 'openedAt', 'asc'],
    ['received time, latest first', '&sort=openedAt&direction=desc', 'openedAt', 'desc'],
  ] as const)('to do by %s, page by page, ties by id', async (_, query, sort, direction) => {
    const all = await expected('window', 'open', sort, direction);
    expect(all.length).toBeGreaterThan(5);
    expect(await walk('window.clerk', query, 2, all.length)).toEqual(all);
  });

  it('done by completion time, latest first or earliest first', async () => {
    const latest = await expected('window', 'done', 'completedAt', 'desc');
    expect(latest.length).toBeGreaterThan(1);
    expect(await walk('window.clerk', '&status=done', 2, latest.length)).toEqual(latest);
    expect(await walk('window.clerk', '&status=done&direction=asc', 3, latest.length)).toEqual(await expected('window', 'done', 'completedAt', 'asc'));
    // A task closed before tasks kept their service item (migration 0018) is found by its case's.
    await f.sql`update tasks set service_item_code = null where id = ${latest[0]!}`;
    const permits = await expected('window', 'done', 'completedAt', 'desc', (r) => r['item'] === 'construction-permit');
    expect(permits).toContain(latest[0]);
    expect(await walk('window.clerk', '&status=done&serviceItem=construction-permit', 2, permits.length)).toEqual(permits);
  });

  it('by service item, by colour, by due time and by case number, alone or together', async () => {
    const food = await expected('window', 'open', 'dueAt', 'asc', (r) => r['item'] === 'food-business-licence');
    expect(food.length).toBe(2);
    expect(await walk('window.clerk', '&serviceItem=food-business-licence', 1, food.length)).toEqual(food);

    // The fire department's reviews: red (the row above), yellow and green.
    for (const [colour, atLeast] of [['green', 1], ['yellow', 1], ['red', 1]] as const) {
      const ids = await expected('fire', 'open', 'dueAt', 'asc', (r) => r['colour'] === colour);
      expect(ids.length, colour).toBeGreaterThanOrEqual(atLeast);
      expect(await walk('fire.handler', `&colour=${colour}`, 2, ids.length), colour).toEqual(ids);
      const listed = await inbox('fire.handler', `?colour=${colour}&pageSize=100`);
      expect(listed.items.every((t) => t.warningLevel === colour), colour).toBe(true);
    }

    // Due by the end of Wednesday 2 December (its due instant): the checks received up to Tuesday.
    const by = beijing('2026-12-03T00:00');
    const dueBy = await expected('window', 'open', 'dueAt', 'asc', (r) => new Date(`${r['dueAt']}Z`) <= by);
    expect(dueBy.length).toBeGreaterThan(0);
    expect(await walk('window.clerk', `&dueBy=${encodeURIComponent(by.toISOString())}`, 2, dueBy.length)).toEqual(dueBy);
    const both = await expected('window', 'open', 'dueAt', 'asc', (r) => new Date(`${r['dueAt']}Z`) <= by && r['item'] === 'construction-permit');
    expect(both.length).toBeLessThan(dueBy.length);
    expect(await walk('window.clerk', '&dueBy=2026-12-03T00:00%2B08:00&serviceItem=construction-permit', 5, both.length)).toEqual(both);

    const [one] = await f.sql`select c.number, t.id::text from tasks t join cases c on c.id = t.case_id where t.department_code = 'window' and t.status = 'open' limit 1`;
    const byNumber = await inbox('window.clerk', `?caseNumber=${one?.['number']}`);
    expect(byNumber).toMatchObject({ total: 1, totalExact: true });
    expect(byNumber.items.map((t) => [t.id, t.caseNumber])).toEqual([[one?.['id'], one?.['number']]]);
    expect(await inbox('window.clerk', '?caseNumber=1999-999999')).toEqual({ items: [], page: 1, pageSize: 20, total: 0, totalExact: true });
    // Another department's case number finds nothing in this inbox.
    expect((await inbox('fire.handler', `?caseNumber=${one?.['number']}`)).items).toEqual([]);
  });
});

/** Row counts of what a request could write: bad input must leave them as they were. */
async function footprint() {
  const [row] = await f.sql`select (select count(*) from cases)::int as cases, (select count(*) from tasks)::int as tasks,
    (select coalesce(sum(version), 0) from cases)::int as versions, (select count(*) from audit_events)::int as audit,
    (select count(*) from notification_reads)::int as reads`;
  return row;
}

describe('bad filters', () => {
  const expectProblem = (res: Answer, path: string) => {
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.contentType).toContain('application/problem+json');
    expect(res.body.code).toBe('TB-VALIDATION');
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual([path]);
  };

  it.each([
    ['a colour that is none', 'colour=purple', 'colour'],
    ['a due time that is no instant', 'dueBy=tomorrow', 'dueBy'],
    ['a due time without its offset', 'dueBy=2026-12-03T00:00', 'dueBy'],
    ['a case number that is not one', 'caseNumber=123', 'caseNumber'],
    ['a case number with letters', 'caseNumber=2026-00012A', 'caseNumber'],
    ['to do sorted by completion', 'sort=completedAt', 'sort'],
    ['done sorted by due time', 'status=done&sort=dueAt', 'sort'],
    ['an unknown sort', 'sort=applicant', 'sort'],
    ['a direction that is none', 'direction=up', 'direction'],
    ['a service item with spaces', 'serviceItem=construction%20permit', 'serviceItem'],
    ['a service item too long', `serviceItem=${'a'.repeat(101)}`, 'serviceItem'],
  ])('%s → 400 problem naming the field, nothing changed', async (_, query, path) => {
    const before = await footprint();
    expectProblem(await f.as('window.clerk').get(`/api/tasks?${query}`), path);
    expect(await footprint()).toEqual(before);
  });
});

describe('a provisional due', () => {
  it("is marked when the task's due date was counted past the calendar's horizon", async () => {
    const [calendar] = await f.sql`select max(year)::int as year from calendar_years where calendar_code = 'cn'`;
    const year = Number(calendar?.['year']);
    f.clock.set(beijing(`${year}-12-28T09:00`));
    const late = await startInJointReview();
    expect(await rowOf('fire.handler', late, 'review.fire')).toMatchObject({ provisional: true, due: expect.objectContaining({ provisional: true }) });
  });
});

/** Whether a node reads tasks below it with no Limit in between (a sort of it would sort all the rows it reads). */
const readsTasksUnlimited = (n: PlanNode): boolean =>
  (n.Plans ?? []).some((child) => child['Node Type'] !== 'Limit' && (child['Relation Name'] === 'tasks' || readsTasksUnlimited(child)));

describe('the inbox reads its indexes', () => {
  it('EXPLAIN of every list statement, custom and generic plans, with 20,000 open and 5,000 done tasks in a department and 5,000 more cases', async () => {
    const [template] = await f.sql`select id from cases where status = 'running' limit 1`;
    const caseId = String(template?.['id']);
    // Committed synchronously (the test cluster commits asynchronously): VACUUM marks a page all-visible only once
    // the commit that wrote its rows is on disk, so the capped totals can read their indexes alone.
    await f.sql.begin(async (tx) => {
      await tx.unsafe('set local synchronous_commit = on');
      // 5,000 more cases (copies of one, each numbered by the trigger), so that a case number is found by its index.
      await tx.unsafe(`insert into cases (id, service_item_code, definition_key, definition_version, lead_department, intake_department, applicant, status,
          state_label, snapshot, version, audit_seq, audit_head, calendar_code, due_at, created_at, updated_at)
        select gen_random_uuid(), service_item_code, definition_key, definition_version, lead_department, intake_department, applicant, status, state_label,
          snapshot, version, audit_seq, audit_head, calendar_code, due_at, created_at, updated_at
        from cases, generate_series(1, 5000) n where id = $1`, [caseId]);
      await tx.unsafe(`insert into tasks (id, case_id, key, kind, title, department_code, service_item_code, status, opened_at, due_at, warning_level)
        select gen_random_uuid(), $1, 'bulk.' || n, 'review', 'bulk', 'tax', (array['business-opening', 'construction-permit'])[1 + n % 2], 'open',
          timestamptz '2026-11-01 09:00+08' + (n * 104729 % 20000) * interval '1 minute', timestamptz '2026-12-01 09:00+08' + (n * 7919 % 20000) * interval '1 minute',
          (array['red', 'yellow', 'green', 'green', 'green', 'green', 'green'])[1 + n % 7]
        from generate_series(1, 20000) n`, [caseId]);
      await tx.unsafe(`insert into tasks (id, case_id, key, kind, title, department_code, service_item_code, status, opened_at, due_at, completed_at, completed_by, outcome)
        select gen_random_uuid(), $1, 'done.' || n, 'review', 'bulk', 'tax', 'business-opening', 'completed',
          timestamptz '2026-01-01 09:00+08', timestamptz '2026-02-01 09:00+08', timestamptz '2026-01-05 09:00+08' + n * interval '1 minute', 'tax.handler', 'approve'
        from generate_series(1, 5000) n`, [caseId]);
    });
    await f.sql`vacuum analyze tasks`;
    await f.sql`vacuum analyze cases`;
    // A case number finds a case's few tasks: one without the bulk rows above.
    const [numbered] = await f.sql`select number from cases where id <> ${caseId} limit 1`;

    const statements: { text: string; params: unknown[] }[] = [];
    const watcher = postgres(f.db.url, { max: 1, debug: (_c, text, params) => void (/from tasks/.test(text) && statements.push({ text, params })) });
    const traced = connect(f.db.url, { max: 1 });
    const tax = departmentCode('tax');
    const page = { page: 2, pageSize: 20 };
    const lists: [string, TaskListQuery, RegExp][] = [
      ['to do by due time', { status: 'open', ...page }, /^tasks_inbox_idx$/],
      ['to do by due time, latest first', { status: 'open', direction: 'desc', ...page }, /^tasks_inbox_idx$/],
      ['to do by received time', { status: 'open', sort: 'openedAt', ...page }, /^tasks_inbox_received_idx$/],
      ['to do by received time, latest first', { status: 'open', sort: 'openedAt', direction: 'desc', ...page }, /^tasks_inbox_received_idx$/],
      ['yellow to do', { status: 'open', colour: 'yellow', ...page }, /^tasks_at_risk_/],
      ['red to do, latest due first', { status: 'open', colour: 'red', direction: 'desc', ...page }, /^tasks_at_risk_/],
      ['green to do', { status: 'open', colour: 'green', ...page }, /^tasks_inbox_idx$/],
      ['to do of a service item', { status: 'open', serviceItem: 'construction-permit', ...page }, /^tasks_inbox_idx$/],
      ['to do due by an instant', { status: 'open', dueBy: beijing('2026-12-05T00:00'), ...page }, /^tasks_inbox_idx$/],
      ['done, latest first', { status: 'done', ...page }, /^tasks_done_idx$/],
      ['done, earliest first, of a service item', { status: 'done', direction: 'asc', serviceItem: 'business-opening', ...page }, /^tasks_done_idx$/],
      ['to do of a case number', { status: 'open', caseNumber: String(numbered?.['number']), ...page }, /^cases_number_idx$/],
    ];
    try {
      for (const [name, query, index] of lists) {
        statements.length = 0;
        await listDepartmentTasks(watcher, tax, query);
        expect(statements, name).toHaveLength(2); // the page and its capped total
        for (const { text, params } of statements) {
          const statement = `${name}, ${text.includes('count(*)') ? 'capped total' : 'page'}`;
          for (const mode of ['force_custom_plan', 'force_generic_plan'] as const) {
            const all = planNodes(await preparedPlan(traced, text, params, mode));
            const taskScans = all.filter((n) => n['Relation Name'] === 'tasks' || /^tasks_/.test(n['Index Name'] ?? ''));
            expect(all.filter((n) => n['Relation Name'] === 'cases').map((n) => n['Node Type']), `${statement}, ${mode}`).not.toContain('Seq Scan');
            const indexes = all.flatMap((n) => n['Index Name'] ?? []);
            // The tasks are read through the index for the list, never the whole table, never a bitmap of it.
            expect(indexes.filter((i) => index.test(i)).length, `${statement}, ${mode}: ${indexes}`).toBeGreaterThan(0);
            expect(taskScans.map((n) => n['Node Type']), `${statement}, ${mode}`).not.toContain('Seq Scan');
            // In index order as far as the page goes: no full sort of the department's tasks (an incremental sort of
            // equal due times by id, or a sort of the page's joined rows, is fine). A case number reads its case's few
            // tasks (by case and department), however they are fetched and sorted.
            if (!query.caseNumber) {
              expect(taskScans.map((n) => n['Node Type']), `${statement}, ${mode}`).not.toContain('Bitmap Heap Scan');
              const sortsOfTasks = all.filter((n) => n['Node Type'] === 'Sort' && readsTasksUnlimited(n));
              expect(sortsOfTasks.map((n) => n['Node Type']), `${statement}, ${mode}`).toEqual([]);
            }
          }
        }
      }
    } finally {
      await watcher.end();
      await traced.end();
    }
  }, 90_000); // 48 plans over 25,000 rows: about 12 s alone, more beside other test files
});
