import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { caseDriver } from '../support/case-driver.js';

let f: ApiFixture;
let caseId: string;
beforeAll(async () => {
  f = await createApiFixture();
  const { startInJointReview, complete, openTask } = caseDriver(() => f);
  caseId = await startInJointReview();
  await complete('planning.handler', 'review.planning', caseId, 'approve', '规划内部意见：容积率接近上限');
  const ecology = await openTask('ecology.handler', 'review.ecology', caseId);
  const shared = await f.as('ecology.handler').post(`/api/tasks/${ecology}/complete`, {
    outcome: 'approve',
    opinion: { text: '环评意见：同意（公开）', visibility: 'public' },
  });
  expect(shared.status).toBe(200);
});
afterAll(() => f.close());

const opinionsSeenBy = async (user: string) =>
  ((await f.as(user).get(`/api/cases/${caseId}`)).body.opinions as { text: string }[]).map((o) => o.text);

describe('who reads internal opinions', () => {
  it('before the joint decision: the own department, the lead and supervisors; public ones everyone', async () => {
    expect(await opinionsSeenBy('planning.handler')).toContain('规划内部意见：容积率接近上限');
    expect(await opinionsSeenBy('housing.lead')).toContain('规划内部意见：容积率接近上限');
    expect(await opinionsSeenBy('supervisor')).toContain('规划内部意见：容积率接近上限');
    const fire = await opinionsSeenBy('fire.handler');
    expect(fire).not.toContain('规划内部意见：容积率接近上限');
    expect(fire).toContain('环评意见：同意（公开）');
  });

  it('the timeline and the task list tell a member department that planning reviewed, not how', async () => {
    const fire = (await f.as('fire.handler').get(`/api/cases/${caseId}`)).body;
    const planning = fire.tasks.find((t: { key: string }) => t.key === 'review.planning');
    expect(planning).toMatchObject({ status: 'completed', outcome: null });
    const entry = fire.timeline.find((e: { data: { task?: string } }) => e.data.task === 'review.planning');
    expect(entry).toMatchObject({ type: 'task.completed', outcomeWithheld: true, hash: null, actorId: 'planning.handler' });
    expect(entry.data).toEqual({ taskId: planning.id, task: 'review.planning' });
    // Ecology's opinion is public: so is its outcome.
    expect(fire.timeline.find((e: { data: { task?: string } }) => e.data.task === 'review.ecology')).toMatchObject({ type: 'task.approved' });
    const lead = (await f.as('housing.lead').get(`/api/cases/${caseId}`)).body;
    expect(lead.timeline.find((e: { data: { task?: string } }) => e.data.task === 'review.planning')).toMatchObject({ type: 'task.approved', data: { outcome: 'approve' } });
    expect(lead.tasks.find((t: { key: string }) => t.key === 'review.planning').outcome).toBe('approve');
  });

  it('a supervisor’s read of personal data, and its reason, are in the supervisors’ timeline only', async () => {
    const reason = '督办核查：核实规划部门办理情况 Checking how planning handled it';
    expect((await f.as('supervisor').post(`/api/cases/${caseId}/personal-data-reads`, { reason })).status).toBe(200);
    const supervisor = (await f.as('supervisor').get(`/api/cases/${caseId}`)).body;
    expect(supervisor.timeline.find((e: { type: string }) => e.type === 'personal-data.read')).toMatchObject({ data: { reason } });
    for (const user of ['planning.handler', 'housing.lead', 'window.clerk']) {
      const timeline = (await f.as(user).get(`/api/cases/${caseId}`)).body.timeline;
      expect(timeline.map((e: { type: string }) => e.type)).not.toContain('personal-data.read');
      expect(JSON.stringify(timeline)).not.toContain('督办核查');
    }
  });

  it('after the joint decision every department of the case reads them', async () => {
    const { complete } = caseDriver(() => f);
    for (const d of ['fire', 'civil-air-defence', 'water']) await complete(`${d}.handler`, `review.${d}`, caseId);
    await complete('housing.lead', 'decision', caseId, 'approve', '联合审批通过');
    expect(await opinionsSeenBy('fire.handler')).toContain('规划内部意见：容积率接近上限');
    const timeline = (await f.as('fire.handler').get(`/api/cases/${caseId}`)).body.timeline;
    expect(timeline.find((e: { data: { task?: string } }) => e.data.task === 'review.planning')).toMatchObject({ type: 'task.approved' });
  });
});
