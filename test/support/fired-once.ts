import { Queue } from 'bullmq';
import { expect } from 'vitest';
import type { Sql } from '../../db/connection.js';
import { verifyCaseAudit } from '../../db/audit-verification.js';
import { CONSTRUCTION_PERMIT_REVIEWS } from '../../workflows/construction-permit.js';
import { approveOpenTask, startConstructionPermit } from '../integration/workers/worker-test-kit.js';
import { QUEUE_NAMES } from '../../workers/queues.js';
import type { EngineFixture } from './engine-fixture.js';
import { createRedisConnection, deleteKeysWithPrefix } from './test-redis.js';

/**
 * What must hold, read from PostgreSQL, once the timers of a batch of construction permits past their reviews'
 * due have fired whatever was delivered twice, killed or blocked on the way (issue 18, scenarios 1 and 2):
 * - every review's clock reached yellow and red once, each on the ledger once;
 * - each rung told once per audience: yellow to the review's department, red to it and — the escalation — to the
 *   lead department, nothing else;
 * - every timer due and not cancelled (by the fires before it) has fired, none is failed or has an incident, and each
 *   fired timer has exactly one audit event;
 * - every case's audit chain verifies, and every review turned red (no case lost).
 */
export async function expectReviewRungsFiredOnce(sql: Sql, caseIds: readonly string[], now: Date): Promise<void> {
  const reviews = CONSTRUCTION_PERMIT_REVIEWS.map((r) => r.department);
  const cases = await sql<{ id: string; clocks: { id: string; warnings?: { rung: string }[] }[] }[]>`select id, clocks from cases where id in ${sql(caseIds)}`;
  expect(cases).toHaveLength(caseIds.length);
  for (const c of cases) {
    for (const department of reviews) {
      expect(c.clocks.find((k) => k.id === `task:review.${department}`)?.warnings?.map((w) => w.rung), `${c.id} ${department}`).toEqual(['yellow', 'red']);
    }
  }

  const told = await sql<{ caseId: string; clock: string; rung: string; department: string; n: number }[]>`
    select case_id as "caseId", data->>'clock' as clock, data->>'rung' as rung, department_code as department, count(*)::int as n
    from notifications where case_id in ${sql(caseIds)} and template = 'warning.reached' group by 1, 2, 3, 4`;
  const expected = caseIds.flatMap((caseId) =>
    reviews.flatMap((department) =>
      [`yellow ${department}`, `red ${department}`, 'red housing'].map((told) => `${caseId} task:review.${department} ${told} ×1`),
    ),
  );
  expect(told.map((t) => `${t.caseId} ${t.clock} ${t.rung} ${t.department} ×${t.n}`).sort()).toEqual(expected.sort());

  const timers = await sql<{ id: string; status: string; audits: number }[]>`
    select t.id, t.status, (select count(*) from audit_events a where a.case_id = t.case_id and a.data->>'timerId' = t.id::text)::int as audits
    from timers t where t.case_id in ${sql(caseIds)} and t.due_at <= ${now.toISOString()}::timestamptz and t.status <> 'cancelled'`;
  expect(timers.length).toBeGreaterThanOrEqual(caseIds.length * reviews.length);
  expect(timers.filter((t) => t.status !== 'fired' || t.audits !== 1)).toEqual([]);
  expect(await sql`select timer_id from timer_incidents where case_id in ${sql(caseIds)}`).toEqual([]);

  const tasks = await sql<{ level: string }[]>`select warning_level as level from tasks where case_id in ${sql(caseIds)} and key like 'review.%'`;
  expect(tasks.map((t) => t.level)).toEqual(tasks.map(() => 'red'));
  for (const caseId of caseIds) expect(await verifyCaseAudit(sql, caseId)).toMatchObject({ ok: true });
}

/** An instant a minute past the last due of the open reviews of these cases: every review's rungs and deadline due. */
export async function pastTheReviewsDue(sql: Sql, caseIds: readonly string[]): Promise<Date> {
  const [last] = await sql<{ dueMs: number }[]>`
    select (extract(epoch from max(due_at)) * 1000)::float8 as "dueMs" from tasks where case_id in ${sql(caseIds)} and key like 'review.%' and status = 'open'`;
  return new Date(last!.dueMs + 60_000);
}

/** `count` construction permits accepted at the window: their five reviews open, each with its deadline and rung timers. */
export async function reviewsUnderWay(f: EngineFixture, count: number): Promise<string[]> {
  const caseIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = await startConstructionPermit(f);
    await approveOpenTask(f, id, 'window', 'window.clerk');
    caseIds.push(id);
  }
  return caseIds;
}

/** Whether every timer of these cases due by `now` has left pending (fired, or cancelled by one that fired). */
export async function nothingPendingDue(sql: Sql, caseIds: readonly string[], now: Date): Promise<boolean> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from timers where case_id in ${sql(caseIds)} and status = 'pending' and due_at <= ${now.toISOString()}::timestamptz`;
  return row?.n === 0;
}

/**
 * The timers queue under a test's own `prefix`, for the test to read its jobs' states; `close()` closes it and its
 * connection and deletes every key of the prefix.
 */
export function timersQueue(prefix: string): { queue: Queue; close(): Promise<void> } {
  const redis = createRedisConnection();
  const queue = new Queue(QUEUE_NAMES.timers, { connection: redis, prefix });
  return {
    queue,
    async close() {
      await queue.close();
      await redis.quit(); // closing a queue leaves the connection it was given open
      await deleteKeysWithPrefix(prefix);
    },
  };
}
