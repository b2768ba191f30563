import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadline } from '../../engine/time/deadline.js';
import { epochDay, isoDateOf } from '../../engine/time/local-date.js';
import type { WorkingCalendar } from '../../engine/time/working-calendar.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { CONSTRUCTION_APPLICATION, caseDriver } from '../support/case-driver.js';
import { MONDAY_MORNING } from '../support/engine-fixture.js';

let f: ApiFixture;
let cn: WorkingCalendar;
beforeAll(async () => {
  f = await createApiFixture();
  cn = await f.catalog.calendar('cn');
});
afterAll(() => f.close());
const { start, complete, openTask } = caseDriver(() => f);

interface Clock {
  readonly id: string;
  readonly state: string;
  readonly budget: number;
  readonly extensionWorkingDays: number;
  readonly due: { due: string; derivation: { start: string; rule: { cutOffLocalTime: string }; dueDate: string; pausedWorkingDays: number } } | null;
  readonly pauses: readonly { reason: { kind: string; text: string }; until: string | null; workingDaysNotCounted: number }[];
  readonly extensions: readonly { workingDays: number; approver: string; reason: string; legalBasis: string }[];
}

const clocksOf = async (caseId: string): Promise<Map<string, Clock>> => {
  const res = await f.as('housing.lead').get(`/api/cases/${caseId}/clocks`);
  expect(res.status).toBe(200);
  return new Map(res.body.clocks.map((c: Clock) => [c.id, c]));
};
const clockOf = async (caseId: string, id: string): Promise<Clock> => {
  const clock = (await clocksOf(caseId)).get(id);
  expect(clock, `clock ${id}`).toBeDefined();
  return clock as Clock;
};
/** The due instant `deadline()` gives the clock's start and rule for `workingDays`, ISO. */
const countedDue = (clock: Clock, workingDays: number) =>
  deadline(cn, new Date(String(clock.due?.derivation.start)), workingDays, clock.due?.derivation.rule ?? { cutOffLocalTime: '17:00' }).due.toISOString();
/** The working day `n` working days after a due date. */
const workingDaysAfter = (date: string | undefined, n: number) => isoDateOf(cn.workingDayAfter(epochDay(String(date)), n) ?? Number.NaN);

const at = (local: string) => f.clock.set(new Date(`${local}+08:00`));
const iso = (value: unknown) => new Date(String(value)).toISOString();
const rows = async <T>(query: Promise<readonly T[]>) => [...(await query)];

/** Everything a command on the case could have changed. */
const footprint = async (caseId: string) => ({
  case: await rows(f.sql`select version, status, state_label, due_at, due_derivation, clocks, audit_seq from cases where id = ${caseId}`),
  tasks: await rows(f.sql`select id, status, due_at, due_derivation from tasks where case_id = ${caseId} order by id`),
  timers: await rows(f.sql`select id, kind, send_id, status, due_at from timers where case_id = ${caseId} order by id`),
  notifications: await rows(f.sql`select id, template, data from notifications where case_id = ${caseId} order by id`),
  audit: await rows(f.sql`select seq, type from audit_events where case_id = ${caseId} order by seq`),
});
const pendingTimers = async (caseId: string, kind: string) =>
  (await f.sql`select send_id, task_id, due_at from timers where case_id = ${caseId} and kind = ${kind} and status = 'pending' order by send_id, task_id`).map((t) => ({
    sendId: t['send_id'],
    taskId: t['task_id'],
    dueAt: iso(t['due_at']),
  }));
const notices = async (caseId: string, template: string) =>
  rows(f.sql`select audience, department_code, data from notifications where case_id = ${caseId} and template = ${template}`);

const EXTENSION = { reason: '专家论证需补充现场核查', legalBasis: '《行政许可法》第四十二条第二款，经本级人民政府负责人批准' };
const extend = (user: string, caseId: string, clock: string, body: object, headers?: Record<string, string>) =>
  f.as(user).post(`/api/cases/${caseId}/clocks/${clock}/extensions`, body, headers);
const procedure = (user: string, caseId: string, body: object) => f.as(user).post(`/api/cases/${caseId}/special-procedures`, body);
const expectProblem = (res: { status: number; contentType: string | null; body: { code?: string } }, status: number, code: string) => {
  expect([res.status, res.body.code], JSON.stringify(res.body)).toEqual([status, code]);
  expect(res.contentType).toContain('application/problem+json');
};

describe('POST /api/cases/{caseId}/clocks/{clock}/extensions (延期)', () => {
  it("moves the legal clock's due date by exactly the working days granted, with its timer; the applicant is told; audited", async () => {
    at('2026-11-30T09:00:00');
    const caseId = await start();
    const before = await clockOf(caseId, 'legal');
    expect(before.due?.due).toBe(countedDue(before, 15));
    const caseDueBefore = (await f.sql`select due_at from cases where id = ${caseId}`)[0]?.['due_at'];

    at('2026-12-01T10:00:00');
    const res = await extend('housing.lead', caseId, 'legal', { workingDays: 5, ...EXTENSION });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ caseId, changed: true });

    const after = await clockOf(caseId, 'legal');
    expect(after.due?.due).toBe(countedDue(before, 20));
    expect(after.due?.derivation.dueDate).toBe(workingDaysAfter(before.due?.derivation.dueDate, 5));
    expect([after.extensionWorkingDays, after.extensions]).toEqual([5, [expect.objectContaining({ workingDays: 5, approver: 'housing.lead', ...EXTENSION })]]);
    expect(await pendingTimers(caseId, 'clock.deadline')).toEqual([{ sendId: 'clock:legal', taskId: null, dueAt: after.due?.due }]);
    // The legal clock does not drive the case's due: that is the committed clock's.
    expect((await f.sql`select due_at from cases where id = ${caseId}`)[0]?.['due_at']).toEqual(caseDueBefore);
    expect(await notices(caseId, 'clock.extended')).toEqual([
      { audience: 'applicant', department_code: null, data: expect.objectContaining({ clock: 'legal', workingDays: 5, ...EXTENSION, dueAt: after.due?.due }) },
    ]);
    const detail = await f.as('housing.lead').get(`/api/cases/${caseId}`);
    expect(detail.body.timeline.at(-1)).toMatchObject({ type: 'clock.extended', actorId: 'housing.lead', data: { clock: 'legal', workingDays: 5, dueDate: after.due?.derivation.dueDate } });
  });

  it("extending the committed clock moves the case's dueAt and its case.deadline timer with it", async () => {
    at('2026-11-30T09:00:00');
    const caseId = await start();
    const before = await clockOf(caseId, 'committed');
    at('2026-12-02T15:00:00');
    expect((await extend('housing.lead', caseId, 'committed', { workingDays: 3, ...EXTENSION })).status).toBe(200);
    const after = await clockOf(caseId, 'committed');
    expect(after.due?.due).toBe(countedDue(before, 13));
    expect(after.due?.derivation.dueDate).toBe(workingDaysAfter(before.due?.derivation.dueDate, 3));
    const [row] = await f.sql`select due_at, due_derivation from cases where id = ${caseId}`;
    expect([iso(row?.['due_at']), (row?.['due_derivation'] as { dueDate: string }).dueDate]).toEqual([after.due?.due, after.due?.derivation.dueDate]);
    expect(await pendingTimers(caseId, 'case.deadline')).toEqual([{ sendId: 'case.deadline', taskId: null, dueAt: after.due?.due }]);
    expect((await clockOf(caseId, 'legal')).extensions).toEqual([]);
  });

  it('routes a task clock `task:<key>`, its colon URL-encoded or not, and moves the task with it', async () => {
    at('2026-11-30T09:00:00');
    const caseId = await start();
    const before = await clockOf(caseId, 'task:acceptance');
    const taskId = await openTask('window.clerk', 'acceptance', caseId);
    expect((await extend('housing.lead', caseId, 'task%3Aacceptance', { workingDays: 2, ...EXTENSION })).status).toBe(200);
    const after = await clockOf(caseId, 'task:acceptance');
    expect(after.due?.derivation.dueDate).toBe(workingDaysAfter(before.due?.derivation.dueDate, 2));
    const task = await f.as('window.clerk').get(`/api/tasks/${taskId}`);
    expect(task.body.dueAt).toBe(after.due?.due);
    expect(await pendingTimers(caseId, 'task.deadline')).toEqual([{ sendId: null, taskId, dueAt: after.due?.due }]);
    // The same clock, not a 404: the item allows it once.
    expectProblem(await extend('housing.lead', caseId, 'task:acceptance', { workingDays: 1, ...EXTENSION }), 409, 'TB-CLOCK-EXTENSION-REFUSED');
  });

  it('is refused, and changes nothing, beyond the maximum, a second time, for a handler, another department, an unknown clock or a bad body', async () => {
    at('2026-11-30T09:00:00');
    const caseId = await start();
    at('2026-12-01T10:00:00');
    const untouched = await footprint(caseId);
    // Construction permit, joint review: +15 once (art. 42 ¶2).
    expectProblem(await extend('housing.lead', caseId, 'legal', { workingDays: 16, ...EXTENSION }), 409, 'TB-CLOCK-EXTENSION-REFUSED');
    expectProblem(await extend('housing.handler', caseId, 'legal', { workingDays: 5, ...EXTENSION }), 403, 'TB-PERMISSION');
    // Fire takes no part in the case yet (only the acceptance is open): as if it did not exist.
    expectProblem(await extend('fire.lead', caseId, 'legal', { workingDays: 5, ...EXTENSION }), 404, 'TB-CASE-404');
    expectProblem(await extend('housing.lead', caseId, 'nope', { workingDays: 5, ...EXTENSION }), 404, 'TB-CLOCK-404');
    expectProblem(await extend('housing.lead', caseId, 'legal', { workingDays: 5, ...EXTENSION, expectedVersion: 99 }), 409, 'TB-CASE-VERSION');
    for (const bad of [
      { workingDays: 0, ...EXTENSION },
      { workingDays: 1.5, ...EXTENSION },
      { workingDays: 5, ...EXTENSION, reason: '' },
      { workingDays: 5, ...EXTENSION, reason: '   ' },
      { workingDays: 5, reason: EXTENSION.reason },
      { workingDays: 5, ...EXTENSION, approver: 'housing.lead' },
    ]) {
      expectProblem(await extend('housing.lead', caseId, 'legal', bad), 400, 'TB-VALIDATION');
    }
    expect(await footprint(caseId)).toEqual(untouched);

    expect((await extend('housing.lead', caseId, 'legal', { workingDays: 15, ...EXTENSION })).status).toBe(200);
    const once = await footprint(caseId);
    expectProblem(await extend('housing.lead', caseId, 'legal', { workingDays: 1, ...EXTENSION }), 409, 'TB-CLOCK-EXTENSION-REFUSED');
    expect(await footprint(caseId)).toEqual(once);
  });

  it('Idempotency-Key: the same request replayed gets the same answer and extends once', async () => {
    at('2026-11-30T09:00:00');
    const caseId = await start();
    const headers = { 'idempotency-key': 'clock-extension-0001' };
    const first = await extend('housing.lead', caseId, 'legal', { workingDays: 4, ...EXTENSION }, headers);
    expect(first.status).toBe(200);
    const replay = await f.app.request(`/api/cases/${caseId}/clocks/legal/extensions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await f.token('housing.lead')}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ workingDays: 4, ...EXTENSION }),
    });
    expect([replay.status, replay.headers.get('idempotent-replayed'), await replay.json()]).toEqual([200, 'true', first.body]);
    expect((await clockOf(caseId, 'legal')).extensions).toHaveLength(1);
    expect(await notices(caseId, 'clock.extended')).toHaveLength(1);
    expect((await f.sql`select count(*)::int as n from audit_events where case_id = ${caseId} and type = 'clock.extended'`)[0]?.['n']).toBe(1);
  });
});

describe('POST /api/cases/{caseId}/special-procedures (特别程序)', () => {
  const REVIEWS = ['review.civil-air-defence', 'review.ecology', 'review.fire', 'review.planning', 'review.water'];
  const NOTICE = '依法组织专家评审，预计需要三个工作日，所需时间不计入办理时限（《行政许可法》第四十五条）';

  it('an expert review pauses the legal, committed and open review clocks; ending it 3 working days later moves each due by 3', async () => {
    at('2026-11-30T09:00:00');
    const caseId = await start();
    await complete('window.clerk', 'acceptance', caseId);
    const before = await clocksOf(caseId);
    const reviewTasks = new Map(await Promise.all(REVIEWS.map(async (key) => [key, await openTask(key.replace('review.', '') + '.handler', key, caseId)] as const)));
    const running = ['legal', 'committed', ...REVIEWS.map((k) => `task:${k}`)];
    expect(running.map((id) => before.get(id)?.state)).toEqual(running.map(() => 'running'));

    at('2026-12-02T10:00:00'); // Wednesday
    const started = await procedure('fire.handler', caseId, { action: 'start', kind: 'expert-review', notice: NOTICE });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const paused = await clocksOf(caseId);
    expect(running.map((id) => [id, paused.get(id)?.state, paused.get(id)?.due, paused.get(id)?.pauses.map((p) => [p.reason.kind, p.reason.text, p.until])])).toEqual(
      running.map((id) => [id, 'paused', null, [['expert-review', NOTICE, null]]]),
    );
    expect(paused.get('task:acceptance')?.state).toBe('stopped');
    expect(await pendingTimers(caseId, 'task.deadline')).toEqual([]);
    expect(await pendingTimers(caseId, 'case.deadline')).toEqual([]);
    expect(await pendingTimers(caseId, 'clock.deadline')).toEqual([]);
    expect(await notices(caseId, 'special-procedure.started')).toEqual([
      { audience: 'applicant', department_code: null, data: { kind: 'expert-review', notice: NOTICE } },
    ]);

    at('2026-12-07T10:00:00'); // Monday: 3, 4 and 7 December not counted
    const ended = await procedure('fire.lead', caseId, { action: 'end', kind: 'expert-review' });
    expect(ended.status, JSON.stringify(ended.body)).toBe(200);
    const resumed = await clocksOf(caseId);
    for (const id of running) {
      const [was, now] = [before.get(id) as Clock, resumed.get(id) as Clock];
      expect([id, now.state, now.due?.derivation.pausedWorkingDays, now.pauses.map((p) => p.workingDaysNotCounted)]).toEqual([id, 'running', 3, [3]]);
      expect([id, now.due?.derivation.dueDate]).toEqual([id, workingDaysAfter(was.due?.derivation.dueDate, 3)]);
      expect([id, now.due?.due]).toEqual([id, countedDue(was, was.budget + 3)]);
    }
    const tasks = (await f.as('housing.lead').get(`/api/cases/${caseId}`)).body.tasks as { id: string; key: string; dueAt: string }[];
    for (const key of REVIEWS) expect([key, tasks.find((t) => t.key === key)?.dueAt]).toEqual([key, resumed.get(`task:${key}`)?.due?.due]);
    expect(await pendingTimers(caseId, 'task.deadline')).toEqual(
      REVIEWS.map((key) => ({ sendId: null, taskId: reviewTasks.get(key), dueAt: resumed.get(`task:${key}`)?.due?.due })).sort((a, b) => String(a.taskId).localeCompare(String(b.taskId))),
    );
    expect(await pendingTimers(caseId, 'case.deadline')).toEqual([{ sendId: 'case.deadline', taskId: null, dueAt: resumed.get('committed')?.due?.due }]);
    expect(iso((await f.sql`select due_at from cases where id = ${caseId}`)[0]?.['due_at'])).toBe(resumed.get('committed')?.due?.due);
    expect(await notices(caseId, 'special-procedure.ended')).toEqual([{ audience: 'applicant', department_code: null, data: { kind: 'expert-review' } }]);
    const timeline = (await f.as('housing.lead').get(`/api/cases/${caseId}`)).body.timeline as { type: string; actorId: string }[];
    expect(timeline.slice(-2).map((e) => [e.type, e.actorId])).toEqual([
      ['special-procedure.started', 'fire.handler'],
      ['special-procedure.ended', 'fire.lead'],
    ]);
  });

  it('Idempotency-Key: a replayed start gets the same answer, not a 409 for clocks already paused', async () => {
    at('2026-11-30T09:00:00');
    const caseId = await start();
    await complete('window.clerk', 'acceptance', caseId);
    const body = { action: 'start', kind: 'hearing', notice: '依法举行听证，预计需要五个工作日' };
    const headers = { 'idempotency-key': 'special-procedure-0001' };
    const first = await f.as('housing.lead').post(`/api/cases/${caseId}/special-procedures`, body, headers);
    expect(first.status).toBe(200);
    const replay = await f.as('housing.lead').post(`/api/cases/${caseId}/special-procedures`, body, headers);
    expect([replay.status, replay.body]).toEqual([200, first.body]);
    expect((await clockOf(caseId, 'legal')).pauses).toHaveLength(1);
    expect(await notices(caseId, 'special-procedure.started')).toHaveLength(1);
  });

  it('is refused, and changes nothing: a public notice the item counts, ending one not under way, a department not taking part, a bad body', async () => {
    at('2026-11-30T09:00:00');
    const opening = await start({ ...CONSTRUCTION_APPLICATION, materials: [], serviceItemCode: 'business-opening' });
    const openingBefore = await footprint(opening);
    expectProblem(await procedure('market.lead', opening, { action: 'start', kind: 'public-notice', notice: '依法公示五个工作日' }), 409, 'TB-CLOCK-PAUSE-REFUSED');
    expect(await footprint(opening)).toEqual(openingBefore);

    const caseId = await start();
    await complete('window.clerk', 'acceptance', caseId);
    const untouched = await footprint(caseId);
    expectProblem(await procedure('housing.lead', caseId, { action: 'end', kind: 'hearing' }), 409, 'TB-CLOCK-STATE');
    // Outside the case: as if it did not exist (ids cannot be probed).
    expectProblem(await procedure('market.handler', caseId, { action: 'start', kind: 'hearing', notice: '依法举行听证' }), 404, 'TB-CASE-404');
    expectProblem(await procedure('window.clerk', caseId, { action: 'start', kind: 'hearing', notice: '依法举行听证' }), 403, 'TB-PERMISSION');
    expectProblem(await procedure('housing.lead', caseId, { action: 'start', kind: 'hearing', notice: '依法举行听证', expectedVersion: 99 }), 409, 'TB-CASE-VERSION');
    for (const bad of [
      { action: 'start', kind: 'hearing' },
      { action: 'start', kind: 'hearing', notice: ' ' },
      { action: 'start', kind: 'supplement', notice: '补正' },
      { action: 'end', kind: 'hearing', notice: '听证结束' },
      { action: 'pause', kind: 'hearing' },
    ]) {
      expectProblem(await procedure('housing.lead', caseId, bad), 400, 'TB-VALIDATION');
    }
    expect(await footprint(caseId)).toEqual(untouched);
  });
});
