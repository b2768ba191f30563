import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSTRUCTION_PERMIT_REVIEWS } from '../../workflows/construction-permit.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { caseDriver } from '../support/case-driver.js';
import { caseFootprint, expectRefused } from '../support/case-footprint.js';

/**
 * Returns (退回) through the HTTP API on the construction permit: the targets a task's definition declares
 * (`GET /api/tasks/{id}/return-targets`), and what each return does inside the five-department joint review —
 * `correction` stays in the returning member's branch while the others review on; `acceptance` leaves the review,
 * cancelling the open reviews, and when the window accepts again the approvals given stand and the reviews that
 * reopen continue their clocks. A target the definition does not declare is refused and changes nothing.
 */

let f: ApiFixture;
beforeAll(async () => {
  f = await createApiFixture();
});
afterAll(() => f.close());
const { start, complete, openTask, startInJointReview } = caseDriver(() => f);

// Only the return to the applicant asks for a supplement (补正告知).
const TO_APPLICANT = { to: 'applicant', title: '退回申请人补正 Back to the applicant for a supplement', asksSupplement: true };
const TO_CORRECTION = { to: 'correction', title: '退回牵头部门补正 Back to the lead department for correction', asksSupplement: false };
const TO_ACCEPTANCE = { to: 'acceptance', title: '退回受理窗口 Back to the acceptance window', asksSupplement: false };
const TO_JOINT_REVIEW = { to: 'jointReview', title: '退回联合审查重审 Back to the joint review', asksSupplement: false };
const REASON = '消防设计说明缺少疏散计算 The fire design lacks the evacuation calculation';
const reviewKeys = CONSTRUCTION_PERMIT_REVIEWS.map((r) => `review.${r.department}`);

async function targetsOf(user: string, taskId: string): Promise<{ to: string; title: string }[]> {
  const res = await f.as(user).get(`/api/tasks/${taskId}/return-targets`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.targets;
}

const returning = (returnTo?: string) => ({ outcome: 'return', opinion: { text: REASON }, ...(returnTo ? { returnTo } : {}) });

/** The case's tasks as `[key, status]`, by key, then in the order they opened (tasks opened together come in any order). */
async function taskStates(caseId: string): Promise<[string, string][]> {
  const tasks: { key: string; status: string }[] = (await caseFootprint(f, caseId)).tasks;
  // Two tasks of one key opened in the same instant (the test's clock stands still) come back in no set order: by status then.
  return tasks.map((t, i) => ({ ...t, i })).sort((a, b) => a.key.localeCompare(b.key) || a.status.localeCompare(b.status) || a.i - b.i).map((t) => [t.key, t.status]);
}

/** The due instant of each running `task:<key>` clock, as `GET /api/cases/{id}/clocks` reads it. */
async function clockDues(caseId: string): Promise<Record<string, { state: string; consumed: number; due: string | null }>> {
  const res = await f.as('housing.lead').get(`/api/cases/${caseId}/clocks`);
  expect(res.status).toBe(200);
  return Object.fromEntries(
    res.body.clocks
      .filter((c: { id: string }) => c.id.startsWith('task:review.'))
      .map((c: { id: string; state: string; consumed: number; due: { due: string } | null }) => [c.id.slice('task:'.length), { state: c.state, consumed: c.consumed, due: c.due?.due ?? null }]),
  );
}

describe('GET /api/tasks/{taskId}/return-targets', () => {
  it('lists the targets each task’s definition declares, its default first', async () => {
    const caseId = await start();
    expect(await targetsOf('window.clerk', await openTask('window.clerk', 'acceptance', caseId))).toEqual([TO_APPLICANT]);
    await complete('window.clerk', 'acceptance', caseId);
    expect(await targetsOf('fire.handler', await openTask('fire.handler', 'review.fire', caseId))).toEqual([TO_CORRECTION, TO_ACCEPTANCE]);
    for (const r of CONSTRUCTION_PERMIT_REVIEWS) await complete(`${r.department}.handler`, `review.${r.department}`, caseId);
    expect(await targetsOf('housing.lead', await openTask('housing.lead', 'decision', caseId))).toEqual([TO_JOINT_REVIEW]);
  });

  it('another department’s task is not found (404)', async () => {
    const caseId = await startInJointReview();
    const fire = await openTask('fire.handler', 'review.fire', caseId);
    const res = await f.as('planning.handler').get(`/api/tasks/${fire}/return-targets`);
    expect([res.status, res.body.code]).toEqual([404, 'TB-TASK-404']);
  });
});

describe('a return inside the joint review', () => {
  it('`correction` (the default): only the returning member’s branch gets a correction by the lead, the other reviews stay open', async () => {
    const caseId = await startInJointReview();
    const fire = await openTask('fire.handler', 'review.fire', caseId);
    const res = await f.as('fire.handler').post(`/api/tasks/${fire}/complete`, returning());
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await taskStates(caseId)).toEqual([
      ['acceptance', 'completed'],
      ['correction.fire', 'open'],
      ...[...reviewKeys].sort().map((key): [string, string] => [key, key === 'review.fire' ? 'completed' : 'open']),
    ]);
    const { timeline } = await caseFootprint(f, caseId);
    expect(timeline.at(-1)).toMatchObject({ type: 'task.returned', data: { task: 'review.fire', returnTo: 'correction' } });

    await complete('housing.handler', 'correction.fire', caseId, 'approve', '已补充疏散计算 Calculation added');
    expect((await taskStates(caseId)).filter(([key]) => key === 'review.fire')).toEqual([
      ['review.fire', 'completed'],
      ['review.fire', 'open'],
    ]);
  });

  it('`acceptance`: the open reviews are cancelled; accepted again, the approvals given stand and the others reopen, their clocks continued', async () => {
    const caseId = await startInJointReview();
    await complete('planning.handler', 'review.planning', caseId);
    const before = await clockDues(caseId);
    f.clock.advance({ days: 1 }); // a working day into the reviews (the fixture starts on a Monday)
    const fire = await openTask('fire.handler', 'review.fire', caseId);
    const open = (await caseFootprint(f, caseId)).tasks.filter((t: { status: string }) => t.status === 'open');

    const res = await f.as('fire.handler').post(`/api/tasks/${fire}/complete`, returning('acceptance'));
    expect([res.status, res.body.state]).toEqual([200, 'acceptance']);
    const cancelled = open.filter((t: { key: string }) => t.key !== 'review.fire').map((t: { id: string }) => t.id);
    const { timeline } = await caseFootprint(f, caseId);
    expect(timeline.at(-1)).toMatchObject({ type: 'task.returned', data: { task: 'review.fire', returnTo: 'acceptance' } });
    expect([...timeline.at(-1).data.cancelledTasks].sort()).toEqual([...cancelled].sort());
    const paused = await clockDues(caseId);
    expect(['review.ecology', 'review.civil-air-defence', 'review.water', 'review.fire'].map((key) => paused[key]?.state)).toEqual(['paused', 'paused', 'paused', 'paused']);

    await complete('window.clerk', 'acceptance', caseId, 'approve', '已补正，重新受理 Accepted again');
    const reopened = (await caseFootprint(f, caseId)).tasks.filter((t: { status: string }) => t.status === 'open');
    expect(reopened.map((t: { key: string }) => t.key).sort()).toEqual(['review.civil-air-defence', 'review.ecology', 'review.fire', 'review.water']);
    const after = await clockDues(caseId);
    for (const t of reopened as { key: string; dueAt: string }[]) {
      // The clock goes on with the budget it had left: the same due instant as before the return, a working day
      // consumed (a restarted one would be due a working day later, with none consumed).
      expect({ key: t.key, ...after[t.key] }).toEqual({ key: t.key, state: 'running', consumed: 1, due: before[t.key]?.due });
      expect(Date.parse(t.dueAt), `${t.key}'s due`).toBe(Date.parse(String(before[t.key]?.due)));
    }
    expect(after['review.planning']?.state).toBe('stopped');
  });

  it('the lead sends the joint decision back to the joint review, where every member reviews again', async () => {
    const caseId = await startInJointReview();
    for (const r of CONSTRUCTION_PERMIT_REVIEWS) await complete(`${r.department}.handler`, `review.${r.department}`, caseId);
    const decision = await openTask('housing.lead', 'decision', caseId);
    const res = await f.as('housing.lead').post(`/api/tasks/${decision}/complete`, returning('jointReview'));
    expect([res.status, res.body.state]).toEqual([200, 'jointReview']);
    const open = (await caseFootprint(f, caseId)).tasks.filter((t: { status: string }) => t.status === 'open');
    expect(open.map((t: { key: string }) => t.key).sort()).toEqual([...reviewKeys].sort());
  });
});

describe('a return the definition does not declare, and a target without a return', () => {
  it.each([
    ['a target of another task (the acceptance’s)', 'applicant'],
    ['no target at all', 'nowhere'],
  ])('%s → 409 TB-RETURN-NOT-ALLOWED, nothing changed', async (_, returnTo) => {
    const caseId = await startInJointReview();
    const fire = await openTask('fire.handler', 'review.fire', caseId);
    const res = await expectRefused(f, caseId, () => f.as('fire.handler').post(`/api/tasks/${fire}/complete`, returning(returnTo)), 409, 'TB-RETURN-NOT-ALLOWED');
    expect(res.body.detail).toContain('correction, acceptance');
  });

  it('`returnTo` with an approval → 422 TB-COMMAND-INVALID, nothing changed', async () => {
    const caseId = await startInJointReview();
    const fire = await openTask('fire.handler', 'review.fire', caseId);
    const res = await expectRefused(f, caseId, () => f.as('fire.handler').post(`/api/tasks/${fire}/complete`, { outcome: 'approve', opinion: { text: '同意' }, returnTo: 'acceptance' }), 422, 'TB-COMMAND-INVALID');
    expect(res.body.detail).toBe('Only a return names a return target');
  });
});
