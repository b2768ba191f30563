import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { caseDriver } from '../support/case-driver.js';

let f: ApiFixture;
let caseId: string;
let fireTask: string;
beforeAll(async () => {
  f = await createApiFixture();
  ({ caseId, taskId: fireTask } = await caseDriver(() => f).startAtFireReview());
});
afterAll(() => f.close());

describe('催办: urging an open task', () => {
  it('notifies the department, is audited, and leaves the case version alone', async () => {
    const [before] = await f.sql`select version from cases where id = ${caseId}`;
    const res = await f.as('housing.lead').post(`/api/tasks/${fireTask}/urges`, { message: '请于明日前出具消防审查意见' });
    expect(res.status).toBe(200);
    const [after] = await f.sql`select version from cases where id = ${caseId}`;
    expect(after?.['version']).toBe(before?.['version']);
    const [notice] = await f.sql`select department_code, template, data from notifications where case_id = ${caseId} and template = 'task.urged'`;
    expect(notice).toMatchObject({ department_code: 'fire', data: { taskId: fireTask, by: 'housing.lead', message: '请于明日前出具消防审查意见' } });
    const [event] = await f.sql`select type, actor_id from audit_events where case_id = ${caseId} order by seq desc limit 1`;
    expect(event).toEqual({ type: 'task.urged', actor_id: 'housing.lead' });
    expect((await f.as('supervisor').post(`/api/tasks/${fireTask}/urges`, { message: '督办：请加快' })).status).toBe(200);
  });

  it("only the lead department's lead urges: the task's own lead gets 403, other leads 404, handlers 403", async () => {
    expect((await f.as('fire.lead').post(`/api/tasks/${fireTask}/urges`, { message: '快点' })).status).toBe(403);
    expect((await f.as('water.lead').post(`/api/tasks/${fireTask}/urges`, { message: '快点' })).status).toBe(404);
    expect((await f.as('market.lead').post(`/api/tasks/${fireTask}/urges`, { message: '快点' })).status).toBe(404);
    expect((await f.as('housing.handler').post(`/api/tasks/${fireTask}/urges`, { message: '快点' })).status).toBe(403);
  });

  it('is rate limited per caller', async () => {
    await f.sql`insert into users (id, name, department_code, roles) values ('supervisor3', 'Third supervisor', 'supervision', ${['supervisor']})`;
    const statuses: number[] = [];
    for (let i = 0; i < 11; i += 1) statuses.push((await f.as('supervisor3').post(`/api/tasks/${fireTask}/urges`, { message: `第${i}次催办` })).status);
    expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
    expect(statuses[10]).toBe(429);
  });
});
