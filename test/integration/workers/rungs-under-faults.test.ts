import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningWorkers } from '../../../workers/start-workers.js';
import { CONSTRUCTION_PERMIT_REVIEWS } from '../../../workflows/construction-permit.js';
import { deleteKeysWithPrefix } from '../../support/test-redis.js';
import { approveOpenTask, createWorkerWorld, startConstructionPermit, startWorldWorkers, waitFor, type WorkerWorld } from './worker-test-kit.js';

/**
 * Issue 12: a review passes yellow and red with its workers stopped and Redis emptied in between; each rung
 * is reached once per clock and told once, whatever was delivered twice or rebuilt.
 */
let w: WorkerWorld;
let workers: RunningWorkers;
const options = { concurrency: 2, relay: { pollMs: 100 }, reconciler: { intervalMs: 3_600_000, graceMs: 0 } } as const;
beforeAll(async () => {
  w = await createWorkerWorld();
  workers = await startWorldWorkers(w, options);
});
afterAll(async () => {
  await workers.stop();
  await w.close();
});

/** Hands every due timer to the workers (the test's reconciler tick) and waits until none is pending and due. */
async function fireWhatIsDue(caseId: string): Promise<void> {
  const now = w.f.clock.now();
  await workers.reconciler.tick();
  await waitFor('the due timers to fire', async () => {
    const [row] = await w.f.sql<{ n: number }[]>`select count(*)::int as n from timers where case_id = ${caseId} and status = 'pending' and due_at <= ${now.toISOString()}::timestamptz`;
    return row?.n === 0;
  });
}

const warnings = (caseId: string) =>
  w.f.sql<{ clock: string; rung: string; audience: string; department: string | null; n: number }[]>`
    select data->>'clock' as clock, data->>'rung' as rung, audience, department_code as department, count(*)::int as n
    from notifications where case_id = ${caseId} and template = 'warning.reached' group by 1, 2, 3, 4 order by 1, 2, 3, 4`;

describe('warning rungs under faults', () => {
  it('reach yellow, then red after a stop and an emptied Redis, each once per clock, each told once', async () => {
    const caseId = await startConstructionPermit(w.f);
    await approveOpenTask(w.f, caseId, 'window', 'window.clerk');
    const [review] = await w.f.sql<{ due: Date }[]>`select min(due_at) as due from tasks where case_id = ${caseId} and key like 'review.%'`;
    const due = new Date(review!.due);

    // Two working days before the reviews' due: yellow.
    w.f.clock.set(new Date(due.getTime() - 2 * 86_400_000));
    await fireWhatIsDue(caseId);
    const yellow = await warnings(caseId);
    const reviews = CONSTRUCTION_PERMIT_REVIEWS.map((r) => r.department);
    expect(yellow.filter((n) => n.rung === 'yellow').map((n) => n.department).sort()).toEqual([...reviews].sort());
    const [colour] = await w.f.sql`select warning_level from cases where id = ${caseId}`;
    expect(colour?.['warning_level']).toBe('yellow');

    // The workers stop; Redis loses everything of this prefix; time passes the due.
    await workers.stop();
    await deleteKeysWithPrefix(w.prefix);
    w.f.clock.set(new Date(due.getTime() + 60_000));
    workers = await startWorldWorkers(w, options);
    await fireWhatIsDue(caseId);

    // A stale job for every rung timer ever fired comes in again: nothing changes.
    const fired = await w.f.sql<{ id: string }[]>`select id from timers where case_id = ${caseId} and kind = 'clock.rung' and status = 'fired'`;
    const before = await w.f.sql`select version, clocks from cases where id = ${caseId}`;
    for (const t of fired) await workers.queues.timers.add('timer.fire', { timerId: t.id }, { jobId: `${t.id}-again` });
    await waitFor('the stale jobs to be handled', async () => (await workers.queues.timers.getJobCounts('waiting', 'active', 'delayed')).waiting === 0);
    await waitFor('the workers to settle', async () => (await workers.queues.timers.getJobCounts('active')).active === 0);
    expect(await w.f.sql`select version, clocks from cases where id = ${caseId}`).toEqual(before);

    // Each review's clock reached yellow and red once (the ledger), told once each: yellow to the review's
    // department, red to it and to the lead department.
    const [row] = await w.f.sql<{ clocks: { id: string; warnings?: { rung: string }[] }[] }[]>`select clocks from cases where id = ${caseId}`;
    for (const department of reviews) {
      expect(row?.clocks.find((c) => c.id === `task:review.${department}`)?.warnings?.map((x) => x.rung)).toEqual(['yellow', 'red']);
    }
    const told = await warnings(caseId);
    for (const department of reviews) {
      const byRung = told.filter((n) => n.clock === `task:review.${department}`).map((n) => `${n.rung} → ${n.department} ×${n.n}`);
      expect(byRung.sort()).toEqual([`red → ${department} ×1`, 'red → housing ×1', `yellow → ${department} ×1`].sort());
    }
    const tasks = await w.f.sql`select warning_level from tasks where case_id = ${caseId} and key like 'review.%'`;
    expect(tasks.map((t) => t['warning_level'])).toEqual(reviews.map(() => 'red'));
    const [red] = await w.f.sql`select warning_level from cases where id = ${caseId}`;
    expect(red?.['warning_level']).toBe('red');
    // One audit event per rung timer fired, none for the stale deliveries.
    const [audits] = await w.f.sql<{ n: number }[]>`select count(*)::int as n from audit_events where case_id = ${caseId} and type = 'warning.reached'`;
    expect(audits?.n).toBe(fired.length);
  });
});
