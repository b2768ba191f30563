import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { caseDriver } from '../support/case-driver.js';
import { caseFootprint, expectRefused } from '../support/case-footprint.js';

/**
 * 委派 through the HTTP API on the construction permit: the fire review's holder delegates it to a colleague
 * (`POST /api/tasks/{id}/delegation`), who returns it with a proposal (`…/delegation/resolution`), which the holder
 * confirms by completing the task; or the holder takes it back (`…/delegation/recall`). Whatever is refused answers its
 * problem+json and changes nothing.
 */

let f: ApiFixture;
beforeAll(async () => {
  f = await createApiFixture();
  await f.sql`insert into users (id, name, department_code, roles) values
    ('fire.handler2', 'Fire colleague', 'fire', ${['handler']}), ('fire.clerk', 'Fire clerk', 'fire', ${['intake_clerk']})`;
});
afterAll(() => f.close());
const { openTask, complete, startAtFireReview, startInJointReview } = caseDriver(() => f);

const note = '请起草消防审查意见 Please draft the fire opinion';
const proposal = { outcome: 'return', opinion: { text: '缺少消防设计图纸 The fire drawings are missing', visibility: 'internal' } };
const delegate = (user: string, taskId: string, to: string, headers: Record<string, string> = {}) => f.as(user).post(`/api/tasks/${taskId}/delegation`, { to: { userId: to }, note }, headers);
const resolve = (user: string, taskId: string, body: object = proposal) => f.as(user).post(`/api/tasks/${taskId}/delegation/resolution`, body);
const recall = (user: string, taskId: string) => f.as(user).post(`/api/tasks/${taskId}/delegation/recall`, {});
/** The task as `user` reads it in the case. */
const taskAs = async (user: string, caseId: string, taskId: string) => (await f.as(user).get(`/api/cases/${caseId}`)).body.tasks.find((t: { id: string }) => t.id === taskId);
const movesOf = async (user: string, caseId: string, taskId: string) =>
  ((await f.as(user).get(`/api/cases/${caseId}/moves`)).body.moves as { type: string; taskId?: string; outcomes?: string[] }[]).filter((m) => m.taskId === taskId);

/** The fire review, claimed by its handler. */
async function heldFireReview(): Promise<{ caseId: string; taskId: string }> {
  const held = await startAtFireReview();
  expect((await f.as('fire.handler').post(`/api/tasks/${held.taskId}/claim`, {})).status).toBe(200);
  return held;
}

/** The fire review, delegated by its handler to the colleague. */
async function delegatedFireReview(): Promise<{ caseId: string; taskId: string }> {
  const held = await heldFireReview();
  expect((await delegate('fire.handler', held.taskId, 'fire.handler2')).status).toBe(200);
  return held;
}

describe('委派, the round trip', () => {
  it('delegated, returned with a proposal, confirmed by the holder’s completion, which names the drafter', async () => {
    const { caseId, taskId } = await heldFireReview();
    expect(await movesOf('fire.handler', caseId, taskId)).toContainEqual(expect.objectContaining({ type: 'task.delegate', department: 'fire' }));

    const res = await delegate('fire.handler', taskId, 'fire.handler2');
    expect([res.status, res.body.changed], JSON.stringify(res.body)).toEqual([200, true]);
    expect(await taskAs('fire.handler', caseId, taskId)).toMatchObject({ status: 'claimed', assigneeId: 'fire.handler2', delegatedBy: 'fire.handler', delegation: 'pending', delegationProposal: null });
    // Other departments and supervisors learn who holds it, not the delegation.
    expect(await taskAs('supervisor', caseId, taskId)).toMatchObject({ assigneeId: 'fire.handler2', delegatedBy: null, delegation: null });
    const notices = await f.as('fire.handler2').get('/api/notifications');
    expect(notices.body.items).toContainEqual(expect.objectContaining({ template: 'task.delegated', data: expect.objectContaining({ taskId, to: 'fire.handler2', by: 'fire.handler' }) }));
    expect((await caseFootprint(f, caseId)).timeline.at(-1)).toMatchObject({ type: 'task.delegated', actorId: 'fire.handler', data: { taskId, from: 'fire.handler', to: 'fire.handler2', note } });
    expect(await movesOf('fire.handler2', caseId, taskId)).toEqual([{ type: 'task.delegation.resolve', taskId, task: 'review.fire', outcomes: ['approve', 'reject', 'return'] }]);
    expect(await movesOf('fire.handler', caseId, taskId)).toEqual([{ type: 'task.delegation.recall', taskId, task: 'review.fire' }]);

    expect((await resolve('fire.handler2', taskId)).status).toBe(200);
    expect(await taskAs('fire.handler', caseId, taskId)).toMatchObject({
      assigneeId: 'fire.handler',
      delegatedBy: 'fire.handler',
      delegation: 'resolved',
      delegationProposal: { ...proposal, by: 'fire.handler2', at: expect.any(String) },
    });
    expect(await taskAs('ecology.handler', caseId, taskId)).toMatchObject({ delegationProposal: null });
    const { timeline } = await caseFootprint(f, caseId);
    expect(timeline.at(-1)).toMatchObject({ type: 'task.delegation-resolved', actorId: 'fire.handler2', data: { taskId, delegate: 'fire.handler2', holder: 'fire.handler' } });
    expect(timeline.at(-1).data).not.toHaveProperty('outcome');

    const confirmed = await f.as('fire.handler').post(`/api/tasks/${taskId}/complete`, proposal);
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    const done = (await caseFootprint(f, caseId)).timeline.find((e: { type: string }) => e.type === 'task.returned');
    expect(done).toMatchObject({ actorId: 'fire.handler', data: { taskId, outcome: 'return', draftedBy: 'fire.handler2' } });
  });

  it('taken back while pending: the holder’s again, not delegated; the same Idempotency-Key replays a delegation once', async () => {
    const { caseId, taskId } = await heldFireReview();
    const headers = { 'idempotency-key': `delegate-${taskId}` };
    const first = await delegate('fire.handler', taskId, 'fire.handler2', headers);
    const again = await delegate('fire.handler', taskId, 'fire.handler2', headers);
    expect([first.status, again.status, again.body]).toEqual([200, 200, first.body]);
    expect((await caseFootprint(f, caseId)).timeline.filter((e: { type: string }) => e.type === 'task.delegated')).toHaveLength(1);

    expect((await recall('fire.handler', taskId)).status).toBe(200);
    expect(await taskAs('fire.handler', caseId, taskId)).toMatchObject({ status: 'claimed', assigneeId: 'fire.handler', delegatedBy: null, delegation: null, delegationProposal: null });
    expect((await caseFootprint(f, caseId)).timeline.at(-1)).toMatchObject({ type: 'task.delegation-recalled', actorId: 'fire.handler', data: { delegate: 'fire.handler2', holder: 'fire.handler' } });
    expect((await f.as('fire.handler').post(`/api/tasks/${taskId}/complete`, { outcome: 'approve', opinion: { text: '同意' } })).status).toBe(200);
  });
});

describe('委派 refused, nothing changed', () => {
  it.each([
    ['the holder, to themselves', 'fire.handler', 'fire.handler', 422, 'TB-COMMAND-INVALID'],
    ['the holder, to a person of another department', 'fire.handler', 'water.handler', 422, 'TB-COMMAND-INVALID'],
    ['the holder, to a person whose roles do not handle reviews', 'fire.handler', 'fire.clerk', 422, 'TB-COMMAND-INVALID'],
    ['the holder, to nobody known', 'fire.handler', 'nobody', 422, 'TB-COMMAND-INVALID'],
    ['a colleague who does not hold it', 'fire.handler2', 'fire.lead', 409, 'TB-TASK-CLAIMED'],
    ['another department’s lead', 'water.lead', 'fire.handler2', 404, 'TB-TASK-404'],
    ['a supervisor', 'supervisor', 'fire.handler2', 403, 'TB-PERMISSION'],
  ])('delegating: %s → %i', async (_, user, to, status, code) => {
    const { caseId, taskId } = await heldFireReview();
    await expectRefused(f, caseId, () => delegate(user, taskId, to), status, code);
  });

  it('delegating a task nobody claimed, or one completed; a body without a note → 400', async () => {
    const { caseId, taskId } = await startAtFireReview();
    await expectRefused(f, caseId, () => delegate('fire.handler', taskId, 'fire.handler2'), 409, 'TB-DELEGATION-NOT-ALLOWED');
    await expectRefused(f, caseId, () => f.as('fire.handler').post(`/api/tasks/${taskId}/delegation`, { to: { userId: 'fire.handler2' } }), 400);
    const done = await startInJointReview();
    const doneTask = await openTask('fire.handler', 'review.fire', done);
    await complete('fire.handler', 'review.fire', done);
    await expectRefused(f, done, () => delegate('fire.handler', doneTask, 'fire.handler2'), 409, 'TB-TASK-STATE');
  });

  it('while pending: nobody completes, transfers, releases or delegates it again (409, naming the delegate), and only the delegate returns it, only the holder takes it back', async () => {
    const { caseId, taskId } = await delegatedFireReview();
    const approve = { outcome: 'approve', opinion: { text: '同意' } };
    for (const [user, send] of [
      ['fire.handler2', () => f.as('fire.handler2').post(`/api/tasks/${taskId}/complete`, approve)],
      ['fire.handler', () => f.as('fire.handler').post(`/api/tasks/${taskId}/complete`, approve)],
      ['fire.lead', () => f.as('fire.lead').post(`/api/tasks/${taskId}/transfer`, { to: { userId: 'fire.handler' }, reason: '转办' })],
      ['housing.lead', () => f.as('housing.lead').post(`/api/tasks/${taskId}/transfer`, { to: { departmentCode: 'ecology' }, reason: '转办' })],
      ['fire.lead', () => f.as('fire.lead').post(`/api/tasks/${taskId}/release`, {})],
      ['fire.handler2', () => delegate('fire.handler2', taskId, 'fire.lead')],
    ] as const) {
      const res = await expectRefused(f, caseId, send, 409, 'TB-TASK-DELEGATED');
      expect(res.body.detail, user).toContain('delegated to fire.handler2: fire.handler may take it back');
    }
    await expectRefused(f, caseId, () => resolve('fire.handler', taskId), 409, 'TB-DELEGATION-NOT-ALLOWED');
    await expectRefused(f, caseId, () => recall('fire.handler2', taskId), 409, 'TB-DELEGATION-NOT-ALLOWED');
    await expectRefused(f, caseId, () => recall('fire.lead', taskId), 409, 'TB-DELEGATION-NOT-ALLOWED');
    await expectRefused(f, caseId, () => resolve('fire.handler2', taskId, { outcome: 'reject', opinion: { text: ' ' } }), 400, 'TB-VALIDATION');
    await expectRefused(f, caseId, () => resolve('water.handler', taskId), 404, 'TB-TASK-404');
  });

  it('returning or taking back a task nobody delegated, or one returned already', async () => {
    const { caseId, taskId } = await heldFireReview();
    await expectRefused(f, caseId, () => resolve('fire.handler', taskId), 409, 'TB-DELEGATION-NOT-ALLOWED');
    await expectRefused(f, caseId, () => recall('fire.handler', taskId), 409, 'TB-DELEGATION-NOT-ALLOWED');
    expect((await delegate('fire.handler', taskId, 'fire.handler2')).status).toBe(200);
    expect((await resolve('fire.handler2', taskId)).status).toBe(200);
    await expectRefused(f, caseId, () => resolve('fire.handler2', taskId), 409, 'TB-DELEGATION-NOT-ALLOWED');
    await expectRefused(f, caseId, () => recall('fire.handler', taskId), 409, 'TB-DELEGATION-NOT-ALLOWED');
  });
});
