import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../db/connection.js';
import { PAGE_COUNT_CAP } from '../../db/page-total.js';
import { findDepartmentTask, listInboxTasks } from '../../db/task-queries.js';
import { departmentCode, userId } from '../../engine/ids.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { caseDriver } from '../support/case-driver.js';

/** Open tasks of the police inbox: more than 2 × PAGE_COUNT_CAP, so that deep pages are capped too. */
const POLICE_OPEN = 2500;
const POLICE_DONE = 30;
const police = departmentCode('police');
const policeHandler = { userId: userId('police.handler'), departmentCode: police };

interface TaskItem {
  readonly id: string;
  readonly dueAt: string;
  readonly completedAt: string | null;
}

let f: ApiFixture;
let caseIds: string[];
beforeAll(async () => {
  f = await createApiFixture();
  const { start, complete } = caseDriver(() => f);
  caseIds = [await start(), await start()];
  for (const id of caseIds) await complete('window.clerk', 'acceptance', id);
  // A department with a large inbox, written straight into the table (the engine would need thousands of
  // cases). Due and completion times repeat (500 and 7 distinct values), so ties must be ordered by id.
  await f.sql`insert into tasks (id, case_id, key, kind, title, department_code, status, opened_at, due_at)
    select gen_random_uuid(), ${caseIds[0]!}, 'bulk.' || n, 'review', '治安审查 ' || n, 'police', 'open',
      timestamptz '2026-11-30 09:00+08', timestamptz '2026-12-07 09:00+08' + ((n * 7919) % 500) * interval '1 minute'
    from generate_series(1, ${POLICE_OPEN}::int) n`;
  await f.sql`insert into tasks (id, case_id, key, kind, title, department_code, status, outcome, opened_at, due_at, completed_at, completed_by)
    select gen_random_uuid(), ${caseIds[1]!}, 'done.' || n, 'review', '治安审查 ' || n, 'police', 'completed', 'approve',
      timestamptz '2026-11-30 09:00+08', timestamptz '2026-12-07 09:00+08', timestamptz '2026-11-30 10:00+08' + (n % 7) * interval '1 hour', 'police.handler'
    from generate_series(1, ${POLICE_DONE}::int) n`;
});
afterAll(() => f.close());

/** The department's tasks in the order the inbox promises, computed here rather than by the query under test. */
async function expectedOrder(status: 'open' | 'done'): Promise<string[]> {
  const rows = await f.sql<{ id: string; at: string }[]>`select id::text as id, to_char(
      (case when ${status} = 'open' then due_at else completed_at end) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as at
    from tasks where department_code = 'police' and status = any(${status === 'open' ? ['open', 'claimed'] : ['completed']})`;
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const sorted = status === 'open'
    ? rows.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : byId(a, b)))
    : rows.sort((a, b) => (a.at > b.at ? -1 : a.at < b.at ? 1 : byId(a, b)));
  return sorted.map((r) => r.id);
}

/** Row counts of what a request could write: bad input must leave them as they were. */
async function footprint() {
  const [row] = await f.sql`select (select count(*) from cases)::int as cases, (select count(*) from tasks)::int as tasks,
    (select coalesce(sum(version), 0) from cases)::int as versions, (select count(*) from audit_events)::int as audit,
    (select count(*) from security_events)::int as security`;
  return row;
}

describe('GET /api/tasks answers a page with a total a pager can afford', () => {
  it('below the cap the total is exact, and the answer has exactly the Page keys', async () => {
    const res = await f.as('fire.handler').get('/api/tasks?view=todo');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['items', 'page', 'pageSize', 'total', 'totalExact']);
    const [open] = await f.sql`select count(*)::int as n from tasks where department_code = 'fire' and status in ('open', 'claimed')`;
    expect(open?.['n']).toBe(caseIds.length);
    expect(res.body).toMatchObject({ page: 1, pageSize: 20, total: caseIds.length, totalExact: true });
    expect(res.body.items.map((t: { caseId: string }) => t.caseId).sort()).toEqual([...caseIds].sort());

    const done = await f.as('window.clerk').get('/api/tasks?view=departmentDone');
    expect(done.body).toMatchObject({ total: caseIds.length, totalExact: true });
    const empty = await f.as('market.handler').get('/api/tasks?view=todo');
    expect(empty.body).toEqual({ items: [], page: 1, pageSize: 20, total: 0, totalExact: true });
  });

  it(`above the cap (${PAGE_COUNT_CAP}) the total is a lower bound`, async () => {
    const res = await f.as('police.handler').get('/api/tasks?view=todo&pageSize=50');
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(50);
    expect(res.body).toMatchObject({ total: PAGE_COUNT_CAP, totalExact: false });
    expect(res.body.total).toBeLessThan(POLICE_OPEN);
  });

  it('every page, beyond the cap too, returns its items with a total of at least offset + items', async () => {
    const pageSize = 100;
    const seen: TaskItem[] = [];
    const exactness = new Set<boolean>();
    for (let page = 1; page <= POLICE_OPEN / pageSize + 1; page++) {
      const res = await f.as('police.handler').get(`/api/tasks?view=todo&page=${page}&pageSize=${pageSize}`);
      expect(res.status).toBe(200);
      const offset = (page - 1) * pageSize;
      expect(res.body.items).toHaveLength(Math.max(0, Math.min(pageSize, POLICE_OPEN - offset)));
      if (res.body.totalExact) expect(res.body.total).toBe(POLICE_OPEN);
      else expect(res.body.total).toBe(offset + PAGE_COUNT_CAP); // more than offset + items, less than the truth
      exactness.add(res.body.totalExact);
      seen.push(...res.body.items);
    }
    expect([...exactness].sort()).toEqual([false, true]);
    // Walking the pages sees every task once, most urgent first, ties by id.
    expect(seen.map((t) => t.id)).toEqual(await expectedOrder('open'));
    const dueTimes = seen.map((t) => t.dueAt);
    expect(dueTimes).toEqual([...dueTimes].sort());
  });

  it('done tasks come latest first, ties by id', async () => {
    const res = await f.as('police.handler').get(`/api/tasks?view=departmentDone&pageSize=100`);
    expect(res.body).toMatchObject({ total: POLICE_DONE, totalExact: true });
    expect(res.body.items.map((t: TaskItem) => t.id)).toEqual(await expectedOrder('done'));
  });

  it('a listed task reads the same on its own, with the instants stored', async () => {
    const list = await f.as('fire.handler').get('/api/tasks?view=todo');
    const item = list.body.items[0];
    const one = await f.as('fire.handler').get(`/api/tasks/${item.id}`);
    expect(one.body).toEqual(item);
    const [row] = await f.sql`select to_char(due_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as due,
      to_char(opened_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as opened from tasks where id = ${item.id}`;
    expect({ dueAt: item.dueAt, openedAt: item.openedAt, completedAt: item.completedAt }).toEqual({ dueAt: row?.['due'], openedAt: row?.['opened'], completedAt: null });
    expect((await f.as('water.handler').get(`/api/tasks/${item.id}`)).status).toBe(404);
  });

  it.each([
    ['page 0', 'page=0', 'page'],
    ['page beyond 100,000', 'page=100001', 'page'],
    ['a fractional page', 'page=1.5', 'page'],
    ['a page in words', 'page=two', 'page'],
    ['pageSize 0', 'pageSize=0', 'pageSize'],
    ['pageSize 101', 'pageSize=101', 'pageSize'],
    ['a pageSize in words', 'pageSize=many', 'pageSize'],
    ['an unknown view', 'view=closed', 'view'],
  ])('%s → 400 problem+json naming the field, nothing changed', async (_, query, path) => {
    const before = await footprint();
    const res = await f.as('police.handler').get(`/api/tasks?${query}`);
    expect(res.status).toBe(400);
    expect(res.contentType).toContain('application/problem+json');
    expect(res.body.type).toBe('https://tongban.dev/problems/validation');
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual([path]);
    expect(await footprint()).toEqual(before);
  });

  it('the OpenAPI document describes totalExact on every paged answer', async () => {
    const doc = (await f.as(null).get('/api/openapi.json')).body;
    const pages = Object.entries(doc.components.schemas as Record<string, { properties?: Record<string, { description?: string }> }>)
      // A page has its items with their total; a migration's `total` (the cases it takes) is no page.
      .filter(([, schema]) => schema.properties?.['total'] && schema.properties['items']);
    expect(pages.map(([name]) => name)).toContain('TaskPage');
    for (const [name, schema] of pages) {
      expect(schema.properties?.['totalExact']?.description, name).toMatch(/lower bound|more than/);
      expect(schema.properties?.['total']?.description, name).toMatch(/lower bound/);
    }
  });
});

describe('listInboxTasks counts only what the pager needs', () => {
  const list = (status: 'open' | 'done', page: number, pageSize: number, countCap?: number) =>
    listInboxTasks(f.sql, policeHandler, { view: status === 'open' ? 'todo' : 'departmentDone', page, pageSize, ...(countCap === undefined ? {} : { countCap }) }, f.clock.now());

  it('is exact while the set fits under offset + cap, a lower bound beyond', async () => {
    expect(await list('open', 1, 10, POLICE_OPEN)).toMatchObject({ total: POLICE_OPEN, totalExact: true });
    expect(await list('done', 1, 10, POLICE_DONE)).toMatchObject({ total: POLICE_DONE, totalExact: true });
    const capped = await list('done', 1, 5, 7);
    expect(capped.items).toHaveLength(5);
    expect(capped).toMatchObject({ total: 7, totalExact: false });
  });

  it('a page beyond a small cap still has its items and a total of at least offset + items', async () => {
    const deep = await list('done', 4, 5, 3); // offset 15
    expect(deep.items.map((row) => row.task.id)).toEqual((await expectedOrder('done')).slice(15, 20));
    expect(deep.totalExact).toBe(false);
    expect(deep.total).toBeGreaterThanOrEqual(15 + deep.items.length);
    expect(deep.total).toBeLessThan(POLICE_DONE);
    // A cap below the page size still counts the whole page.
    const wide = await list('done', 1, 10, 2);
    expect(wide.items).toHaveLength(10);
    expect(wide).toMatchObject({ total: 10, totalExact: false });
    // Past the end: no items, and the exact total.
    expect(await list('done', 9, 5, 3)).toEqual({ items: [], total: POLICE_DONE, totalExact: true });
  });

  it('maps rows to the shape drizzle selected: Dates for instants, nulls kept', async () => {
    const { items: [row] } = await list('done', 1, 1);
    const task = row?.task;
    expect(task?.completedAt).toBeInstanceOf(Date);
    expect(task?.dueAt.toISOString()).toBe('2026-12-07T01:00:00.000Z');
    expect(task).toMatchObject({ departmentCode: 'police', status: 'completed', assigneeId: null, completedBy: 'police.handler', warningLevel: 'green' });
    expect(await findDepartmentTask(f.sql, police, task!.id)).toEqual(row);
    expect(await findDepartmentTask(f.sql, departmentCode('fire'), task!.id)).toBeNull();
  });

  it('runs as prepared statements (no Parse/Describe round trip per page once warm)', async () => {
    const one = connect(f.db.url, { max: 1 });
    try {
      await listInboxTasks(one, policeHandler, { view: 'todo', page: 1, pageSize: 20 }, f.clock.now());
      await findDepartmentTask(one, police, '00000000-0000-4000-8000-000000000000');
      const prepared = await one<{ statement: string }[]>`select statement from pg_prepared_statements where statement like '%from tasks%'`;
      const statements = prepared.map((r) => r.statement);
      expect(statements.some((s) => /from \(select \* from tasks where .* order by "due_at" asc, id limit \$\d+ offset \$\d+\) t\s+join cases c/s.test(s))).toBe(true);
      expect(statements.some((s) => /^select count\(\*\)::int as n\s+from \(select 1 from tasks where .* order by "due_at" asc limit \$\d+\) as capped$/s.test(s))).toBe(true);
      expect(statements.some((s) => /from tasks t join cases c .* where t\.id = \$1 and t\.department_code = \$2$/s.test(s))).toBe(true);
    } finally {
      await one.end();
    }
  });
});
