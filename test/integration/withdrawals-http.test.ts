import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSTRUCTION_PERMIT_REVIEWS } from '../../workflows/construction-permit.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { caseDriver } from '../support/case-driver.js';
import { caseFootprint, expectRefused } from '../support/case-footprint.js';

/**
 * Withdrawals through the HTTP API on the construction permit: 撤回, a handler takes back their completion while
 * the step after it is untouched (`POST /api/tasks/{id}/withdrawal`), and 撤件, the applicant withdraws the whole
 * case through the window (`POST /api/cases/{id}/withdrawal`). Whatever is refused answers 409 (or 403/404 for
 * someone with no say) and changes nothing.
 */

let f: ApiFixture;
beforeAll(async () => {
  f = await createApiFixture();
  await f.sql`insert into users (id, name, department_code, roles) values ('city.clerk', 'City hall clerk', 'city', ${['intake_clerk']})`;
});
afterAll(() => f.close());
const { start, complete, openTask, startInJointReview } = caseDriver(() => f);

const withdrawing = { reason: '意见有误，需重新审查 The opinion was wrong' };
const withdrawTask = (user: string, taskId: string) => f.as(user).post(`/api/tasks/${taskId}/withdrawal`, withdrawing);
const withdrawCase = (user: string, caseId: string) => f.as(user).post(`/api/cases/${caseId}/withdrawal`, { reason: '申请人撤回申请 The applicant withdraws' });

/** Completes the open task `key` as `user` and returns its id. */
async function completed(user: string, key: string, caseId: string, outcome = 'approve'): Promise<string> {
  const id = await openTask(user, key, caseId);
  await complete(user, key, caseId, outcome, '审查意见 Opinion');
  return id;
}

/** The case's tasks of `key` as `[id, status]` (tasks opened at the same instant come in any order). */
async function tasksOf(caseId: string, key: string): Promise<[string, string][]> {
  return (await caseFootprint(f, caseId)).tasks.filter((t: { key: string }) => t.key === key).map((t: { id: string; status: string }) => [t.id, t.status]);
}

describe('撤回: a handler takes back their completion', () => {
  it('while the review runs: 200, the completion is `withdrawn` and the review reopens as a new task; the others’ outcomes stand', async () => {
    const caseId = await startInJointReview();
    await completed('planning.handler', 'review.planning', caseId);
    const fire = await completed('fire.handler', 'review.fire', caseId);
    const res = await withdrawTask('fire.handler', fire);
    expect([res.status, res.body.state, res.body.changed], JSON.stringify(res.body)).toEqual([200, 'jointReview', true]);
    const fires = await tasksOf(caseId, 'review.fire');
    expect(fires.map(([, status]) => status).sort()).toEqual(['open', 'withdrawn']);
    expect(fires).toContainEqual([fire, 'withdrawn']);
    expect(await tasksOf(caseId, 'review.planning')).toEqual([[expect.any(String), 'completed']]);
    const { timeline } = await caseFootprint(f, caseId);
    expect(timeline.at(-1)).toMatchObject({ type: 'task.withdrawn', actorId: 'fire.handler', data: { taskId: fire, task: 'review.fire', outcome: 'approve', reason: withdrawing.reason } });
    // The moves show it to who completed it, until they did.
    expect((await f.as('planning.handler').get(`/api/cases/${caseId}/moves`)).body.moves).toContainEqual(expect.objectContaining({ type: 'task.withdraw', task: 'review.planning' }));
    expect((await f.as('fire.handler').get(`/api/cases/${caseId}/moves`)).body.moves.filter((m: { type: string }) => m.type === 'task.withdraw')).toEqual([]);
  });

  it('by someone else, of the department or not → 409 or 404, nothing changed', async () => {
    const caseId = await startInJointReview();
    const fire = await completed('fire.handler', 'review.fire', caseId);
    await expectRefused(f, caseId, () => withdrawTask('fire.lead', fire), 409, 'TB-WITHDRAWAL-NOT-ALLOWED');
    await expectRefused(f, caseId, () => withdrawTask('planning.handler', fire), 404, 'TB-TASK-404');
  });

  it('a task not completed → 409, nothing changed', async () => {
    const caseId = await startInJointReview();
    const fire = await openTask('fire.handler', 'review.fire', caseId);
    await expectRefused(f, caseId, () => withdrawTask('fire.handler', fire), 409, 'TB-WITHDRAWAL-NOT-ALLOWED');
  });

  it('after the step it led to was claimed → 409, nothing changed; while it was not, 200', async () => {
    const caseId = await startInJointReview();
    for (const r of CONSTRUCTION_PERMIT_REVIEWS.filter((r) => r.department !== 'fire')) await completed(`${r.department}.handler`, `review.${r.department}`, caseId);
    const fire = await completed('fire.handler', 'review.fire', caseId);
    const decision = await openTask('housing.lead', 'decision', caseId);
    expect((await f.as('housing.lead').post(`/api/tasks/${decision}/claim`)).status).toBe(200);
    await expectRefused(f, caseId, () => withdrawTask('fire.handler', fire), 409, 'TB-WITHDRAWAL-NOT-ALLOWED');

    expect((await f.as('housing.lead').post(`/api/tasks/${decision}/release`)).status).toBe(200);
    const res = await withdrawTask('fire.handler', fire);
    expect([res.status, res.body.state]).toEqual([200, 'jointReview']);
    expect(await tasksOf(caseId, 'decision')).toEqual([[decision, 'cancelled']]);
  });

  it('the window takes its acceptance back while no review was touched; once one was approved it cannot', async () => {
    const untouched = await start();
    const acceptance = await completed('window.clerk', 'acceptance', untouched);
    const res = await withdrawTask('window.clerk', acceptance);
    expect([res.status, res.body.state]).toEqual([200, 'acceptance']);
    const tasks = (await caseFootprint(f, untouched)).tasks as { key: string; status: string }[];
    expect(tasks.filter((t) => t.key.startsWith('review.')).map((t) => t.status)).toEqual(CONSTRUCTION_PERMIT_REVIEWS.map(() => 'cancelled'));
    expect(tasks.filter((t) => t.key === 'acceptance').map((t) => t.status).sort()).toEqual(['open', 'withdrawn']);

    const touched = await start();
    const accepted = await completed('window.clerk', 'acceptance', touched);
    await completed('planning.handler', 'review.planning', touched);
    await expectRefused(f, touched, () => withdrawTask('window.clerk', accepted), 409, 'TB-WITHDRAWAL-NOT-ALLOWED');
  });
});

describe('撤件: the applicant withdraws the case through the window', () => {
  it('closes it as `withdrawn`: open tasks cancelled, no timer pending, the applicant told, the reason audited', async () => {
    const caseId = await startInJointReview();
    await completed('planning.handler', 'review.planning', caseId);
    const res = await withdrawCase('window.clerk', caseId);
    expect([res.status, res.body.status, res.body.changed], JSON.stringify(res.body)).toEqual([200, 'withdrawn', true]);
    const { status, tasks, timeline } = await caseFootprint(f, caseId);
    expect(status).toBe('withdrawn');
    expect(tasks.filter((t: { status: string }) => t.status === 'open' || t.status === 'claimed')).toEqual([]);
    expect(tasks.filter((t: { key: string }) => t.key !== 'acceptance' && t.key !== 'review.planning').map((t: { status: string }) => t.status)).toEqual(['cancelled', 'cancelled', 'cancelled', 'cancelled']);
    expect(timeline.at(-1)).toMatchObject({ type: 'case.withdrawn', actorId: 'window.clerk', data: { reason: '申请人撤回申请 The applicant withdraws' } });
    expect(await f.sql`select count(*)::int as n from timers where case_id = ${caseId} and status = 'pending'`).toEqual([{ n: 0 }]);
    const told = await f.sql`select data from notifications where case_id = ${caseId} and template = 'case.withdrawn' and audience = 'applicant'`;
    expect(told.map((n) => n['data'])).toEqual([{ reason: '申请人撤回申请 The applicant withdraws' }]);
    const clocks = await f.as('supervisor').get(`/api/cases/${caseId}/clocks`);
    expect(clocks.body.clocks.filter((c: { state: string }) => c.state === 'running')).toEqual([]);
  });

  it('by a department in the case → 403; by another window → 404; twice → 409; nothing changed', async () => {
    const caseId = await startInJointReview();
    const offered = async (user: string) => (await f.as(user).get(`/api/cases/${caseId}/moves`)).body.moves.some((m: { type: string }) => m.type === 'case.withdraw');
    expect(await Promise.all(['window.clerk', 'fire.handler', 'housing.lead', 'supervisor'].map(offered))).toEqual([true, false, false, false]);
    await expectRefused(f, caseId, () => withdrawCase('fire.handler', caseId), 403, 'TB-PERMISSION');
    await expectRefused(f, caseId, () => withdrawCase('housing.lead', caseId), 403, 'TB-PERMISSION');
    await expectRefused(f, caseId, () => withdrawCase('city.clerk', caseId), 404, 'TB-CASE-404');
    expect((await withdrawCase('window.clerk', caseId)).status).toBe(200);
    await expectRefused(f, caseId, () => withdrawCase('window.clerk', caseId), 409, 'TB-CASE-CLOSED');
    expect(await offered('window.clerk')).toBe(false);
  });
});
