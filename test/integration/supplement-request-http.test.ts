import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { CONSTRUCTION_CONTRACT, caseDriver } from '../support/case-driver.js';
import { caseFootprint, expectRefused } from '../support/case-footprint.js';

/**
 * 一次性告知 through the HTTP API on the construction permit, on real PostgreSQL: the window's return to the applicant
 * names every material to supplement; the supplement answers it; a second request may name only what the first named or
 * what the applicant changed since — anything else is refused with the materials it should have asked for, and nothing
 * changes.
 */

let f: ApiFixture;
beforeAll(async () => {
  f = await createApiFixture();
});
afterAll(() => f.close());
const { complete, openTask, start } = caseDriver(() => f);

const FORM = '建筑工程施工许可证申请表 Application form';
const PLANNING_PERMIT = '建设工程规划许可证 Planning permit';

const request = (...names: string[]) => ({ materials: names.map((name) => ({ name, reason: `${name}：未盖章 not sealed` })) });
const returnToApplicant = async (caseId: string, supplementRequest?: object) =>
  f.as('window.clerk').post(`/api/tasks/${await openTask('window.clerk', 'acceptance', caseId)}/complete`, {
    outcome: 'return',
    opinion: { text: '材料不全 Materials incomplete', visibility: 'public' },
    ...(supplementRequest ? { supplementRequest } : {}),
  });
const supplement = (caseId: string, ...names: string[]) =>
  f.as('window.clerk').post(`/api/cases/${caseId}/supplements`, { materials: names.map((name) => ({ name, sha256: 'f'.repeat(64), sizeBytes: 10 })) });
const requestsOf = async (caseId: string, user = 'window.clerk') => {
  const res = await f.as(user).get(`/api/cases/${caseId}/supplement-requests`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items as { id: string; materials: { name: string; reason: string }[]; requestedBy: string; requestedAt: string; answeredAt: string | null }[];
};

describe('a supplement request (补正告知) through the API', () => {
  it('first request, supplement, a second naming an untouched material refused (nothing changed), a second naming a changed one accepted', async () => {
    const caseId = await start();
    const first = await returnToApplicant(caseId, request(FORM, CONSTRUCTION_CONTRACT));
    expect([first.status, first.body.state], JSON.stringify(first.body)).toEqual([200, 'supplement']);
    const [asked] = await requestsOf(caseId);
    expect(asked).toMatchObject({ materials: request(FORM, CONSTRUCTION_CONTRACT).materials, requestedBy: 'window.clerk', answeredAt: null });
    // The audit names it; the applicant's notice carries the list.
    const { timeline } = await caseFootprint(f, caseId);
    expect(timeline.at(-1)).toMatchObject({ type: 'task.returned', data: { outcome: 'return', supplementRequest: { id: asked?.id, materials: [FORM, CONSTRUCTION_CONTRACT] } } });
    const [notice] = await f.sql`select data from notifications where case_id = ${caseId} and audience = 'applicant' and template = 'supplement.requested'`;
    expect(notice?.['data']).toMatchObject({ materials: request(FORM, CONSTRUCTION_CONTRACT).materials });

    f.clock.advance({ hours: 1 });
    expect((await supplement(caseId, CONSTRUCTION_CONTRACT)).status).toBe(200); // a partial supplement: the form is still missing
    expect((await requestsOf(caseId))[0]?.answeredAt).toBe(f.clock.now().toISOString());

    const refused = await expectRefused(f, caseId, () => returnToApplicant(caseId, request(FORM, PLANNING_PERMIT)), 409, 'TB-SUPPLEMENT-NOT-ONCE');
    expect(refused.body.detail).toContain(PLANNING_PERMIT);
    expect(refused.body.detail).not.toContain(FORM);
    expect(await requestsOf(caseId)).toHaveLength(1);

    // The contract was handed in again after the first request: it may be found defective now; the form was named before.
    const second = await returnToApplicant(caseId, request(FORM, CONSTRUCTION_CONTRACT));
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    expect((await requestsOf(caseId, 'supervisor')).map((r) => [r.materials.map((m) => m.name), r.answeredAt === null])).toEqual([
      [[FORM, CONSTRUCTION_CONTRACT], false],
      [[FORM, CONSTRUCTION_CONTRACT], true],
    ]);
  });

  it('a second request may name a material the first did not once the applicant handed it in again; one not handed in again is refused, nothing changed', async () => {
    const caseId = await start();
    expect((await returnToApplicant(caseId, request(FORM))).status).toBe(200);
    f.clock.advance({ hours: 1 });
    // The applicant brings the form asked for, and a new planning permit nobody asked for.
    expect((await supplement(caseId, FORM, PLANNING_PERMIT)).status).toBe(200);

    const refused = await expectRefused(f, caseId, () => returnToApplicant(caseId, request(PLANNING_PERMIT, CONSTRUCTION_CONTRACT)), 409, 'TB-SUPPLEMENT-NOT-ONCE');
    expect(refused.body.detail).toContain(CONSTRUCTION_CONTRACT);
    expect(refused.body.detail).not.toContain(PLANNING_PERMIT);
    expect(await requestsOf(caseId)).toHaveLength(1);

    const second = await returnToApplicant(caseId, request(PLANNING_PERMIT));
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    expect((await requestsOf(caseId)).map((r) => [r.materials.map((m) => m.name), r.answeredAt === null])).toEqual([
      [[FORM], false],
      [[PLANNING_PERMIT], true],
    ]);
  });

  it('each reader reads only the materials its department sees: a copy’s recipient none (the request stays), a member those its review needs', async () => {
    const caseId = await start();
    expect((await returnToApplicant(caseId, request(FORM, CONSTRUCTION_CONTRACT))).status).toBe(200);
    // Market regulation reads the case as a copy's recipient (抄送): the definition gives it no task, so no material.
    const copied = await f.as('housing.lead').post(`/api/cases/${caseId}/copies`, { recipients: [{ departmentCode: 'market' }], note: '请知悉' });
    expect(copied.status, JSON.stringify(copied.body)).toBe(200);
    expect(await requestsOf(caseId, 'market.handler')).toEqual([expect.objectContaining({ materials: [], requestedBy: 'window.clerk', answeredAt: null })]);

    f.clock.advance({ hours: 1 });
    expect((await supplement(caseId, FORM, CONSTRUCTION_CONTRACT)).status).toBe(200);
    await complete('window.clerk', 'acceptance', caseId);
    // Fire's review needs the form and the drawings; the contract stays with housing and the window.
    expect((await requestsOf(caseId, 'fire.handler')).map((r) => r.materials)).toEqual([request(FORM).materials]);
    expect((await requestsOf(caseId, 'housing.lead')).map((r) => r.materials)).toEqual([request(FORM, CONSTRUCTION_CONTRACT).materials]);
    expect((await requestsOf(caseId, 'supervisor')).map((r) => r.materials)).toEqual([request(FORM, CONSTRUCTION_CONTRACT).materials]);
  });

  it.each([
    ['no request', undefined, 'supplementRequest'],
    ['a material the item does not list', request('身份证复印件 ID copy'), 'supplementRequest.materials.0.name'],
    ['a material twice', request(FORM, FORM), 'supplementRequest.materials.1.name'],
  ])('a return to the applicant with %s → 422 TB-SUPPLEMENT-REQUEST-INVALID, nothing changed', async (_, body, path) => {
    const caseId = await start();
    const res = await expectRefused(f, caseId, () => returnToApplicant(caseId, body), 422, 'TB-SUPPLEMENT-REQUEST-INVALID');
    expect(res.body.errors).toEqual([expect.objectContaining({ path })]);
    expect(await requestsOf(caseId)).toEqual([]);
  });

  it('an empty list or a blank reason is refused by the schema (400), an approval carrying a request by the engine (422)', async () => {
    const caseId = await start();
    await expectRefused(f, caseId, () => returnToApplicant(caseId, { materials: [] }), 400, 'TB-VALIDATION');
    await expectRefused(f, caseId, () => returnToApplicant(caseId, { materials: [{ name: FORM, reason: ' ' }] }), 400, 'TB-VALIDATION');
    const task = await openTask('window.clerk', 'acceptance', caseId);
    await expectRefused(f, caseId, () => f.as('window.clerk').post(`/api/tasks/${task}/complete`, { outcome: 'approve', opinion: { text: '同意' }, supplementRequest: request(FORM) }), 422, 'TB-SUPPLEMENT-REQUEST-INVALID');
  });

  it('the moves offer the return with the materials it may name; the requests are read only by whoever reads the case', async () => {
    const caseId = await start();
    const moves = await f.as('window.clerk').get(`/api/cases/${caseId}/moves`);
    const completion = moves.body.moves.find((m: { type: string }) => m.type === 'task.complete');
    expect(completion).toMatchObject({ returnTargets: [{ to: 'applicant', asksSupplement: true }], supplementMaterials: expect.arrayContaining([{ name: PLANNING_PERMIT, askable: true }]) });
    await returnToApplicant(caseId, request(FORM));
    await supplement(caseId, FORM);
    const later = (await f.as('window.clerk').get(`/api/cases/${caseId}/moves`)).body.moves.find((m: { type: string }) => m.type === 'task.complete');
    expect(Object.fromEntries(later.supplementMaterials.map((m: { name: string; askable: boolean }) => [m.name, m.askable]))).toMatchObject({ [FORM]: true, [PLANNING_PERMIT]: false });
    expect((await f.as('tax.handler').get(`/api/cases/${caseId}/supplement-requests`)).status).toBe(404);
  });
});
