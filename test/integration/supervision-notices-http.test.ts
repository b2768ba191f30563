import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timerId } from '../../engine/ids.js';
import { createApiFixture, type Answer, type ApiFixture } from '../support/api-fixture.js';
import { caseDriver } from '../support/case-driver.js';

/** Issue 12, 督办 over HTTP: one answered, one overdue and red on the supervisor's list, refusals, replays. */

let f: ApiFixture;
beforeAll(async () => {
  f = await createApiFixture();
});
afterAll(() => f.close());
const { startInJointReview, openTask } = caseDriver(() => f);

const at = (local: string) => f.clock.set(new Date(`${local}+08:00`));
const rows = async <T>(query: Promise<readonly T[]>) => [...(await query)];
const expectProblem = (res: Answer, status: number, code: string) => {
  expect([res.status, res.body?.code], JSON.stringify(res.body)).toEqual([status, code]);
  expect(res.contentType).toContain('application/problem+json');
};

const MESSAGE = '请说明该件办理进度及延误原因';
const issue = (user: string, caseId: string, body: object, headers?: Record<string, string>) => f.as(user).post(`/api/cases/${caseId}/supervision-notices`, body, headers);
const respond = (user: string, noticeId: string, body: object = { response: '已安排现场核查，本周内办结' }) => f.as(user).post(`/api/supervision-notices/${noticeId}/responses`, body);
const close = (user: string, noticeId: string) => f.as(user).post(`/api/supervision-notices/${noticeId}/close`);
const list = async (user: string, query = '') => {
  const res = await f.as(user).get(`/api/supervision-notices${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { items: { id: string; [k: string]: unknown }[]; total: number; totalExact: boolean };
};
const caseVersion = async (caseId: string) => (await f.sql`select version from cases where id = ${caseId}`)[0]?.['version'];

/** Everything a command on the case could have changed. */
const footprint = async (caseId: string) => ({
  case: await rows(f.sql`select version, status, clocks, warning_level, audit_seq from cases where id = ${caseId}`),
  notices: await rows(f.sql`select * from supervision_notices where case_id = ${caseId} order by id`),
  timers: await rows(f.sql`select id, kind, send_id, status, due_at from timers where case_id = ${caseId} order by id`),
  notifications: await rows(f.sql`select id from notifications where case_id = ${caseId} order by id`),
  audit: await rows(f.sql`select seq, type from audit_events where case_id = ${caseId} order by seq`),
});

/** Fires the notice's pending rung timer at its due instant, as the timer worker does. */
async function fireRung(noticeId: string): Promise<void> {
  const [timer] = await f.sql`select id, due_at from timers where send_id = ${`rung:notice:${noticeId}`} and status = 'pending'`;
  expect(timer, `a pending rung timer of notice ${noticeId}`).toBeDefined();
  const due = new Date(String(timer?.['due_at']));
  if (f.clock.now() < due) f.clock.set(due);
  await f.engine.execute({ type: 'timer.fire', timerId: timerId(String(timer?.['id'])) });
}

describe('督办 over HTTP', () => {
  let caseId: string;
  let answered: string;
  let overdue: string;
  let withdrawn: string;

  it("one answered: issued on the fire review, seen by fire only, answered; the supervisors told, the clock's timer cancelled, the case's version kept", async () => {
    at('2026-11-30T09:00:00');
    caseId = await startInJointReview();
    const version = await caseVersion(caseId);
    const fireTask = await openTask('fire.handler', 'review.fire', caseId);

    const issued = await issue('supervisor', caseId, { message: MESSAGE, responseWorkingDays: 3, taskId: fireTask });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    expect(issued.body).toMatchObject({ caseId, version, changed: true, noticeId: expect.any(String) });
    answered = issued.body.noticeId;

    const seen = await f.as('fire.handler').get(`/api/supervision-notices/${answered}`);
    expect(seen.body).toMatchObject({ id: answered, caseId, taskId: fireTask, department: 'fire', message: MESSAGE, responseWorkingDays: 3, status: 'open', overdue: false, colour: 'green', serviceItemCode: 'construction-permit' });
    const number = (await f.sql`select number from cases where id = ${caseId}`)[0]?.['number'];
    expect(seen.body.caseNumber).toBe(number);
    // Three working days from Monday 30 November: Tuesday to Thursday, due at the end of Thursday 3 December.
    expect(seen.body.dueAt).toBe(new Date('2026-12-04T00:00:00+08:00').toISOString());
    expect((await list('fire.handler')).items.map((n) => n.id)).toContain(answered);
    expect((await list('water.handler')).items.map((n) => n.id)).not.toContain(answered);
    expectProblem(await f.as('water.handler').get(`/api/supervision-notices/${answered}`), 404, 'TB-NOTICE-404');
    expect(await rows(f.sql`select audience, department_code from notifications where case_id = ${caseId} and template = 'supervision-notice.issued'`)).toEqual([{ audience: 'department', department_code: 'fire' }]);

    at('2026-12-01T10:00:00');
    const res = await respond('fire.handler', answered);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ caseId, version, changed: true });

    const [row] = await list('supervisor', `?status=answered`).then((p) => p.items.filter((n) => n.id === answered));
    expect(row).toMatchObject({ status: 'answered', response: '已安排现场核查，本周内办结', respondedBy: 'fire.handler', overdue: false, colour: null, caseNumber: seen.body.caseNumber });
    expect(await rows(f.sql`select status from timers where send_id = ${`rung:notice:${answered}`}`)).toEqual([{ status: 'cancelled' }]);
    expect(await rows(f.sql`select audience, data->>'late' as late from notifications where case_id = ${caseId} and template = 'supervision-notice.answered'`)).toEqual([{ audience: 'supervisors', late: 'false' }]);
    expect((await rows(f.sql`select type, actor_id from audit_events where case_id = ${caseId} and type like 'supervision-notice.%' order by seq`))).toEqual([
      { type: 'supervision-notice.issued', actor_id: 'supervisor' },
      { type: 'supervision-notice.answered', actor_id: 'fire.handler' },
    ]);
    expect(await caseVersion(caseId)).toBe(version);
  });

  it("one overdue: red on the supervisor's list (its rungs reached, the lead department's lead and the supervisors told), still open", async () => {
    at('2026-12-01T10:00:00');
    const issued = await issue('supervisor', caseId, { message: '请于一个工作日内说明', responseWorkingDays: 1 });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    overdue = issued.body.noticeId;

    await fireRung(overdue); // yellow: Wednesday 2 December begins with 1 working day left
    expect((await f.as('housing.lead').get(`/api/supervision-notices/${overdue}`)).body).toMatchObject({ department: 'housing', colour: 'yellow', overdue: false });
    await fireRung(overdue); // red: the end of Wednesday 2 December
    at('2026-12-03T09:00:00');

    const red = await list('supervisor', '?overdue=true');
    expect(red.items.map((n) => [n.id, n.colour, n.overdue, n.status])).toEqual([[overdue, 'red', true, 'open']]);
    expect(red).toMatchObject({ total: 1, totalExact: true });
    expect((await list('housing.lead', '?overdue=true')).items.map((n) => n.id)).toEqual([overdue]);
    expect((await list('fire.lead', '?overdue=true')).items).toEqual([]);
    const told = await rows(f.sql`select audience, department_code, data->>'for' as for from notifications
      where case_id = ${caseId} and template = 'warning.reached' and data->>'clock' = ${`notice:${overdue}`} and data->>'rung' = 'red' order by audience, data->>'for' nulls first`);
    expect(told).toEqual([
      { audience: 'department', department_code: 'housing', for: null },
      { audience: 'department', department_code: 'housing', for: 'lead' },
      { audience: 'supervisors', department_code: null, for: null },
    ]);
    // The case's colour is its own clocks': the overdue notice is red on the notices' list, not the case's.
    expect((await f.sql`select warning_level from cases where id = ${caseId}`)[0]?.['warning_level']).not.toBe('red');
  });

  it('lists by due time, most urgent first, paged with a total; filtered by department for supervisors', async () => {
    const later = await issue('supervisor', caseId, { message: MESSAGE, responseWorkingDays: 10 });
    expect(later.status).toBe(201);
    const open = await list('supervisor', '?status=open&pageSize=1');
    expect(open.items.map((n) => n.id)).toEqual([overdue]);
    expect(open).toMatchObject({ total: 2, totalExact: true });
    const second = await list('supervisor', '?status=open&pageSize=1&page=2');
    expect(second.items.map((n) => n.id)).toEqual([later.body.noticeId]);
    expect((await list('supervisor', '?department=fire')).items.map((n) => n.id)).toEqual([answered]);
    // A department reads its own whatever it asks for.
    expect((await list('fire.handler', '?department=housing')).items).toEqual([]);
    withdrawn = later.body.noticeId;
    expect(await close('supervisor', withdrawn)).toMatchObject({ status: 200 });
    expect((await f.as('housing.lead').get(`/api/supervision-notices/${withdrawn}`)).body).toMatchObject({ status: 'closed', closedBy: 'supervisor', colour: null, response: null });
  });

  it('refusals change nothing: 409 for an answer once answered or closed and for closing again, 404 to other departments and unknown ids, 403 to roles without the right, 400 for bad input', async () => {
    const before = await footprint(caseId);
    expectProblem(await respond('fire.handler', answered, { response: '再次答复' }), 409, 'TB-NOTICE-STATE');
    expectProblem(await respond('housing.lead', withdrawn), 409, 'TB-NOTICE-STATE');
    expectProblem(await close('supervisor', withdrawn), 409, 'TB-NOTICE-STATE');
    expectProblem(await respond('water.handler', overdue), 404, 'TB-NOTICE-404');
    expectProblem(await respond('market.lead', overdue), 404, 'TB-NOTICE-404');
    expectProblem(await respond('housing.lead', '00000000-0000-4000-8000-000000000000'), 404, 'TB-NOTICE-404');
    expectProblem(await f.as('market.lead').get(`/api/supervision-notices/${overdue}`), 404, 'TB-NOTICE-404');
    expectProblem(await issue('fire.lead', caseId, { message: MESSAGE, responseWorkingDays: 3 }), 403, 'TB-PERMISSION');
    expectProblem(await respond('supervisor', overdue), 403, 'TB-PERMISSION');
    expectProblem(await close('housing.lead', overdue), 403, 'TB-PERMISSION');
    expectProblem(await f.as('designer').get('/api/supervision-notices'), 403, 'TB-PERMISSION');
    expectProblem(await issue('supervisor', caseId, { message: '  ', responseWorkingDays: 3 }), 400, 'TB-VALIDATION');
    expectProblem(await issue('supervisor', caseId, { message: MESSAGE, responseWorkingDays: 0 }), 400, 'TB-VALIDATION');
    expectProblem(await issue('supervisor', '00000000-0000-4000-8000-000000000000', { message: MESSAGE, responseWorkingDays: 3 }), 404, 'TB-CASE-404');
    const acceptance = (await f.sql`select id from tasks where case_id = ${caseId} and key = 'acceptance'`)[0]?.['id'];
    expectProblem(await issue('supervisor', caseId, { message: MESSAGE, responseWorkingDays: 3, taskId: acceptance }), 409, 'TB-TASK-STATE');
    expect(await footprint(caseId)).toEqual(before);
  });

  it('an answered notice is settled by closing it: its answer kept, the department told it had answered; audited; closing again 409', async () => {
    const res = await close('supervisor', answered);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect((await f.as('fire.handler').get(`/api/supervision-notices/${answered}`)).body).toMatchObject({
      status: 'closed',
      response: '已安排现场核查，本周内办结',
      respondedBy: 'fire.handler',
      closedBy: 'supervisor',
      colour: null,
    });
    expect(await rows(f.sql`select audience, department_code, data->>'answered' as answered from notifications where case_id = ${caseId} and template = 'supervision-notice.closed' and data->>'noticeId' = ${answered}`)).toEqual([
      { audience: 'department', department_code: 'fire', answered: 'true' },
    ]);
    const before = await footprint(caseId);
    expectProblem(await close('supervisor', answered), 409, 'TB-NOTICE-STATE');
    expect(await footprint(caseId)).toEqual(before);
  });

  it('Idempotency-Key: an issue and an answer replayed get the same answers and happen once', async () => {
    const headers = { 'idempotency-key': 'supervision-notice-0001' };
    const body = { message: MESSAGE, responseWorkingDays: 2 };
    const first = await issue('supervisor', caseId, body, headers);
    expect(first.status).toBe(201);
    const replay = await f.app.request(`/api/cases/${caseId}/supervision-notices`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await f.token('supervisor')}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    expect([replay.status, replay.headers.get('idempotent-replayed'), await replay.json()]).toEqual([201, 'true', first.body]);
    expect(await rows(f.sql`select id from supervision_notices where case_id = ${caseId} and response_working_days = 2`)).toEqual([{ id: first.body.noticeId }]);

    const answer = { 'idempotency-key': 'supervision-answer-0001' };
    const answeredFirst = await f.as('housing.handler').post(`/api/supervision-notices/${first.body.noticeId}/responses`, { response: '已处理' }, answer);
    expect(answeredFirst.status).toBe(200);
    const again = await f.as('housing.handler').post(`/api/supervision-notices/${first.body.noticeId}/responses`, { response: '已处理' }, answer);
    expect([again.status, again.body]).toEqual([200, answeredFirst.body]);
    expect((await f.sql`select count(*)::int as n from audit_events where case_id = ${caseId} and type = 'supervision-notice.answered' and data->>'noticeId' = ${first.body.noticeId}`)[0]?.['n']).toBe(1);
  });
});
