import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pendingTimers } from '../../db/delivery-queries.js';
import { TIMER_CURSOR_START } from '../../db/delivery-queries.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { caseDriver } from '../support/case-driver.js';
import { caseFootprint, expectRefused } from '../support/case-footprint.js';

/**
 * 中止, 恢复 and 终止 through the HTTP API on the construction permit (lead department: housing): a suspended case
 * pauses its clocks and refuses every other command (409 TB-CASE-SUSPENDED) until it resumes; a terminated one is
 * closed and counted by supervision neither on time nor late. Whatever is refused changes nothing.
 */

let f: ApiFixture;
beforeAll(async () => {
  f = await createApiFixture();
});
afterAll(() => f.close());
const { openTask, startInJointReview } = caseDriver(() => f);

const GROUND = { reason: '申请人涉及的行政诉讼尚未审结', legalBasis: '《某省行政审批条例》第二十条' };
const suspend = (user: string, caseId: string, body: object = GROUND, headers?: Record<string, string>) => f.as(user).post(`/api/cases/${caseId}/suspension`, body, headers);
const resume = (user: string, caseId: string) => f.as(user).post(`/api/cases/${caseId}/resumption`, { reason: '诉讼已审结' });
const terminate = (user: string, caseId: string) => f.as(user).post(`/api/cases/${caseId}/termination`, { reason: '申请人已注销', legalBasis: '《某省行政审批条例》第二十一条' });
const clockOf = async (caseId: string, id: string) => (await f.as('housing.lead').get(`/api/cases/${caseId}/clocks`)).body.clocks.find((c: { id: string }) => c.id === id);
const movesOf = async (user: string, caseId: string) => ((await f.as(user).get(`/api/cases/${caseId}/moves`)).body.moves as { type: string }[]).map((m) => m.type);
/** Supervision's counters of cases (效能监察): open, and finished on time or late. */
const caseCounts = async () => {
  const [row] = await f.sql`select coalesce(sum(open), 0)::int as open, coalesce(sum(on_time), 0)::int as "onTime", coalesce(sum(late), 0)::int as late
    from supervision_counts where subject = 'case'`;
  return row;
};

describe('中止: the lead department suspends a case', () => {
  it('200: the case is suspended, its clocks paused, the departments holding its tasks told; only resumption and termination are offered', async () => {
    const caseId = await startInJointReview();
    const openBefore = (await caseCounts())?.['open'];
    const res = await suspend('housing.lead', caseId);
    expect([res.status, res.body.status, res.body.changed], JSON.stringify(res.body)).toEqual([200, 'suspended', true]);
    const { timeline, tasks } = await caseFootprint(f, caseId);
    expect(timeline.at(-1)).toMatchObject({ type: 'case.suspended', actorId: 'housing.lead', data: { ...GROUND, status: 'suspended' } });
    expect(await clockOf(caseId, 'legal')).toMatchObject({ state: 'paused' });
    expect(await clockOf(caseId, 'task:review.fire')).toMatchObject({ state: 'paused' });
    expect(tasks.filter((t: { status: string }) => t.status === 'open')).toHaveLength(5);
    const [told] = await f.sql`select count(*)::int as n from notifications where case_id = ${caseId} and template = 'case.suspended' and department_code = 'fire'`;
    expect(told?.['n']).toBe(1);
    expect(await movesOf('housing.lead', caseId)).toEqual(expect.arrayContaining(['case.resume', 'case.terminate']));
    expect(await movesOf('housing.lead', caseId)).not.toContain('case.suspend');
    expect((await movesOf('fire.handler', caseId)).filter((m) => m.startsWith('task.'))).toEqual([]);
    // Supervision no longer counts it open, and not finished either.
    expect(await caseCounts()).toMatchObject({ open: (openBefore as number) - 1 });
  });

  it('while suspended every other command answers 409 TB-CASE-SUSPENDED and changes nothing', async () => {
    const caseId = await startInJointReview();
    const fire = await openTask('fire.handler', 'review.fire', caseId);
    await suspend('housing.lead', caseId);
    const refused = 409;
    await expectRefused(f, caseId, () => f.as('fire.handler').post(`/api/tasks/${fire}/claim`), refused, 'TB-CASE-SUSPENDED');
    await expectRefused(f, caseId, () => f.as('fire.handler').post(`/api/tasks/${fire}/complete`, { outcome: 'approve', opinion: { text: '同意' } }), refused, 'TB-CASE-SUSPENDED');
    await expectRefused(f, caseId, () => f.as('fire.lead').post(`/api/tasks/${fire}/transfer`, { to: { userId: 'fire.handler' }, reason: '转办' }), refused, 'TB-CASE-SUSPENDED');
    const extension = { workingDays: 5, reason: '情况复杂', legalBasis: '《行政许可法》第四十二条' };
    await expectRefused(f, caseId, () => f.as('housing.lead').post(`/api/cases/${caseId}/clocks/legal/extensions`, extension), refused, 'TB-CASE-SUSPENDED');
    await expectRefused(f, caseId, () => f.as('housing.lead').post(`/api/cases/${caseId}/special-procedures`, { action: 'start', kind: 'hearing', notice: '听证' }), refused, 'TB-CASE-SUSPENDED');
    await expectRefused(f, caseId, () => f.as('supervisor').post(`/api/tasks/${fire}/urges`, { message: '请加快办理' }), refused, 'TB-CASE-SUSPENDED');
    await expectRefused(f, caseId, () => suspend('supervisor', caseId), refused, 'TB-CASE-STATUS');
  });

  it('who may not: a member department’s lead 403, a handler 403, a department outside the case 404; bad input 400 — nothing changed', async () => {
    const caseId = await startInJointReview();
    await expectRefused(f, caseId, () => suspend('fire.lead', caseId), 403, 'TB-FORBIDDEN');
    await expectRefused(f, caseId, () => suspend('fire.handler', caseId), 403, 'TB-PERMISSION');
    await expectRefused(f, caseId, () => suspend('market.lead', caseId), 404, 'TB-CASE-404');
    await expectRefused(f, caseId, () => suspend('housing.lead', caseId, { reason: GROUND.reason }), 400);
    await expectRefused(f, caseId, () => suspend('housing.lead', caseId, { ...GROUND, legalBasis: '  ' }), 400);
    await expectRefused(f, caseId, () => resume('housing.lead', caseId), 409, 'TB-CASE-STATUS');
  });

  it('a retried suspension with its Idempotency-Key suspends once', async () => {
    const caseId = await startInJointReview();
    const key = { 'idempotency-key': randomUUID() };
    const first = await suspend('housing.lead', caseId, GROUND, key);
    const again = await suspend('housing.lead', caseId, GROUND, key);
    expect([first.status, again.status, again.body]).toEqual([200, 200, first.body]);
    const { timeline } = await caseFootprint(f, caseId);
    expect(timeline.filter((e: { type: string }) => e.type === 'case.suspended')).toHaveLength(1);
  });
});

describe('恢复: the suspension ends', () => {
  it('a supervisor resumes it: the clocks count again with what they had left, the work goes on, supervision counts it open again', async () => {
    const caseId = await startInJointReview();
    const { remaining } = await clockOf(caseId, 'legal');
    const openBefore = (await caseCounts())?.['open'];
    await suspend('supervisor', caseId);
    f.clock.set(new Date(f.clock.now().getTime() + 3 * 86_400_000));
    const res = await resume('supervisor', caseId);
    expect([res.status, res.body.status], JSON.stringify(res.body)).toEqual([200, 'running']);
    expect(await clockOf(caseId, 'legal')).toMatchObject({ state: 'running', remaining });
    expect(await caseCounts()).toMatchObject({ open: openBefore });
    const fire = await openTask('fire.handler', 'review.fire', caseId);
    expect((await f.as('fire.handler').post(`/api/tasks/${fire}/claim`)).status).toBe(200);
  });

  it('its timers are left alone by the reconciler while it waits, and relayed at its resumption: one that fell due, and one due soon', async () => {
    const caseId = await startInJointReview();
    await suspend('housing.lead', caseId);
    // Process timers of the case (periods): one falls due while it is suspended, one is due ten minutes after it resumes.
    const timer = async (period: string, dueIn: number) => {
      const id = randomUUID();
      await f.sql`insert into timers (id, case_id, kind, task_id, event, send_id, due_at, status)
        values (${id}, ${caseId}, 'period', null, ${JSON.stringify({ type: 'period.ended', period })}::jsonb, ${`period:${period}`},
          ${new Date(f.clock.now().getTime() + dueIn).toISOString()}::timestamptz, 'pending')`;
      return id;
    };
    const fellDue = await timer('publicNotice', -3_600_000);
    const dueSoon = await timer('objections', 600_000);
    const walked = async () => (await pendingTimers(f.sql, { after: TIMER_CURSOR_START, dueBefore: new Date(f.clock.now().getTime() + 3_600_000), limit: 1000 })).map((t) => t.id);
    expect(await walked()).not.toContain(fellDue);
    expect(await walked()).not.toContain(dueSoon);
    const resumed = await resume('housing.lead', caseId);
    expect(resumed.status, JSON.stringify(resumed.body)).toBe(200);
    expect(await walked()).toEqual(expect.arrayContaining([fellDue, dueSoon]));
    const relayed = await f.sql`select payload->>'timerId' as id from outbox where case_id = ${caseId} and payload->>'timerId' in (${fellDue}, ${dueSoon})`;
    expect(relayed.map((r) => r['id']).sort()).toEqual([fellDue, dueSoon].sort());
  });
});

describe('终止: the lead department ends a case without a decision', () => {
  it('from suspended: 200, terminated, its tasks cancelled; counted neither on time nor late; nothing more is taken', async () => {
    const caseId = await startInJointReview();
    await suspend('housing.lead', caseId);
    const before = await caseCounts();
    await expectRefused(f, caseId, () => terminate('supervisor', caseId), 403, 'TB-PERMISSION');
    await expectRefused(f, caseId, () => terminate('fire.lead', caseId), 403, 'TB-FORBIDDEN');
    const res = await terminate('housing.lead', caseId);
    expect([res.status, res.body.status], JSON.stringify(res.body)).toEqual([200, 'terminated']);
    const { tasks, timeline } = await caseFootprint(f, caseId);
    expect(new Set(tasks.map((t: { status: string }) => t.status))).toEqual(new Set(['completed', 'cancelled']));
    expect(timeline.at(-1)).toMatchObject({ type: 'case.terminated', data: { status: 'terminated' } });
    expect(await caseCounts()).toEqual(before);
    await expectRefused(f, caseId, () => resume('housing.lead', caseId), 409, 'TB-CASE-CLOSED');
    await expectRefused(f, caseId, () => terminate('housing.lead', caseId), 409, 'TB-CASE-CLOSED');
  });

  it('from running: counted neither on time nor late either', async () => {
    const caseId = await startInJointReview();
    const before = await caseCounts();
    expect((await terminate('housing.lead', caseId)).status).toBe(200);
    expect(await caseCounts()).toEqual({ ...before, open: (before?.['open'] as number) - 1 });
  });
});
