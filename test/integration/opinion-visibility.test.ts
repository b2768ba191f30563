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

  it('after the joint decision every department of the case reads them', async () => {
    const { complete } = caseDriver(() => f);
    for (const d of ['fire', 'civil-air-defence', 'water']) await complete(`${d}.handler`, `review.${d}`, caseId);
    await complete('housing.lead', 'decision', caseId, 'approve', '联合审批通过');
    expect(await opinionsSeenBy('fire.handler')).toContain('规划内部意见：容积率接近上限');
  });
});
