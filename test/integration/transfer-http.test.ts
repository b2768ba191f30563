import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { caseDriver } from '../support/case-driver.js';
import { caseFootprint, expectRefused } from '../support/case-footprint.js';

/**
 * 转办 through the HTTP API on the construction permit (`POST /api/tasks/{id}/transfer`): inside the fire
 * department from its handler to a colleague, and — the lead department (housing) agreeing — from fire to
 * ecology. The task keeps its id and due date; whatever is refused answers its problem+json and changes nothing.
 */

let f: ApiFixture;
beforeAll(async () => {
  f = await createApiFixture();
  await f.sql`insert into users (id, name, department_code, roles) values
    ('fire.handler2', 'Fire colleague', 'fire', ${['handler']}), ('fire.clerk', 'Fire clerk', 'fire', ${['intake_clerk']})`;
});
afterAll(() => f.close());
const { openTask, complete, start, startAtFireReview, startInJointReview } = caseDriver(() => f);

const reason = '承办人出差 The handler is away';
const transfer = (user: string, taskId: string, to: object, headers: Record<string, string> = {}) => f.as(user).post(`/api/tasks/${taskId}/transfer`, { to, reason }, headers);
const taskRow = async (caseId: string, taskId: string) => (await caseFootprint(f, caseId)).tasks.find((t: { id: string }) => t.id === taskId);

describe('转办 inside the department', () => {
  it('the holder hands a claimed task to a colleague: same task and due date, claimed by them, who is told; audited with both sides', async () => {
    const { caseId, taskId } = await startAtFireReview();
    expect((await f.as('fire.handler').post(`/api/tasks/${taskId}/claim`, {})).status).toBe(200);
    const before = await taskRow(caseId, taskId);
    const res = await transfer('fire.handler', taskId, { userId: 'fire.handler2' });
    expect([res.status, res.body.changed], JSON.stringify(res.body)).toEqual([200, true]);
    expect(await taskRow(caseId, taskId)).toEqual({ ...before, status: 'claimed', assigneeId: 'fire.handler2' });
    const { timeline } = await caseFootprint(f, caseId);
    expect(timeline.at(-1)).toMatchObject({
      type: 'task.transferred',
      actorId: 'fire.handler',
      data: { taskId, from: { departmentCode: 'fire', assigneeId: 'fire.handler' }, to: { departmentCode: 'fire', assigneeId: 'fire.handler2' }, reason },
    });
    const notices = await f.as('fire.handler2').get('/api/notifications');
    expect(notices.body.items).toContainEqual(expect.objectContaining({ template: 'task.transferred', data: expect.objectContaining({ taskId, to: 'fire.handler2' }) }));
    await expectRefused(f, caseId, () => f.as('fire.handler').post(`/api/tasks/${taskId}/complete`, { outcome: 'approve', opinion: { text: '同意' } }), 409, 'TB-TASK-CLAIMED');
    expect((await f.as('fire.handler2').post(`/api/tasks/${taskId}/complete`, { outcome: 'approve', opinion: { text: '同意' } })).status).toBe(200);
  });

  it('the department’s lead transfers an unclaimed task; the same Idempotency-Key replays the answer and transfers once', async () => {
    const { caseId, taskId } = await startAtFireReview();
    const headers = { 'idempotency-key': `transfer-${taskId}` };
    const first = await transfer('fire.lead', taskId, { userId: 'fire.handler' }, headers);
    const again = await transfer('fire.lead', taskId, { userId: 'fire.handler' }, headers);
    expect([first.status, again.status, again.body]).toEqual([200, 200, first.body]);
    const { timeline } = await caseFootprint(f, caseId);
    expect(timeline.filter((e: { type: string }) => e.type === 'task.transferred')).toHaveLength(1);
  });

  it.each([
    ['a colleague who does not hold it', 'fire.handler2', { userId: 'fire.handler2' }, 403, 'TB-FORBIDDEN'],
    ['another department’s lead', 'water.lead', { userId: 'water.handler' }, 404, 'TB-TASK-404'],
    ['a supervisor', 'supervisor', { userId: 'fire.handler2' }, 403, 'TB-PERMISSION'],
    ['the lead, to a person of another department', 'fire.lead', { userId: 'water.handler' }, 422, 'TB-COMMAND-INVALID'],
    ['the lead, to a person whose roles do not handle reviews', 'fire.lead', { userId: 'fire.clerk' }, 422, 'TB-COMMAND-INVALID'],
    ['the lead, to nobody known', 'fire.lead', { userId: 'nobody' }, 422, 'TB-COMMAND-INVALID'],
  ])('%s → %i, nothing changed', async (_, user, to, status, code) => {
    const { caseId, taskId } = await startAtFireReview();
    await f.as('fire.handler').post(`/api/tasks/${taskId}/claim`, {});
    await expectRefused(f, caseId, () => transfer(user, taskId, to), status, code);
  });

  it('a completed task → 409, nothing changed; a body naming neither a person nor a department → 400', async () => {
    const caseId = await startInJointReview();
    const taskId = await openTask('fire.handler', 'review.fire', caseId);
    await complete('fire.handler', 'review.fire', caseId);
    await expectRefused(f, caseId, () => transfer('fire.lead', taskId, { userId: 'fire.handler2' }), 409, 'TB-TRANSFER-NOT-ALLOWED');
    await expectRefused(f, caseId, () => transfer('fire.lead', taskId, {}), 400);
  });
});

describe('转办 to another department (the lead department agreeing)', () => {
  it('housing’s lead sends the fire review to ecology: unclaimed in its inbox, told; fire no longer sees it', async () => {
    const { caseId, taskId } = await startAtFireReview();
    const before = await taskRow(caseId, taskId);
    const res = await transfer('housing.lead', taskId, { departmentCode: 'ecology' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await taskRow(caseId, taskId)).toEqual({ ...before, departmentCode: 'ecology', status: 'open', assigneeId: null });
    expect(await openTask('ecology.handler', 'review.fire', caseId)).toBe(taskId);
    expect((await f.as('fire.handler').get(`/api/tasks/${taskId}`)).status).toBe(404);
    const notices = await f.as('ecology.handler').get('/api/notifications');
    expect(notices.body.items).toContainEqual(expect.objectContaining({ template: 'task.transferred', data: expect.objectContaining({ taskId, to: null }) }));
  });

  it.each([
    ['the fire lead (not the lead department)', 'fire.lead', { departmentCode: 'ecology' }, 403, 'TB-FORBIDDEN'],
    ['a handler of the lead department', 'housing.handler', { departmentCode: 'ecology' }, 403, 'TB-FORBIDDEN'],
    ['housing’s lead, to a department that does not exist', 'housing.lead', { departmentCode: 'atlantis' }, 422, 'TB-COMMAND-INVALID'],
    ['housing’s lead, to the department holding it', 'housing.lead', { departmentCode: 'fire' }, 422, 'TB-COMMAND-INVALID'],
  ])('%s → %i, nothing changed', async (_, user, to, status, code) => {
    const { caseId, taskId } = await startAtFireReview();
    await expectRefused(f, caseId, () => transfer(user, taskId, to), status, code);
  });

  it('an intake task cannot leave the window → 409, nothing changed', async () => {
    const caseId = await start();
    const acceptance = await openTask('window.clerk', 'acceptance', caseId);
    await expectRefused(f, caseId, () => transfer('housing.lead', acceptance, { departmentCode: 'ecology' }), 409, 'TB-TRANSFER-NOT-ALLOWED');
  });
});

describe('the people of my department', () => {
  it('lists its active people with their roles; another department’s → 403', async () => {
    const res = await f.as('fire.handler').get('/api/departments/fire/people');
    expect(res.status).toBe(200);
    expect(res.body.items.map((p: { id: string }) => p.id)).toEqual(['fire.clerk', 'fire.handler', 'fire.handler2', 'fire.lead']);
    expect(res.body.items[0]).toMatchObject({ id: 'fire.clerk', roles: ['intake_clerk'] });
    expect((await f.as('fire.handler').get('/api/departments/water/people')).status).toBe(403);
  });

  it('the moves offer the transfer to the holder (a person) and to the lead department’s lead (a department)', async () => {
    const { caseId, taskId } = await startAtFireReview();
    await f.as('fire.handler').post(`/api/tasks/${taskId}/claim`, {});
    const movesOf = async (user: string) => (await f.as(user).get(`/api/cases/${caseId}/moves`)).body.moves.filter((m: { type: string }) => m.type === 'task.transfer');
    expect(await movesOf('fire.handler')).toEqual([{ type: 'task.transfer', taskId, task: 'review.fire', department: 'fire', toPerson: true, toDepartment: false }]);
    expect(await movesOf('housing.lead')).toContainEqual({ type: 'task.transfer', taskId, task: 'review.fire', department: 'fire', toPerson: false, toDepartment: true });
  });
});
