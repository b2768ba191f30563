import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEDULING_HORIZON_MS } from '../../../db/delivery-queries.js';
import { timerJobId } from '../../../workers/queues.js';
import type { RunningWorkers } from '../../../workers/start-workers.js';
import { deleteKeysWithPrefix } from '../../support/test-redis.js';
import { caseVersion, createWorkerWorld, driveToPublicNotice, startWorldWorkers, timersWithAuditCount, waitFor, type WorkerWorld } from './worker-test-kit.js';

let w: WorkerWorld;
let workers: RunningWorkers;
beforeAll(async () => {
  w = await createWorkerWorld();
  workers = await startWorldWorkers(w, {
    concurrency: 2,
    relay: { pollMs: 200 },
    // The test ticks the reconciler itself; a timer is swept as soon as it is overdue.
    reconciler: { intervalMs: 3_600_000, graceMs: 0 },
  });
});
afterAll(async () => {
  await workers.stop();
  await w.close();
});

const jobState = async (jobId: string) => (await (await workers.queues.timers.getJob(jobId))?.getState()) ?? 'missing';

async function deliveredEverything(): Promise<boolean> {
  const [row] = await w.f.sql<{ unsent: number; undelivered: number }[]>`
    select (select count(*) from outbox where sent_at is null)::int as unsent,
      (select count(*) from notifications where delivered_at is null)::int as undelivered`;
  return row?.unsent === 0 && row.undelivered === 0;
}

describe('delivery after Redis loses everything', () => {
  it('rebuilds the pending timers of a case in public notice from PostgreSQL and issues its licence', async () => {
    const caseId = await driveToPublicNotice(w.f);
    expect(await caseVersion(w.f, caseId)).toMatchObject({ status: 'running', state: 'publicNotice' });
    await waitFor('the relay to catch up', deliveredEverything);
    const pending = (await timersWithAuditCount(w.f, caseId)).filter((t) => t.status === 'pending');
    // The item leaves its public notice out of the limits: the case's clocks and their timers wait (v4).
    expect(pending.map((t) => t.kind)).toEqual(['period']);
    const [period] = pending as [(typeof pending)[0]];
    // The public notice ends in five working days, an hour from now on the engine's clock.
    w.f.clock.set(new Date(period.dueAtMs - SCHEDULING_HORIZON_MS / 2));
    await workers.reconciler.tick();
    expect(await jobState(timerJobId(period.id))).toBe('delayed');

    // What losing Redis looks like to this prefix (other test files share the server: no FLUSHALL).
    await deleteKeysWithPrefix(w.prefix);
    expect(await jobState(timerJobId(period.id))).toBe('missing');

    await workers.reconciler.reconcile();
    const job = await workers.queues.timers.getJob(timerJobId(period.id));
    expect(await job?.getState()).toBe('delayed');
    expect(job?.delay).toBe(period.dueAtMs - w.f.clock.now().getTime());

    // The public notice ends on the engine's clock; BullMQ's wall clock has not moved half an hour, so it is
    // the reconciler's overdue sweep that hands the period timer to the worker.
    w.f.clock.advance({ ms: SCHEDULING_HORIZON_MS });
    await workers.reconciler.tick();
    const issued = await waitFor('the licence to be issued', async () => {
      const c = await caseVersion(w.f, caseId);
      return c.status !== 'running' && c;
    });

    expect(issued).toMatchObject({ status: 'approved', state: 'issued' });
    const licences = await w.f.sql`select number from licences where case_id = ${caseId}`;
    expect(licences).toHaveLength(1);
    expect(licences[0]?.['number']).toMatch(/^CP-/);
    const timers = await timersWithAuditCount(w.f, caseId);
    expect(timers.filter((t) => t.status === 'fired').map((t) => t.kind)).toEqual(['period']);
    expect(timers.filter((t) => t.status === 'pending')).toEqual([]);
    for (const timer of timers) expect(timer.auditEvents).toBe(timer.status === 'fired' ? 1 : 0);

    // A stale job for the fired timer (say, from before the loss) still comes in: nothing changes.
    const stale = `${timerJobId(period.id)}-stale`;
    await workers.queues.timers.add('timer.fire', { timerId: period.id }, { jobId: stale });
    await waitFor('the stale job to be processed', async () => (await jobState(stale)) === 'missing');
    expect(await caseVersion(w.f, caseId)).toEqual(issued);
    expect((await timersWithAuditCount(w.f, caseId)).find((t) => t.id === period.id)?.auditEvents).toBe(1);

    // The applicant is told about the licence, and nothing failed on the way.
    await waitFor('the licence notice to be delivered', deliveredEverything);
    expect(w.logger.records.filter((r) => r.level === 'error')).toEqual([]);
  });
});
