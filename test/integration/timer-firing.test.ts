import { drizzle } from 'drizzle-orm/postgres-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCaseAudit } from '../../db/audit-verification.js';
import { serviceItems } from '../../db/schema/index.js';
import { CASE_OUTCOME_TAGS } from '../../engine/definitions/process-definition.js';
import { taskState } from '../../engine/definitions/definition-parts.js';
import { timerId } from '../../engine/ids.js';
import { demoActor } from '../../apps/demo-users.js';
import { createEngineFixture, type EngineFixture } from '../support/engine-fixture.js';
import { approveOpenTask, startConstructionPermit } from './workers/worker-test-kit.js';

let f: EngineFixture;
beforeAll(async () => {
  f = await createEngineFixture();
  // One review of a working day; ten calendar days after the start the case times out.
  await f.catalog.publish({
    key: 'overrun',
    version: 1,
    title: 'Overrun',
    machine: {
      id: 'overrun',
      context: { outcomes: {}, rejections: [] },
      initial: 'review',
      states: {
        review: {
          ...taskState({ task: 'review.fire', kind: 'review', title: 'Fire review', department: 'fire', workingDays: 1 }, {}),
          after: { 864000000: 'timedOut' },
        },
        timedOut: { type: 'final', tags: [CASE_OUTCOME_TAGS.refused] },
      },
    },
  });
  await drizzle(f.sql).insert(serviceItems).values({
    code: 'overrun',
    name: 'Overrun',
    legalBasis: 'test',
    leadDepartment: 'housing',
    legalLimitDays: 5,
    committedLimitDays: 5,
    definitionKey: 'overrun',
    definitionVersion: 1,
    calendarCode: 'cn',
  });
});
afterAll(() => f.close());

const timersOf = (caseId: string) =>
  f.sql<{ id: string; kind: string; status: string }[]>`select id, kind, status from timers where case_id = ${caseId} order by due_at, id`;
const fire = (id: string) => f.engine.execute({ type: 'timer.fire', timerId: timerId(id) });

describe('timers due together', () => {
  it('fire in one command: the five joint-review deadlines, each once, each with its audit event', async () => {
    const caseId = await startConstructionPermit(f);
    await approveOpenTask(f, caseId, 'window', 'window.clerk');
    const reviews = (await timersOf(caseId)).filter((t) => t.kind === 'task.deadline' && t.status === 'pending');
    expect(reviews).toHaveLength(5);
    const [latest] = await f.sql<{ due: string }[]>`select max(due_at)::text as due from timers where id in ${f.sql(reviews.map((t) => t.id))}`;
    f.clock.set(new Date(latest!.due));

    const first = await fire(reviews[2]!.id);
    expect(first).toMatchObject({ changed: true, state: 'jointReview' });
    // The other four jobs come in afterwards and find their timers fired.
    for (const timer of reviews) expect(await fire(timer.id)).toMatchObject({ changed: false, version: first.version });

    const deadlines = (await timersOf(caseId)).filter((t) => t.kind === 'task.deadline').map((t) => t.status);
    expect(deadlines.sort()).toEqual(['cancelled', 'fired', 'fired', 'fired', 'fired', 'fired']); // acceptance's was cancelled
    const tasks = await f.sql`select warning_level from tasks where case_id = ${caseId} and key like 'review.%'`;
    expect(tasks.map((t) => t['warning_level'])).toEqual(Array(5).fill('red'));
    const events = await f.sql`select data->>'timerId' as timer from audit_events where case_id = ${caseId} and type = 'deadline.elapsed' order by seq`;
    expect(events.map((e) => e['timer']).sort()).toEqual(reviews.map((t) => t.id).sort());
    // Each review's rungs reached at once: yellow (its department), red (its department and the lead department).
    const notices = await f.sql`select data->>'rung' as rung, count(*)::int as n from notifications where case_id = ${caseId} and template = 'warning.reached' group by 1 order by 1`;
    expect(notices.map((n) => [n['rung'], n['n']])).toEqual([['red', 10], ['yellow', 5]]);
    const [colour] = await f.sql`select warning_level from cases where id = ${caseId}`;
    expect(colour?.['warning_level']).toBe('red');
    expect(await verifyCaseAudit(f.sql, caseId)).toMatchObject({ ok: true });
  });

  it('stop once one of them closes the case; a task warned on the way is cancelled with the case, and stays red', async () => {
    const { caseId } = await f.engine.startCase({
      type: 'case.start',
      actor: demoActor('window.clerk'),
      serviceItemCode: 'overrun',
      applicant: { name: 'A', idNumber: '1' },
      materials: [],
    });
    const timers = await timersOf(caseId);
    // The review's deadline, the case's own and its legal clock's (5 working days each), the clocks' rungs, the delay.
    expect(timers.map((t) => t.kind).sort()).toEqual(['case.deadline', 'clock.deadline', 'clock.rung', 'clock.rung', 'clock.rung', 'machine.delay', 'task.deadline']);
    expect(timers.at(-1)?.kind).toBe('machine.delay');
    f.clock.advance({ days: 11 });

    const result = await fire(timers.at(-1)!.id);

    expect(result).toMatchObject({ changed: true, status: 'refused', state: 'timedOut' });
    // Everything due before the delay fired on the way (each rung timer scheduling the clock's next, fired too if due).
    const after = await timersOf(caseId);
    expect(after.filter((t) => t.status === 'pending')).toEqual([]);
    expect(after.filter((t) => t.id !== timers.at(-1)!.id && t.kind !== 'clock.rung').map((t) => t.status)).toEqual(['fired', 'fired', 'fired']);
    const [task] = await f.sql`select status, warning_level from tasks where case_id = ${caseId}`;
    expect(task).toEqual({ status: 'cancelled', warning_level: 'red' });
    const events = await f.sql`select type from audit_events where case_id = ${caseId} order by seq`;
    expect(events.map((e) => e['type']).filter((t) => t !== 'warning.reached')).toEqual(['case.started', 'deadline.elapsed', expect.any(String), expect.any(String), expect.stringMatching(/^xstate\.after/)]);
    expect(await verifyCaseAudit(f.sql, caseId)).toMatchObject({ ok: true });
  });
});
