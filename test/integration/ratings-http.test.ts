import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIX_TASK_OPENED } from '../../engine/case-rating.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { CONSTRUCTION_APPLICATION } from '../support/case-driver.js';

/**
 * 好差评 through the HTTP API: once a case ended, its applicant rates it with the case number and query code
 * (`POST /api/public/ratings`); a bad rating opens a fix task (整改) for the lead department, due 15 working days later on
 * the case's calendar, and tells that department; its lead answers it and the applicant reads the answer in the progress query.
 */

let f: ApiFixture;
beforeAll(async () => {
  f = await createApiFixture();
  // The week before National Day 2026: the fix tasks' 15 working days run across 1–7 October and the make-up Saturday.
  f.clock.set(new Date('2026-09-21T09:00:00+08:00'));
});
afterAll(() => f.close());

/** A construction permit started at the window and withdrawn (撤件) at once: a case that has ended. */
async function endedCase() {
  const started = await f.as('window.clerk').post('/api/cases', CONSTRUCTION_APPLICATION);
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  const withdrawn = await f.as('window.clerk').post(`/api/cases/${started.body.caseId}/withdrawal`, { reason: '申请人撤回申请' });
  expect(withdrawn.status, JSON.stringify(withdrawn.body)).toBe(200);
  const [row] = await f.sql`select number from cases where id = ${started.body.caseId}`;
  return { caseId: started.body.caseId as string, caseNumber: String(row?.['number']), queryCode: started.body.queryCode as string };
}

/** The applicant's rating of `ended`, as they key it in: the case number and code, the score and comment. */
const rate = ({ caseId: _caseId, ...body }: { caseId?: string; caseNumber: string; queryCode: string; score?: number; comment?: string }) => f.as(null).post('/api/public/ratings', body);
const securityEvents = async (type: string) => f.sql`select actor_id, acting_for, data from security_events where type = ${type} order by seq`;

describe('好差评 after the case ended', () => {
  it('a running case is not rated yet: 409, and nothing is written', async () => {
    const started = await f.as('window.clerk').post('/api/cases', CONSTRUCTION_APPLICATION);
    const [row] = await f.sql`select number from cases where id = ${started.body.caseId}`;
    const res = await rate({ caseNumber: String(row?.['number']), queryCode: started.body.queryCode, score: 1, comment: '太慢' });
    expect([res.status, res.body.code]).toEqual([409, 'TB-RATING-NOT-ALLOWED']);
    expect(await f.sql`select 1 from case_ratings where case_id = ${started.body.caseId}`).toHaveLength(0);
    expect(await securityEvents('case.rated')).toHaveLength(0);
  });

  it('a bad rating opens the lead department’s fix task due in 15 working days across National Day; once per case', async () => {
    const ended = await endedCase();
    f.clock.set(new Date('2026-09-28T10:00:00+08:00'));
    const res = await rate({ ...ended, score: 1, comment: '窗口让我跑了三趟' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    // Day 1 is 29 September; 1–7 October are off and Saturday 10 October is worked: the 15th is Friday 23 October.
    expect(res.body).toMatchObject({ status: 'withdrawn', canRate: false, rating: { score: 1, comment: '窗口让我跑了三趟', fixDueAt: '2026-10-23T16:00:00.000Z', answer: null } });
    const [kept] = await f.sql`select fix_department, fix_due_derivation from case_ratings where case_id = ${ended.caseId}`;
    expect(kept).toMatchObject({ fix_department: 'housing', fix_due_derivation: { calendarCode: 'cn', workingDays: 15, receivedOn: '2026-09-28', dueDate: '2026-10-23', provisional: false } });
    expect((await securityEvents('case.rated')).at(-1)).toMatchObject({ actor_id: 'applicant', acting_for: null, data: { caseId: ended.caseId, score: 1, fixDepartment: 'housing' } });

    const again = await rate({ ...ended, score: 5, comment: '' });
    expect([again.status, again.body.code]).toEqual([409, 'TB-RATING-NOT-ALLOWED']);
    expect((await f.sql`select score from case_ratings where case_id = ${ended.caseId}`)[0]?.['score']).toBe(1);
  });

  it('a fix task opening tells the lead department’s handlers and leads, once, in their notifications; no other department', async () => {
    const ended = await endedCase();
    f.clock.set(new Date('2026-09-28T10:00:00+08:00'));
    expect((await rate({ ...ended, score: 2, comment: '材料被要求重复提交' })).status).toBe(201);
    const noticesOf = async (user: string) => {
      const res = await f.as(user).get(`/api/notifications?template=${FIX_TASK_OPENED}&caseId=${ended.caseId}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.items as { caseNumber: string; data: Record<string, unknown>; read: boolean }[];
    };
    for (const user of ['housing.handler', 'housing.lead']) {
      expect(await noticesOf(user), user).toEqual([
        expect.objectContaining({ caseNumber: ended.caseNumber, read: false, data: { score: 2, message: '材料被要求重复提交', dueAt: '2026-10-23T16:00:00.000Z' } }),
      ]);
    }
    expect(await noticesOf('fire.lead')).toEqual([]);
    // Rated again: refused, and nobody is told twice.
    expect((await rate({ ...ended, score: 1, comment: '再评一次' })).status).toBe(409);
    expect(await noticesOf('housing.handler')).toHaveLength(1);
  });

  it('a good rating opens no fix task; bad input is refused and changes nothing', async () => {
    const good = await endedCase();
    const bad = await endedCase();
    for (const [body, status] of [
      [{ ...bad, score: 2, comment: ' ' }, 422],
      [{ ...bad, score: 6, comment: 'x' }, 400],
      [{ ...bad, score: 1 }, 422],
      [{ ...bad, queryCode: good.queryCode, score: 1, comment: '错码' }, 404],
    ] as const) expect((await rate(body)).status, JSON.stringify(body)).toBe(status);
    expect(await f.sql`select 1 from case_ratings where case_id = ${bad.caseId}`).toHaveLength(0);
    const res = await rate({ ...good, score: 5 });
    expect([res.status, res.body.rating?.fixDueAt]).toEqual([201, null]);
    expect(await f.sql`select 1 from notifications where case_id in ${f.sql([good.caseId, bad.caseId])} and template = ${FIX_TASK_OPENED}`).toHaveLength(0);
    const open = await f.as('housing.lead').get('/api/ratings/fix-tasks');
    expect(open.body.items.map((t: { caseId: string }) => t.caseId)).not.toContain(good.caseId);
  });
});

describe('整改: the lead department answers, the applicant reads the answer', () => {
  it('listed for the lead department (and supervisors) only; answered once by its lead; the answer shows in the progress', async () => {
    const ended = await endedCase();
    expect((await rate({ ...ended, score: 2, comment: '审批人员态度差' })).status).toBe(201);

    const listed = await f.as('housing.handler').get('/api/ratings/fix-tasks');
    expect(listed.status).toBe(200);
    expect(listed.body.items).toContainEqual(expect.objectContaining({ caseId: ended.caseId, caseNumber: ended.caseNumber, department: 'housing', score: 2, comment: '审批人员态度差', overdue: false, answer: null }));
    expect(listed.body.items.find((t: { caseId: string }) => t.caseId === ended.caseId).due).toMatchObject({ date: '2026-10-23', provisional: false });
    // Its light counts working days on the case's calendar: on Monday 19 October four are left (green), on
    // Wednesday 21 the last three (yellow), red once Friday 23 has ended.
    const light = async (at: string) => {
      f.clock.set(new Date(at));
      return (await f.as('housing.lead').get('/api/ratings/fix-tasks')).body.items.find((t: { caseId: string }) => t.caseId === ended.caseId).colour as string;
    };
    expect([await light('2026-10-19T10:00:00+08:00'), await light('2026-10-21T10:00:00+08:00'), await light('2026-10-24T00:00:00+08:00')]).toEqual(['green', 'yellow', 'red']);
    f.clock.set(new Date('2026-09-28T10:00:00+08:00'));
    expect((await f.as('supervisor').get('/api/ratings/fix-tasks')).body.items.map((t: { caseId: string }) => t.caseId)).toContain(ended.caseId);
    expect((await f.as('fire.lead').get('/api/ratings/fix-tasks')).body.items).toEqual([]);
    expect((await f.as('window.clerk').get('/api/ratings/fix-tasks')).status).toBe(403);

    const answer = '已约谈经办人并在窗口增设导办员 We met the clerk and added a guide at the window';
    expect((await f.as('housing.handler').post(`/api/ratings/${ended.caseId}/answer`, { answer })).body.code).toBe('TB-PERMISSION');
    expect((await f.as('fire.lead').post(`/api/ratings/${ended.caseId}/answer`, { answer })).body.code).toBe('TB-FIX-TASK-404');
    expect((await f.as('housing.lead').post(`/api/ratings/${ended.caseId}/answer`, { answer: ' ' })).status).toBe(422);
    const answered = await f.as('housing.lead').post(`/api/ratings/${ended.caseId}/answer`, { answer });
    expect([answered.status, answered.body.answer], JSON.stringify(answered.body)).toEqual([200, answer]);
    const twice = await f.as('housing.lead').post(`/api/ratings/${ended.caseId}/answer`, { answer: '再答一次' });
    expect([twice.status, twice.body.code]).toEqual([404, 'TB-FIX-TASK-404']);

    expect((await f.as('housing.lead').get('/api/ratings/fix-tasks')).body.items.map((t: { caseId: string }) => t.caseId)).not.toContain(ended.caseId);
    expect((await f.as('housing.lead').get('/api/ratings/fix-tasks?state=answered')).body.items).toContainEqual(expect.objectContaining({ caseId: ended.caseId, answer, answeredBy: 'housing.lead' }));
    const seen = await f.as(null).post('/api/public/progress', { caseNumber: ended.caseNumber, queryCode: ended.queryCode });
    expect(seen.body.rating).toMatchObject({ score: 2, answer, answeredAt: expect.any(String) });
    expect((await securityEvents('rating.fix-answered')).at(-1)).toMatchObject({ actor_id: 'housing.lead', acting_for: 'housing', data: { caseId: ended.caseId } });
  });
});
