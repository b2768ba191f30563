import { drizzle } from 'drizzle-orm/postgres-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCaseAudit } from '../../db/audit-verification.js';
import { serviceItems } from '../../db/schema/index.js';
import { demoActor } from '../../apps/demo-users.js';
import { timerId } from '../../engine/ids.js';
import { DEFAULT_LADDER } from '../../engine/time/ladder.js';
import { CONSTRUCTION_PERMIT_REVIEWS, EVERY_MEMBER_NEEDED, constructionPermit } from '../../workflows/construction-permit.js';
import { createEngineFixture, type EngineFixture } from '../support/engine-fixture.js';
import { approveOpenTask } from './workers/worker-test-kit.js';

/** Issue 12: 视为同意 on PostgreSQL — a review not answered in time deemed approved, once, on the record. */
const BASIS = '逾期未回复视为同意（本事项实施规范，测试）';

let f: EngineFixture;
beforeAll(async () => {
  f = await createEngineFixture();
  // The construction permit's process under an item whose law deems an unanswered review approved at its due.
  await drizzle(f.sql).insert(serviceItems).values({
    code: 'permit-tacit',
    name: 'Construction permit, tacit reviews',
    legalBasis: 'test',
    leadDepartment: 'housing',
    legalLimitDays: 15,
    committedLimitDays: 10,
    definitionKey: 'construction-permit',
    definitionVersion: constructionPermit.version,
    calendarCode: 'cn',
    ladder: DEFAULT_LADDER.map((r) => (r.name === 'red' ? { ...r, tacit: { outcome: 'approve' as const, legalBasis: BASIS } } : r)),
  });
});
afterAll(() => f.close());

describe('a review deemed approved at its due (视为同意)', () => {
  it('is completed by the system once, with its opinion and audit event, and the case moves to the joint decision', async () => {
    const { caseId } = await f.engine.startCase({ type: 'case.start', actor: demoActor('window.clerk'), serviceItemCode: 'permit-tacit', applicant: { name: 'A', idNumber: '1' }, materials: [], answers: EVERY_MEMBER_NEEDED });
    await approveOpenTask(f, caseId, 'window', 'window.clerk');
    for (const { department } of CONSTRUCTION_PERMIT_REVIEWS.filter((r) => r.department !== 'fire')) await approveOpenTask(f, caseId, department, `${department}.handler`);
    const [fire] = await f.sql<{ id: string; due: string }[]>`select id, due_at::text as due from tasks where case_id = ${caseId} and key = 'review.fire'`;
    const [rung] = await f.sql<{ id: string }[]>`select id from timers where case_id = ${caseId} and kind = 'clock.rung' and task_id = ${fire!.id} and status = 'pending'`;
    f.clock.set(new Date(new Date(fire!.due).getTime() + 60_000));

    const result = await f.engine.execute({ type: 'timer.fire', timerId: timerId(rung!.id) });
    expect(result).toMatchObject({ changed: true, state: 'jointDecision' });
    const [task] = await f.sql`select status, outcome, completed_by from tasks where id = ${fire!.id}`;
    expect(task).toEqual({ status: 'completed', outcome: 'approve', completed_by: 'system' });
    const opinions = await f.sql`select author_id, outcome, visibility, text from opinions where task_id = ${fire!.id}`;
    expect(opinions).toEqual([{ author_id: 'system', outcome: 'approve', visibility: 'internal', text: expect.stringContaining(BASIS) }]);
    const events = await f.sql`select data from audit_events where case_id = ${caseId} and type = 'task.deemed-approved'`;
    expect(events.map((e) => e['data'])).toEqual([expect.objectContaining({ task: 'review.fire', outcome: 'approve', legalBasis: BASIS })]);
    expect(await f.sql`select count(*)::int as n from timers where task_id = ${fire!.id} and status = 'pending'`).toEqual([{ n: 0 }]);

    // Delivered again, the rung changes nothing; the chain verifies.
    expect(await f.engine.execute({ type: 'timer.fire', timerId: timerId(rung!.id) })).toMatchObject({ changed: false });
    expect(await f.sql`select count(*)::int as n from opinions where task_id = ${fire!.id}`).toEqual([{ n: 1 }]);
    expect(await verifyCaseAudit(f.sql, caseId)).toMatchObject({ ok: true });
  });
});
