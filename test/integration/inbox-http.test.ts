import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../db/connection.js';
import { APPLICANT_SEARCH_CAP, listInboxTasks, type TaskListQuery } from '../../db/task-queries.js';
import { departmentCode, timerId, userId } from '../../engine/ids.js';
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
const FOOD_APPLICATION = { ...CONSTRUCTION_APPLICATION, materials: [], serviceItemCode: 'food-business-licence', applicant: { name: '老城厢小笼包餐饮店', idNumber: '92310000MA1FL2004D' } };

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
    const done = (await inbox('fire.handler', '?view=departmentDone&pageSize=100')).items.find((t) => t.id === id);
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
    expect(await walk('window.clerk', '&view=departmentDone', 2, latest.length)).toEqual(latest);
    expect(await walk('window.clerk', '&view=departmentDone&direction=asc', 3, latest.length)).toEqual(await expected('window', 'done', 'completedAt', 'asc'));
    // A task closed before tasks kept their service item (migration 0018) is found by its case's.
    await f.sql`update tasks set service_item_code = null where id = ${latest[0]!}`;
    const permits = await expected('window', 'done', 'completedAt', 'desc', (r) => r['item'] === 'construction-permit');
    expect(permits).toContain(latest[0]);
    expect(await walk('window.clerk', '&view=departmentDone&serviceItem=construction-permit', 2, permits.length)).toEqual(permits);
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
    (select count(*) from notification_reads)::int as reads, (select count(*) from security_events)::int as security`;
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
    ['done sorted by due time', 'view=departmentDone&sort=dueAt', 'sort'],
    ['an unknown sort', 'sort=applicant', 'sort'],
    ['a direction that is none', 'direction=up', 'direction'],
    ['a service item with spaces', 'serviceItem=construction%20permit', 'serviceItem'],
    ['a service item too long', `serviceItem=${'a'.repeat(101)}`, 'serviceItem'],
    ['a view that is none', 'view=mine', 'view'],
    ['the old status parameter for a view', 'view=open', 'view'],
    // A key the list does not know is named in the message, as for a body (`Unrecognized key: "status"`).
    ['the old status parameter itself', 'status=done', '(root)'],
    ['a filter misspelt', 'colur=red', '(root)'],
    ['my done sorted by received time', 'view=done&sort=openedAt', 'sort'],
    ['claimed sorted by completion', 'view=claimed&sort=completedAt', 'sort'],
    ['stand-in sorted by completion', 'view=standIn&sort=completedAt', 'sort'],
    ['a name of one character', `applicantName=${encodeURIComponent('张')}`, 'applicantName'],
    ['a name of one character among spaces', `applicantName=${encodeURIComponent(' 张 ')}`, 'applicantName'],
    ['a name too long', `applicantName=${'名'.repeat(101)}`, 'applicantName'],
    ['an empty licence number', 'licenceNumber=%20', 'licenceNumber'],
    ['a licence number too long', `licenceNumber=${'L'.repeat(101)}`, 'licenceNumber'],
    ['a bad filter beside a name search (nothing logged)', `applicantName=${encodeURIComponent('张三')}&colour=blue`, 'colour'],
  ])('%s → 400 problem naming the field, nothing changed or logged', async (_, query, path) => {
    const before = await footprint();
    expectProblem(await f.as('window.clerk').get(`/api/tasks?${query}`), path);
    expect(await footprint()).toEqual(before);
  });
});

describe('views, each filter in each view, counts', () => {
  /** Cases whose water reviews the views below hold, by what happened to that review. */
  const water: Record<'mine' | 'lead' | 'delegated' | 'open' | 'doneByMe' | 'doneByLead', { caseId: string; taskId: string }> = {} as never;
  const LICENCE = 'CONSTRUCTION-PERMIT-20261201-5A1E7B00';
  const applicant = (name: string) => ({ ...CONSTRUCTION_APPLICATION, applicant: { ...CONSTRUCTION_APPLICATION.applicant, name } });

  beforeAll(async () => {
    const names = { mine: '张三丰建筑有限公司', lead: '张三建设集团', delegated: '李四', open: '王五', doneByMe: '张三丰物业', doneByLead: '赵六' } as const;
    for (const [i, [which, name]] of Object.entries(names).entries()) {
      f.clock.set(beijing(`2026-12-0${1 + (i % 4)}T${10 + i}:00`));
      const caseId = await start(applicant(name));
      await driver.complete('window.clerk', 'acceptance', caseId);
      water[which as keyof typeof water] = { caseId, taskId: await driver.openTask('water.handler', 'review.water', caseId) };
    }
    f.clock.set(beijing('2026-12-04T09:00'));
    const claim = async (user: string, which: keyof typeof water) => expect((await f.as(user).post(`/api/tasks/${water[which].taskId}/claim`)).status).toBe(200);
    const complete = async (user: string, which: keyof typeof water) =>
      expect((await f.as(user).post(`/api/tasks/${water[which].taskId}/complete`, { outcome: 'approve', opinion: { text: '同意' } })).status).toBe(200);
    await claim('water.handler', 'mine');
    await claim('water.lead', 'lead');
    await claim('water.lead', 'delegated');
    await claim('water.handler', 'doneByMe');
    await complete('water.handler', 'doneByMe');
    await claim('water.lead', 'doneByLead');
    f.clock.set(beijing('2026-12-04T09:05'));
    await complete('water.lead', 'doneByLead');
    // 委派 and 代理 are built beside this; their columns and table are what the views read.
    await f.sql`update tasks set assignee_id = 'water.handler', delegated_by = 'water.lead', delegation = 'pending' where id = ${water.delegated.taskId}`;
    const window = (substitute: string, absent: string, from: string, to: string, cancelled: string | null = null) =>
      f.sql`insert into substitutions (id, user_id, substitute_id, starts_at, ends_at, reason, created_at, cancelled_at)
        values (gen_random_uuid(), ${absent}, ${substitute}, ${beijing(from).toISOString()}, ${beijing(to).toISOString()}, '出差', now(),
          ${cancelled && beijing(cancelled).toISOString()})`;
    await window('water.handler', 'water.lead', '2026-12-04T08:00', '2026-12-05T08:00');
    await window('ecology.handler', 'water.lead', '2026-12-04T08:00', '2026-12-05T08:00', '2026-12-04T08:30'); // cancelled
    await f.sql`insert into licences (id, case_id, number, licence_type, title, holder, issued_at)
      values (gen_random_uuid(), ${water.doneByMe.caseId}, ${LICENCE}, 'construction-permit', '建筑工程施工许可证', '{}'::jsonb, now())`;
    await f.sql`insert into case_copies (id, case_id, sent_by, sent_by_department, recipient_user, note, sent_at, read_at, read_by)
      values (gen_random_uuid(), ${water.open.caseId}, 'fire.handler', 'fire', 'water.handler', '请阅', now(), null, null),
        (gen_random_uuid(), ${water.lead.caseId}, 'fire.handler', 'fire', 'water.handler', '请阅', now(), now(), 'water.handler')`;
  });

  const ids = async (user: string, query: string) => (await inbox(user, `?pageSize=100&${query}`)).items.map((t) => t.id);
  const ofWater = (...which: (keyof typeof water)[]) => which.map((w) => water[w].taskId);

  it("lists each view's tasks for two people of one department and one of another", async () => {
    expect(await ids('water.handler', 'view=claimed')).toEqual(ofWater('mine'));
    expect(await ids('water.lead', 'view=claimed')).toEqual(ofWater('lead'));
    expect(await ids('water.handler', 'view=delegated')).toEqual(ofWater('delegated'));
    expect(await ids('water.lead', 'view=delegated')).toEqual([]);
    expect(await ids('water.handler', 'view=standIn')).toEqual(ofWater('lead'));
    expect(await ids('water.lead', 'view=standIn')).toEqual([]);
    expect(await ids('water.handler', 'view=done')).toEqual(ofWater('doneByMe'));
    expect(await ids('water.lead', 'view=done')).toEqual(ofWater('doneByLead'));
    // The department's views are the same for both, and hold all of the above.
    const todo = await expected('water', 'open', 'dueAt', 'asc');
    expect(await ids('water.handler', 'view=todo')).toEqual(todo);
    expect(await ids('water.lead', '')).toEqual(todo);
    expect(todo).toEqual(expect.arrayContaining(ofWater('mine', 'lead', 'delegated', 'open')));
    const done = await expected('water', 'done', 'completedAt', 'desc');
    expect(await ids('water.lead', 'view=departmentDone')).toEqual(done);
    expect(done.slice(0, 2)).toEqual(ofWater('doneByLead', 'doneByMe'));
    // Ecology stood in for water's lead in a window since cancelled, and sees none of water's tasks in any view.
    const waters = new Set(Object.values(water).map((w) => w.taskId));
    for (const view of ['todo', 'claimed', 'delegated', 'standIn', 'done', 'departmentDone']) {
      expect((await ids('ecology.handler', `view=${view}`)).filter((id) => waters.has(id)), view).toEqual([]);
    }
    expect(await ids('ecology.handler', 'view=standIn')).toEqual([]);
  });

  it('stands in only while the window holds: from its start, up to (not at) its end', async () => {
    f.clock.set(beijing('2026-12-04T07:59'));
    expect(await ids('water.handler', 'view=standIn')).toEqual([]);
    f.clock.set(beijing('2026-12-04T08:00'));
    expect(await ids('water.handler', 'view=standIn')).toEqual(ofWater('lead'));
    f.clock.set(beijing('2026-12-05T07:59'));
    expect(await ids('water.handler', 'view=standIn')).toEqual(ofWater('lead'));
    f.clock.set(beijing('2026-12-05T08:00'));
    expect(await ids('water.handler', 'view=standIn')).toEqual([]);
    f.clock.set(beijing('2026-12-04T09:00'));
  });

  /** Each filter, and which of a view's rows it keeps as the row shows them (a licence: the case that issued it). */
  const FILTERS: [string, (rows: readonly Row[]) => [string, (t: Row) => boolean]][] = [
    ['service item', () => ['serviceItem=construction-permit', (t) => (t['serviceItem'] as { code: string }).code === 'construction-permit']],
    ['colour', () => ['colour=green', (t) => t.warningLevel === 'green']],
    ['due by', () => [`dueBy=${encodeURIComponent('2026-12-09T00:00+08:00')}`, (t) => new Date(t['dueAt'] as string) <= beijing('2026-12-09T00:00')]],
    ['case number', (rows) => [`caseNumber=${rows[0]?.caseNumber ?? '1999-999999'}`, (t) => t.caseNumber === rows[0]?.caseNumber]],
    ['applicant name', () => [`applicantName=${encodeURIComponent('张三')}`, (t) => String(t['applicantName']).startsWith('张三')]],
    ['licence number', () => [`licenceNumber=${LICENCE}`, (t) => t.caseId === water.doneByMe.caseId]],
  ];

  it.each(['todo', 'claimed', 'delegated', 'standIn', 'done', 'departmentDone'])('every filter works in the %s view', async (view) => {
    for (const user of ['water.handler', 'water.lead']) {
      const all = (await inbox(user, `?pageSize=100&view=${view}`)).items;
      for (const [name, filter] of FILTERS) {
        const [query, keep] = filter(all);
        const filtered = await inbox(user, `?pageSize=100&view=${view}&${query}`);
        expect(filtered.items.map((t) => t.id), `${user}, ${view}, ${name}`).toEqual(all.filter(keep).map((t) => t.id));
        expect(filtered, `${user}, ${view}, ${name}`).toMatchObject({ total: filtered.items.length, totalExact: true });
      }
    }
  });

  it("finds by a name's start, not its middle, and by a licence's whole number", async () => {
    expect(await ids('water.handler', `view=claimed&applicantName=${encodeURIComponent('张三丰')}`)).toEqual(ofWater('mine'));
    expect(await ids('water.lead', `view=claimed&applicantName=${encodeURIComponent('张三')}`)).toEqual(ofWater('lead'));
    expect(await ids('water.lead', `view=claimed&applicantName=${encodeURIComponent('三建')}`)).toEqual([]);
    // `%` and `_` are letters of a name here, not patterns.
    expect(await ids('water.lead', `view=claimed&applicantName=${encodeURIComponent('张%')}`)).toEqual([]);
    expect(await ids('water.lead', `view=claimed&applicantName=${encodeURIComponent('张_建')}`)).toEqual([]);
    expect(await ids('water.handler', `view=done&licenceNumber=${LICENCE}`)).toEqual(ofWater('doneByMe'));
    expect(await ids('water.handler', `view=done&licenceNumber=${LICENCE.slice(0, -1)}`)).toEqual([]);
  });

  it('counts the views and my unread copies in one call', async () => {
    const counts = await f.as('water.handler').get('/api/tasks/counts');
    expect(counts.status, JSON.stringify(counts.body)).toBe(200);
    const [todo] = await f.sql`select count(*)::int as n from tasks where department_code = 'water' and status in ('open', 'claimed')`;
    expect(counts.body).toEqual({
      todo: { total: todo?.['n'], totalExact: true },
      claimed: { total: 1, totalExact: true },
      delegated: { total: 1, totalExact: true },
      standIn: { total: 1, totalExact: true },
      copied: { total: 1, totalExact: true },
    });
    expect((await f.as('ecology.handler').get('/api/tasks/counts')).body).toMatchObject({ claimed: { total: 0 }, delegated: { total: 0 }, standIn: { total: 0 }, copied: { total: 0 } });
    // Who reads no inbox gets no counts (task.read, as the list).
    expect((await f.as('supervisor').get('/api/tasks/counts')).status).toBe(403);
  });

  it('writes a search by applicant name or licence number to the security log, without what was searched', async () => {
    const logged = async () => f.sql`select type, actor_id, acting_for, data from security_events order by seq desc limit 1`;
    const [before] = await f.sql`select count(*)::int as n from security_events`;
    await inbox('water.handler', `?view=claimed&applicantName=${encodeURIComponent('张三丰')}`);
    expect(await logged()).toEqual([
      { type: 'inbox.personal-data-searched', actor_id: 'water.handler', acting_for: 'water', data: { view: 'claimed', searchedBy: ['applicantName'], page: 1, rows: 1, rowsExact: true } },
    ]);
    await inbox('water.lead', `?view=departmentDone&page=2&pageSize=1&licenceNumber=${LICENCE}&applicantName=${encodeURIComponent('无此人')}`);
    const [both] = await logged();
    expect(both).toMatchObject({ actor_id: 'water.lead', data: { view: 'departmentDone', searchedBy: ['applicantName', 'licenceNumber'], page: 2, rows: 0, rowsExact: true } });
    expect(JSON.stringify(both)).not.toContain(LICENCE);
    expect(JSON.stringify(both)).not.toContain('无此人');
    // Other filters are no search of personal data: nothing logged.
    await inbox('water.handler', '?view=todo&serviceItem=construction-permit&colour=green');
    const [after] = await f.sql`select count(*)::int as n from security_events`;
    expect(after?.['n']).toBe(Number(before?.['n']) + 2);
  });

  it(`refuses a name's start that more than ${APPLICANT_SEARCH_CAP} applicants share (422, give more of the name), logging nothing`, async () => {
    // The cap's applicants and one more, named alike (copies of a case: no tasks of their own).
    await f.sql`insert into cases (id, service_item_code, service_item_version, definition_key, definition_version, lead_department, intake_department, applicant, status,
        state_label, snapshot, version, audit_seq, audit_head, calendar_code, due_at, created_at, updated_at)
      select gen_random_uuid(), service_item_code, service_item_version, definition_key, definition_version, lead_department, intake_department,
        jsonb_set(applicant, '{name}', to_jsonb('宽泛' || n)), status, state_label, snapshot, version, audit_seq, audit_head, calendar_code, due_at, created_at, updated_at
      from cases, generate_series(1, ${APPLICANT_SEARCH_CAP + 1}::int) n where id = ${water.open.caseId}`;
    const before = await footprint();
    const res = await f.as('water.handler').get(`/api/tasks?view=claimed&applicantName=${encodeURIComponent('宽泛')}`);
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body).toMatchObject({ code: 'TB-COMMAND-INVALID', errors: [{ path: 'applicantName', message: expect.stringContaining('give more of the name') }] });
    expect(await footprint()).toEqual(before);
    // One more character picks few enough.
    expect(await inbox('water.handler', `?view=claimed&applicantName=${encodeURIComponent('宽泛1')}`)).toMatchObject({ items: [], total: 0 });
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
    f.clock.set(beijing('2026-12-04T09:00'));
    const [template] = await f.sql`select id from cases where status = 'running' limit 1`;
    const caseId = String(template?.['id']);
    // Committed synchronously (the test cluster commits asynchronously): VACUUM marks a page all-visible only once
    // the commit that wrote its rows is on disk, so the capped totals can read their indexes alone.
    await f.sql.begin(async (tx) => {
      await tx.unsafe('set local synchronous_commit = on');
      // 5,000 more cases (copies of one, each numbered by the trigger), so that a case number is found by its index.
      // Each with an applicant of its own, so that a name's start finds a few of them.
      await tx.unsafe(`insert into cases (id, service_item_code, service_item_version, definition_key, definition_version, lead_department, intake_department, applicant, status,
          state_label, snapshot, version, audit_seq, audit_head, calendar_code, due_at, created_at, updated_at)
        select gen_random_uuid(), service_item_code, service_item_version, definition_key, definition_version, lead_department, intake_department,
          jsonb_set(applicant, '{name}', to_jsonb('申请人' || n)), status, state_label,
          snapshot, version, audit_seq, audit_head, calendar_code, due_at, created_at, updated_at
        from cases, generate_series(1, 5000) n where id = $1`, [caseId]);
      // One in ten claimed: by the handler, by the lead (every third of those), or delegated by the lead to the handler (every seventh).
      await tx.unsafe(`insert into tasks (id, case_id, key, kind, title, department_code, service_item_code, status, assignee_id, delegated_by, delegation,
          opened_at, due_at, warning_level)
        select gen_random_uuid(), $1, 'bulk.' || n, 'review', 'bulk', 'tax', (array['business-opening', 'construction-permit'])[1 + n % 2],
          case when n % 10 = 0 then 'claimed' else 'open' end,
          case when n % 10 <> 0 then null when n % 30 = 0 then 'tax.lead' else 'tax.handler' end,
          case when n % 70 = 0 and n % 30 <> 0 then 'tax.lead' end, case when n % 70 = 0 and n % 30 <> 0 then 'pending' end,
          timestamptz '2026-11-01 09:00+08' + (n * 104729 % 20000) * interval '1 minute', timestamptz '2026-12-01 09:00+08' + (n * 7919 % 20000) * interval '1 minute',
          (array['red', 'yellow', 'green', 'green', 'green', 'green', 'green'])[1 + n % 7]
        from generate_series(1, 20000) n`, [caseId]);
      await tx.unsafe(`insert into tasks (id, case_id, key, kind, title, department_code, service_item_code, status, opened_at, due_at, completed_at, completed_by, outcome)
        select gen_random_uuid(), $1, 'done.' || n, 'review', 'bulk', 'tax', 'business-opening', 'completed',
          timestamptz '2026-01-01 09:00+08', timestamptz '2026-02-01 09:00+08', timestamptz '2026-01-05 09:00+08' + n * interval '1 minute', 'tax.handler', 'approve'
        from generate_series(1, 5000) n`, [caseId]);
      await tx`insert into substitutions (id, user_id, substitute_id, starts_at, ends_at, reason, created_at)
        values (gen_random_uuid(), 'tax.lead', 'tax.handler', ${beijing('2026-12-01T00:00').toISOString()}, ${beijing('2026-12-31T00:00').toISOString()}, '休假', now())`;
      // A licence for each case (as if each had issued one), so that a number is found by its index.
      await tx`insert into licences (id, case_id, number, licence_type, title, holder, issued_at)
        select gen_random_uuid(), id, case when id = ${caseId} then 'TAX-20261204-PLANNED' else 'TAX-' || number end, 'tax', '税务登记', '{}'::jsonb, now() from cases`;
    });
    await f.sql`vacuum analyze tasks`;
    await f.sql`vacuum analyze cases`;
    await f.sql`vacuum analyze substitutions`;
    await f.sql`vacuum analyze licences`;
    // A case number finds a case's few tasks: one without the bulk rows above.
    const [numbered] = await f.sql`select number from cases where id <> ${caseId} limit 1`;

    const statements: { text: string; params: unknown[] }[] = [];
    const watcher = postgres(f.db.url, { max: 1, debug: (_c, text, params) => void (/from tasks|from cases where \(applicant/.test(text) && statements.push({ text, params })) });
    const traced = connect(f.db.url, { max: 1 });
    const taxHandler = { userId: userId('tax.handler'), departmentCode: departmentCode('tax') };
    const page = { page: 2, pageSize: 20 };
    const lists: [string, TaskListQuery, RegExp][] = [
      ['to do by due time', { view: 'todo', ...page }, /^tasks_inbox_idx$/],
      ['to do by due time, latest first', { view: 'todo', direction: 'desc', ...page }, /^tasks_inbox_idx$/],
      ['to do by received time', { view: 'todo', sort: 'openedAt', ...page }, /^tasks_inbox_received_idx$/],
      ['to do by received time, latest first', { view: 'todo', sort: 'openedAt', direction: 'desc', ...page }, /^tasks_inbox_received_idx$/],
      ['yellow to do', { view: 'todo', colour: 'yellow', ...page }, /^tasks_at_risk_/],
      ['red to do, latest due first', { view: 'todo', colour: 'red', direction: 'desc', ...page }, /^tasks_at_risk_/],
      ['green to do', { view: 'todo', colour: 'green', ...page }, /^tasks_inbox_idx$/],
      ['to do of a service item', { view: 'todo', serviceItem: 'construction-permit', ...page }, /^tasks_inbox_idx$/],
      ['to do due by an instant', { view: 'todo', dueBy: beijing('2026-12-05T00:00'), ...page }, /^tasks_inbox_idx$/],
      ['done, latest first', { view: 'departmentDone', ...page }, /^tasks_done_idx$/],
      ['done, earliest first, of a service item', { view: 'departmentDone', direction: 'asc', serviceItem: 'business-opening', ...page }, /^tasks_done_idx$/],
      ['to do of a case number', { view: 'todo', caseNumber: String(numbered?.['number']), ...page }, /^cases_number_idx$/],
      ['claimed by me', { view: 'claimed', ...page }, /^tasks_claimed_by_idx$/],
      ['claimed by me, by received time', { view: 'claimed', sort: 'openedAt', ...page }, /^tasks_claimed_by_idx$/],
      ['claimed by me, red', { view: 'claimed', colour: 'red', ...page }, /^tasks_claimed_by_idx$/],
      ['delegated to me', { view: 'delegated', ...page }, /^tasks_delegated_to_idx$/],
      ['held by those I stand in for', { view: 'standIn', ...page }, /^tasks_claimed_by_idx$/],
      ['done by me, latest first', { view: 'done', ...page }, /^tasks_completed_by_idx$/],
      ['done by me, earliest first, of a service item', { view: 'done', direction: 'asc', serviceItem: 'business-opening', ...page }, /^tasks_completed_by_idx$/],
      ["to do of an applicant name's start", { view: 'todo', applicantName: '申请人42', ...page }, /^tasks_case_department_idx$/],
      ["done by me of an applicant name's start", { view: 'done', applicantName: '申请人42', ...page }, /^tasks_case_department_idx$/],
      ["claimed by me of a name's start and a licence number", { view: 'claimed', applicantName: '上海', licenceNumber: 'TAX-20261204-PLANNED', ...page }, /^licences_number_idx$/],
      ['to do of a licence number', { view: 'todo', licenceNumber: 'TAX-20261204-PLANNED', ...page }, /^licences_number_idx$/],
    ];
    try {
      for (const [name, query, index] of lists) {
        // A person's own views read their index, and may sort what it gives (by another order, or all of a few rows).
        const ownRows = !['todo', 'departmentDone'].includes(query.view ?? 'todo');
        statements.length = 0;
        await listInboxTasks(watcher, taxHandler, query, f.clock.now());
        // The page and its capped total (a search's security event reads no tasks), after a name's cases.
        expect(statements, name).toHaveLength(query.applicantName === undefined ? 2 : 3);
        const [named] = query.applicantName === undefined ? [] : statements.splice(0, 1);
        for (const mode of named ? (['force_custom_plan', 'force_generic_plan'] as const) : []) {
          // A name's applicants by its index, up to the cap (a broad start in index order, which stops there): for a
          // view of open tasks, the index of the cases still to be decided.
          const nodes = planNodes(await preparedPlan(traced, named!.text, named!.params, mode));
          const byName = ['done', 'departmentDone'].includes(query.view ?? 'todo') ? 'cases_applicant_name_idx' : 'cases_open_applicant_name_idx';
          expect(nodes.map((n) => n['Index Name']), `${name}, the applicants, ${mode}`).toContain(byName);
          expect(nodes.map((n) => n['Node Type']), `${name}, the applicants, ${mode}`).not.toContain('Seq Scan');
        }
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
            // tasks (by case and department), then fetches and sorts them; so does a licence number, or a name's start
            // its few cases'; a person's own view may sort their own tasks.
            const picksCases = [query.caseNumber, query.licenceNumber, query.applicantName].some((filter) => filter !== undefined);
            if (picksCases) expect(indexes, `${statement}, ${mode}`).toContain('tasks_case_department_idx');
            if (!picksCases && !ownRows) {
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
  }, 120_000); // 88 plans over 25,000 rows: about 20 s alone, more beside other test files
});
