import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UPDATE_CASE_SQL } from '../../db/commit-statement.js';
import type { Sql } from '../../db/connection.js';
import { PgCaseStore } from '../../db/pg-case-store.js';
import { Engine } from '../../engine/engine.js';
import { TEST_LICENCE_SIGNER } from '../support/licence-signer.js';
import { openTimerIncident } from '../../db/timer-incidents.js';
import { caseId as asCaseId, taskId, timerId } from '../../engine/ids.js';
import { demoActor } from '../../apps/demo-users.js';
import { createEngineFixture, type EngineFixture } from '../support/engine-fixture.js';
import { installPoisonTimer, startPoisonCase } from '../support/poison-timer.js';
import { startConstructionPermit } from './workers/worker-test-kit.js';

let f: EngineFixture;
let engine: Engine;
/** The plans of the commit statements executed, in order (EXPLAIN ANALYZE runs the statement itself). */
const plans: string[] = [];

/** The fixture's pool, with the commit statement run under EXPLAIN ANALYZE: same writes, plan kept. */
function explaining(sql: Sql): Sql {
  return new Proxy(sql, {
    get(target, prop) {
      if (prop !== 'reserve') return Reflect.get(target, prop);
      return async () => {
        const conn = await target.reserve();
        return new Proxy(conn, {
          get(c, p) {
            if (p !== 'unsafe') return Reflect.get(c, p);
            // Other statements as they are (postgres.js queries, which a store may `execute()` to send them in order).
            return (text: string, params?: never, options?: never) =>
              text !== UPDATE_CASE_SQL
                ? c.unsafe(text, params, options)
                : c.unsafe(`explain (analyze, costs off) ${text}`, params).then((rows) => {
                    plans.push(rows.map((r) => String(r['QUERY PLAN'])).join('\n'));
                    return rows;
                  });
          },
        });
      };
    },
  });
}

beforeAll(async () => {
  f = await createEngineFixture();
  engine = new Engine({ store: new PgCaseStore(explaining(f.sql)), catalog: f.catalog, clock: f.clock, licenceSigner: TEST_LICENCE_SIGNER });
  // Like production: many open tasks, pending timers, open incidents and uploads in other cases.
  await f.sql`
    insert into tasks (id, case_id, key, kind, title, department_code, status, opened_at, due_at)
    select gen_random_uuid(), gen_random_uuid(), 'review.fire', 'review', 'Fire review', 'fire', 'open', now(), now() + interval '5 days'
    from generate_series(1, 20000)`;
  await f.sql`
    insert into timers (id, case_id, kind, event, due_at, status)
    select gen_random_uuid(), gen_random_uuid(), 'task.deadline', '{"type":"x"}', now() + interval '5 days', 'pending'
    from generate_series(1, 20000)`;
  await f.sql`
    insert into timer_incidents (id, case_id, timer_id, error, attempts, first_failed_at, last_failed_at)
    select gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), 'test', 3, now(), now() from generate_series(1, 20000)`;
  await f.sql`
    insert into material_blobs (id, sha256, size_bytes, content_type, file_name, storage, scan_status, uploaded_by, uploaded_at)
    select gen_random_uuid(), repeat('a', 64), 1, 'application/pdf', 'f.pdf', 'pg', 'clean', 'window.clerk', now() from generate_series(1, 20000)`;
  await f.sql`analyze material_blobs`;
  await f.sql`analyze timer_incidents`;
  await f.sql`analyze tasks`;
  await f.sql`analyze timers`;
});
afterAll(() => f.close());

/** The plan reads the case's own rows by its indexes, never a whole table or the partial indexes of every case. */
function expectCaseRowsOnly(plan: string): void {
  expect(plan).not.toMatch(/Seq Scan on (tasks|timers|timer_incidents|material_blobs)/);
  expect(plan).not.toMatch(/tasks_inbox_idx|timers_pending_due_idx/);
  // No node reads more than the case's own handful of rows.
  for (const [, rows] of plan.matchAll(/rows=(\d+)/g)) expect(Number(rows)).toBeLessThan(50);
}

const openTask = async (caseId: string, key: string) => {
  const [task] = await f.sql<{ id: string }[]>`select id from tasks where case_id = ${caseId} and key = ${key} and status in ('open', 'claimed')`;
  return taskId(task!.id);
};

describe('the commit statement', () => {
  it('reads only the rows of its case, however many tasks and timers are open elsewhere', async () => {
    const caseId = await startConstructionPermit(f);
    const complete = async (key: string, who: string) =>
      engine.execute({ type: 'task.complete', actor: demoActor(who), taskId: await openTask(caseId, key), outcome: 'approve', opinion: { text: '同意', visibility: 'internal' } });
    await complete('acceptance', 'window.clerk');
    await engine.execute({ type: 'task.claim', actor: demoActor('fire.handler'), taskId: await openTask(caseId, 'review.fire') });
    await complete('review.fire', 'fire.handler');
    const [deadline] = await f.sql<{ id: string; due: string }[]>`
      select id, due_at::text as due from timers where case_id = ${caseId} and kind = 'task.deadline' and status = 'pending' limit 1`;
    f.clock.set(new Date(deadline!.due));
    await engine.execute({ type: 'timer.fire', timerId: timerId(deadline!.id) }); // warns the tasks, fires their timers

    expect(plans).toHaveLength(4);
    for (const plan of plans) expectCaseRowsOnly(plan);
  });

  it('closing a case finds its failed timers through its own open incidents', async () => {
    await installPoisonTimer(f);
    const poison = await startPoisonCase(f);
    await openTimerIncident(f.sql, { timerId: poison.timerId, error: 'test', attempts: 3, firstFailedAt: f.clock.now(), lastFailedAt: f.clock.now() });
    plans.length = 0;
    const materials = [{ name: '补正材料 Supplement', sha256: 'c'.repeat(64), sizeBytes: 4096 }];
    await engine.execute({ type: 'supplement.submit', actor: demoActor('window.clerk'), caseId: asCaseId(poison.caseId), materials }); // the poison case ends

    expect(plans).toHaveLength(1);
    expectCaseRowsOnly(plans[0]!);
    expect(plans[0]).toMatch(/Index Scan using timer_incidents_unresolved_idx/);
    expect(await f.sql`select status from timers where id = ${poison.timerId}`).toEqual([{ status: 'cancelled' }]);
  });
});
