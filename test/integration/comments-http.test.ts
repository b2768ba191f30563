import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, type Answer, type ApiFixture } from '../support/api-fixture.js';
import { caseDriver } from '../support/case-driver.js';
import { caseFootprint, expectRefused } from '../support/case-footprint.js';

/**
 * 批注 through the HTTP API on the construction permit (`POST /api/cases/{caseId}/comments`): said without acting,
 * shown in the case (`comments`) by the rules of opinions — to the participating departments, to a department the
 * case is copied to (抄送), to supervisors. Whatever is refused answers its problem+json and changes nothing.
 */

let f: ApiFixture;
beforeAll(async () => {
  f = await createApiFixture();
});
afterAll(() => f.close());
const { complete, startInJointReview } = caseDriver(() => f);

const comment = (user: string, caseId: string, body: object, headers: Record<string, string> = {}) => f.as(user).post(`/api/cases/${caseId}/comments`, body, headers);
const commentsSeenBy = async (user: string, caseId: string) => {
  const res = await f.as(user).get(`/api/cases/${caseId}`);
  expect(res.status, `${user} reads the case`).toBe(200);
  return (res.body.comments as { text: string }[]).map((c) => c.text);
};
const INTERNAL = '消防车道宽度待核实';
const PUBLIC = '请申请人补充消防设计说明';

/** Refused with `status` and `code`, the case unchanged and no comment written. */
async function expectNoComment(caseId: string, send: () => Promise<Answer>, status: number, code?: string) {
  const count = async () => (await f.sql`select count(*)::int as n from case_comments where case_id = ${caseId}`)[0]?.['n'];
  const before = await count();
  await expectRefused(f, caseId, send, status, code);
  expect(await count()).toBe(before);
}

describe('批注 on a case', () => {
  it('read by the opinion rules: an internal comment by its department, the lead department and supervisors, the others once the joint decision is made; a public one by all', async () => {
    const caseId = await startInJointReview();
    const before = await caseFootprint(f, caseId);
    expect((await f.as('fire.handler').post(`/api/cases/${caseId}/copies`, { recipients: [{ departmentCode: 'tax' }] })).status).toBe(200);
    const said = await comment('fire.handler', caseId, { text: INTERNAL, visibility: 'internal' });
    expect([said.status, said.body.changed, said.body.version], JSON.stringify(said.body)).toEqual([200, true, before.version]);
    f.clock.advance({ minutes: 1 }); // comments are shown in the order said
    expect((await comment('fire.handler', caseId, { text: `  ${PUBLIC}  `, visibility: 'public' })).status).toBe(200);

    expect(await commentsSeenBy('fire.lead', caseId)).toEqual([INTERNAL, PUBLIC]);
    expect(await commentsSeenBy('housing.handler', caseId)).toEqual([INTERNAL, PUBLIC]);
    expect(await commentsSeenBy('supervisor', caseId)).toEqual([INTERNAL, PUBLIC]);
    expect(await commentsSeenBy('water.handler', caseId)).toEqual([PUBLIC]);
    expect(await commentsSeenBy('tax.handler', caseId)).toEqual([PUBLIC]);
    const { body } = await f.as('fire.handler').get(`/api/cases/${caseId}`);
    expect(body.comments[0]).toEqual({ id: expect.any(String), authorId: 'fire.handler', departmentCode: 'fire', text: INTERNAL, visibility: 'internal', createdAt: expect.any(String) });
    expect((await caseFootprint(f, caseId)).timeline.at(-1)).toMatchObject({ type: 'case.commented', actorId: 'fire.handler', data: { visibility: 'public' } });

    // The joint decision made, every department reading the case reads every comment.
    for (const dept of ['planning', 'ecology', 'fire', 'civil-air-defence', 'water']) await complete(`${dept}.handler`, `review.${dept}`, caseId);
    await complete('housing.lead', 'decision', caseId);
    expect(await commentsSeenBy('water.handler', caseId)).toEqual([INTERNAL, PUBLIC]);
    expect(await commentsSeenBy('tax.handler', caseId)).toEqual([INTERNAL, PUBLIC]);
  });

  it('the window and a supervisor comment too; the same Idempotency-Key replays the answer and comments once', async () => {
    const caseId = await startInJointReview();
    expect((await comment('window.clerk', caseId, { text: '材料原件已核验', visibility: 'internal' })).status).toBe(200);
    f.clock.advance({ minutes: 1 });
    const headers = { 'idempotency-key': `comment-${caseId}` };
    const first = await comment('supervisor', caseId, { text: '请加快联审进度', visibility: 'internal' }, headers);
    const again = await comment('supervisor', caseId, { text: '请加快联审进度', visibility: 'internal' }, headers);
    expect([first.status, again.status, again.body]).toEqual([200, 200, first.body]);
    expect(await commentsSeenBy('supervisor', caseId)).toEqual(['材料原件已核验', '请加快联审进度']);
  });
});

describe('illegal comments: refused, nothing changed', () => {
  it.each([
    ['an empty text', 'fire.handler', { text: '   ', visibility: 'internal' }, 400, undefined],
    ['a text too long', 'fire.handler', { text: 'x'.repeat(2001), visibility: 'internal' }, 400, undefined],
    ['an unknown visibility', 'fire.handler', { text: '意见', visibility: 'secret' }, 400, undefined],
    ['a department outside the case', 'police.handler', { text: '意见', visibility: 'internal' }, 404, 'TB-CASE-404'],
    ['a designer', 'designer', { text: '意见', visibility: 'internal' }, 403, 'TB-PERMISSION'],
  ])('%s → %s', async (_, user, body, status, code) => {
    const caseId = await startInJointReview();
    await expectNoComment(caseId, () => comment(user, caseId, body), status, code);
  });

  it('a department the case is copied to reads, but does not comment; a decided case takes no comment', async () => {
    const caseId = await startInJointReview();
    await f.as('fire.handler').post(`/api/cases/${caseId}/copies`, { recipients: [{ departmentCode: 'tax' }] });
    await expectNoComment(caseId, () => comment('tax.handler', caseId, { text: '意见', visibility: 'internal' }), 404, 'TB-CASE-404');
    expect((await f.as('window.clerk').post(`/api/cases/${caseId}/withdrawal`, { reason: '申请人申请撤回申请' })).status).toBe(200);
    await expectNoComment(caseId, () => comment('housing.lead', caseId, { text: '意见', visibility: 'internal' }), 409, 'TB-CASE-CLOSED');
  });
});
