import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../db/connection.js';
import { supervisionTrend } from '../../db/supervision-trend-queries.js';
import { demoActor } from '../../apps/demo-users.js';
import { createApiFixture, type Answer, type ApiFixture } from '../support/api-fixture.js';
import { CONSTRUCTION_APPLICATION, caseDriver } from '../support/case-driver.js';
import { fireDueTimers, publishQuickPermit, QUICK_PERMIT } from '../support/supervised-time.js';

/**
 * Issue 13, the supervisors' trend over HTTP (`GET /api/supervision/trend`): per ISO week in Beijing time, from the
 * weekly counters of migration 0021. Cases of a one-step item are started, finished on time and late, and made
 * overdue by their own timers as the manual clock moves over three weeks; the figures are checked against them,
 * then against a count by hand of every row.
 */

let f: ApiFixture;
const driver = caseDriver(() => f);
const quick = () => driver.start({ ...CONSTRUCTION_APPLICATION, materials: [], serviceItemCode: QUICK_PERMIT });
const finish = (caseId: string) => driver.complete('fire.handler', 'review.fire', caseId);
const at = (local: string) => f.clock.set(new Date(`${local}+08:00`));

beforeAll(async () => {
  f = await createApiFixture();
  await publishQuickPermit(f);
});
afterAll(() => f.close());

interface Week {
  readonly week: string;
  readonly start: string;
  readonly cases: Record<string, number | null>;
  readonly steps: Record<string, number | null>;
}

async function trend(query: string, user = 'supervisor'): Promise<Week[]> {
  const res = await f.as(user).get(`/api/supervision/trend${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.weeks;
}

const expectProblem = (res: Answer, status: number, code: string) => expect([res.status, res.body?.code], JSON.stringify(res.body)).toEqual([status, code]);

const none = { opened: 0, openNow: 0, overdueNow: 0, finishedOnTime: 0, finishedLate: 0, onTimeRate: null };

describe('the trend, week by week, of cases made late by their own timers', () => {
  let overdue: string;

  it('W49: two started, one finished on time; W50: the other finished late, a third started and gone red; W51: a fourth started', async () => {
    at('2026-11-30T09:00:00'); // Monday of ISO week 49
    const onTime = await quick();
    const late = await quick();
    at('2026-11-30T10:00:00');
    await finish(onTime);

    at('2026-12-08T09:00:00'); // Tuesday of week 50
    overdue = await quick();
    at('2026-12-08T10:00:00');
    await finish(late); // due at the end of Tuesday 1 December
    at('2026-12-10T10:00:00'); // past the third's due (the end of Wednesday 9 December)
    await fireDueTimers(f, overdue);
    expect(await f.sql`select warning_level from cases where id = ${overdue}`).toEqual([{ warning_level: 'red' }]);

    at('2026-12-14T09:00:00'); // Monday of week 51
    await quick();

    const weeks = await trend(`?weeks=3`);
    expect(weeks.map((w) => [w.week, w.start])).toEqual([
      ['2026-W49', '2026-11-30'],
      ['2026-W50', '2026-12-07'],
      ['2026-W51', '2026-12-14'],
    ]);
    const [w49, w50, w51] = weeks;
    expect(w49?.cases).toEqual({ opened: 2, openNow: 0, overdueNow: 0, finishedOnTime: 1, finishedLate: 0, onTimeRate: 1 });
    // The steps took 0 working days (done the day they came) and 6 (1, 2, 3, 4, 7 and 8 December).
    expect(await f.sql`select working_days from tasks where case_id in (${onTime}, ${late}) order by completed_at`).toEqual([{ working_days: 0 }, { working_days: 6 }]);
    expect(w49?.steps).toEqual({ opened: 2, openNow: 0, overdueNow: 0, finishedOnTime: 1, finishedLate: 0, onTimeRate: 1, averageWorkingDays: 0 });
    expect(w50?.cases).toEqual({ opened: 1, openNow: 1, overdueNow: 1, finishedOnTime: 0, finishedLate: 1, onTimeRate: 0 });
    expect(w50?.steps).toEqual({ opened: 1, openNow: 1, overdueNow: 1, finishedOnTime: 0, finishedLate: 1, onTimeRate: 0, averageWorkingDays: 6 });
    expect(w51?.cases).toEqual({ ...none, opened: 1, openNow: 1 });
    expect(w51?.steps).toEqual({ ...none, opened: 1, openNow: 1, averageWorkingDays: null });
  });

  it("a late finish moves the cohort: W50's overdue case finished in W51 leaves W50's open and overdue, and is late in W51", async () => {
    at('2026-12-15T11:00:00');
    await finish(overdue);
    const [, w50, w51] = await trend(`?weeks=3`);
    expect(w50?.cases).toMatchObject({ opened: 1, openNow: 0, overdueNow: 0, finishedLate: 1 });
    expect(w51?.cases).toEqual({ opened: 1, openNow: 1, overdueNow: 0, finishedOnTime: 0, finishedLate: 1, onTimeRate: 0 });
    // Wednesday 9 December to Tuesday 15 December: 5 working days.
    expect(w51?.steps).toMatchObject({ finishedLate: 1, averageWorkingDays: 5 });
  });

  it('the weeks asked for, oldest first and the current one last, with zeros for the weeks before anything happened', async () => {
    const weeks = await trend('?weeks=12');
    expect(weeks).toHaveLength(12);
    expect(weeks.at(-1)?.week).toBe('2026-W51');
    expect(weeks[0]).toEqual({ week: '2026-W40', start: '2026-09-28', cases: none, steps: { ...none, averageWorkingDays: null } });
    expect((await trend('')).length).toBe(12); // 12 by default
    expect((await trend('?weeks=1')).map((w) => w.week)).toEqual(['2026-W51']);
    // Sunday night in Beijing is still week 51 (Sunday 16:00 UTC is Monday 00:00 in Beijing).
    f.clock.set(new Date('2026-12-20T15:59:59Z'));
    expect((await trend('?weeks=1')).map((w) => w.week)).toEqual(['2026-W51']);
    f.clock.set(new Date('2026-12-20T16:00:00Z'));
    expect((await trend('?weeks=1')).map((w) => w.week)).toEqual(['2026-W52']);
    at('2026-12-15T11:00:00');
  });
});

describe('who reads what', () => {
  it("a lead reads their own department's: fire's steps and no case (fire leads none); housing's cases", async () => {
    const all = await trend(`?weeks=3`);
    const fire = await trend(`?weeks=3`, 'fire.lead');
    expect(fire.map((w) => w.steps)).toEqual(all.map((w) => w.steps));
    expect(fire.every((w) => w.cases['opened'] === 0 && w.cases['finishedLate'] === 0)).toBe(true);
    const housing = await trend(`?weeks=3`, 'housing.lead');
    expect(housing.map((w) => w.cases)).toEqual(all.map((w) => w.cases));
    expect(housing.every((w) => w.steps['opened'] === 0)).toBe(true);
    // Another department's, asked for by a lead: nothing. A supervisor's department filter narrows.
    expect((await trend(`?weeks=3&department=fire`, 'housing.lead')).every((w) => w.steps['opened'] === 0 && w.cases['opened'] === 0)).toBe(true);
    expect((await trend(`?weeks=3&department=fire`)).map((w) => w.steps)).toEqual(all.map((w) => w.steps));
  });

  it('handlers, clerks, designers and administrators are refused (403)', async () => {
    for (const user of ['fire.handler', 'window.clerk', 'designer', 'admin']) expectProblem(await f.as(user).get('/api/supervision/trend'), 403, 'TB-PERMISSION');
  });

  it('refuses a bad number of weeks (400, naming the field) and changes nothing', async () => {
    const counters = async () => [...(await f.sql`select * from supervision_weeks order by week, subject, department_code, slot`)];
    const before = await counters();
    for (const weeks of ['0', '53', 'twelve', '1.5']) {
      const res = await f.as('supervisor').get(`/api/supervision/trend?weeks=${weeks}`);
      expectProblem(res, 400, 'TB-VALIDATION');
      expect(res.body.errors.map((e: { path: string }) => e.path), weeks).toEqual(['weeks']);
    }
    expectProblem(await f.as('supervisor').get('/api/supervision/trend?department='), 400, 'TB-VALIDATION');
    expect(await counters()).toEqual(before);
  });
});

describe('the weekly counters', () => {
  it('hold what a count by hand of every row gives, and what counting them again gives', async () => {
    // More of everything: construction permits with five departments' steps, some finished.
    for (let i = 0; i < 3; i++) {
      const id = await driver.startInJointReview();
      if (i > 0) await driver.complete('fire.handler', 'review.fire', id);
    }
    const weeks = await trend('?weeks=4');
    const week = (at: string) => `to_char(date_trunc('week', ${at} at time zone 'Asia/Shanghai'), 'YYYY-MM-DD')`;
    const [cases, tasks] = await Promise.all([
      f.sql.unsafe(`select ${week('created_at')} as opened, ${week('completed_at')} as finished, status = 'running' as open,
        status = 'running' and warning_level = 'red' as red, completed_at <= due_at as on_time from cases`),
      f.sql.unsafe(`select ${week('opened_at')} as opened, case when status = 'completed' then ${week('completed_at')} end as finished,
        status in ('open', 'claimed') as open, status in ('open', 'claimed') and warning_level = 'red' as red, completed_at <= due_at as on_time, working_days from tasks`),
    ]);
    const byHand = (rows: readonly Record<string, unknown>[], start: string) => {
      const opened = rows.filter((r) => r['opened'] === start);
      const finished = rows.filter((r) => r['finished'] === start);
      return {
        opened: opened.length,
        openNow: opened.filter((r) => r['open']).length,
        overdueNow: opened.filter((r) => r['red']).length,
        finishedOnTime: finished.filter((r) => r['on_time']).length,
        finishedLate: finished.filter((r) => !r['on_time']).length,
      };
    };
    for (const w of weeks) {
      expect(w.cases, w.week).toMatchObject(byHand(cases, w.start));
      expect(w.steps, w.week).toMatchObject(byHand(tasks, w.start));
    }
    expect(weeks.reduce((n, w) => n + (w.steps['opened'] as number), 0)).toBe(tasks.length);

    const kept = async () => [...(await f.sql`select week, subject, department_code, sum(opened)::int as opened, sum(open)::int as open,
      sum(red)::int as red, sum(on_time)::int as on_time, sum(late)::int as late, sum(working_days)::int as working_days, sum(timed_steps)::int as timed_steps
      from supervision_weeks group by 1, 2, 3 having sum(opened) <> 0 or sum(open) <> 0 or sum(on_time) <> 0 or sum(late) <> 0 order by 1, 2, 3`)];
    const before = await kept();
    await f.sql`select supervision_recount()`;
    expect(await kept()).toEqual(before);
  });

  it('the trend reads the counters by their key, never the tables they count', async () => {
    const statements: { text: string; params: unknown[] }[] = [];
    const watcher = postgres(f.db.url, { max: 1, debug: (_c, text, params) => void (/supervision_weeks/.test(text) && statements.push({ text, params })) });
    const plain = connect(f.db.url, { max: 1 });
    try {
      await supervisionTrend(watcher, demoActor('fire.lead'), { lastWeek: '2026-12-14', weeks: 12 });
      expect(statements).toHaveLength(1);
      const { text, params } = statements[0]!;
      const plan = await plain.begin(async (tx) => {
        await tx.unsafe('set local enable_seqscan = off'); // a handful of rows: the planner would rightly scan them; is the key usable?
        const [row] = await tx.unsafe(`explain (format json) ${text}`, params as never[]);
        return JSON.stringify(row?.['QUERY PLAN']);
      });
      expect(plan).toContain('"Index Name":"supervision_weeks_pkey"');
      expect(plan).not.toMatch(/"Relation Name":"(cases|tasks)"/);
    } finally {
      await watcher.end();
      await plain.end();
    }
  });
});

describe('the OpenAPI document', () => {
  it('describes the route with its permission and schema', async () => {
    const doc = (await f.as(null).get('/api/openapi.json')).body;
    expect(doc.paths['/api/supervision/trend']?.get?.['x-permission']).toBe('supervision.read');
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['SupervisionTrend', 'SupervisionCasesWeek', 'SupervisionStepsWeek']));
  });
});
