import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { caseDriver } from '../support/case-driver.js';

let f: ApiFixture;
beforeAll(async () => {
  f = await createApiFixture();
  await f.sql`insert into users (id, name, department_code, roles) values ('fire.away', 'Handler on leave', 'fire', ${['handler']})`;
});
afterAll(() => f.close());
const { startAtFireReview, complete } = caseDriver(() => f);

const taskRow = async (id: string) => (await f.sql`select status, assignee_id from tasks where id = ${id}`)[0];

describe('a claimed task whose assignee is away', () => {
  it('the lead releases the claim: the task is open in the inbox again, the release is audited, a colleague completes it', async () => {
    const { caseId, taskId } = await startAtFireReview();
    expect((await f.as('fire.away').post(`/api/tasks/${taskId}/claim`)).status).toBe(200);
    expect((await f.as('fire.handler').post(`/api/tasks/${taskId}/complete`, { outcome: 'approve', opinion: { text: '同意' } })).body.code).toBe('TB-TASK-CLAIMED');
    expect((await f.as('fire.handler').post(`/api/tasks/${taskId}/release`)).body.code).toBe('TB-FORBIDDEN');
    expect((await f.as('water.lead').post(`/api/tasks/${taskId}/release`)).status).toBe(404);
    expect(await taskRow(taskId)).toEqual({ status: 'claimed', assignee_id: 'fire.away' });

    const released = await f.as('fire.lead').post(`/api/tasks/${taskId}/release`, {});
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ caseId, changed: true });
    expect(await taskRow(taskId)).toEqual({ status: 'open', assignee_id: null });
    const [event] = await f.sql`select type, actor_id, data from audit_events where case_id = ${caseId} order by seq desc limit 1`;
    expect(event).toEqual({ type: 'task.released', actor_id: 'fire.lead', data: { taskId, task: 'review.fire', releasedClaimOf: 'fire.away' } });
    const [notice] = await f.sql`select department_code, template from notifications where case_id = ${caseId} and template = 'task.released'`;
    expect(notice).toEqual({ department_code: 'fire', template: 'task.released' });

    await complete('fire.handler', 'review.fire', caseId);
    const verdict = await f.as('fire.lead').get(`/api/cases/${caseId}/audit/verification`);
    expect(verdict.body.ok).toBe(true);
  });

  it('the holder releases their own claim; releasing again changes nothing', async () => {
    const { taskId } = await startAtFireReview();
    expect((await f.as('fire.away').post(`/api/tasks/${taskId}/claim`)).status).toBe(200);
    expect((await f.as('fire.away').post(`/api/tasks/${taskId}/release`)).body.changed).toBe(true);
    expect((await f.as('fire.away').post(`/api/tasks/${taskId}/release`)).body.changed).toBe(false);
    expect(await taskRow(taskId)).toEqual({ status: 'open', assignee_id: null });
  });
});
