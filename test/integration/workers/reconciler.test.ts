import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PENDING_TIMERS_SQL } from '../../../db/delivery-queries.js';
import { createQueues, notificationJobId, timerJobId, type DeliveryQueues } from '../../../workers/queues.js';
import { Reconciler } from '../../../workers/reconciler.js';
import { deleteKeysWithPrefix } from '../../support/test-redis.js';
import { approveOpenTask, createWorkerWorld, startConstructionPermit, type WorkerWorld } from './worker-test-kit.js';

let w: WorkerWorld;
let queues: DeliveryQueues;
let reconciler: Reconciler;
/** Three cases; in the first, acceptance is done (its deadline cancelled, five review deadlines pending). */
let cases: string[];
const GRACE_MS = 60_000;

beforeAll(async () => {
  w = await createWorkerWorld();
  queues = createQueues({ connection: w.redis, prefix: w.prefix });
  // Pages of 3, so that every walk spans several pages, one of them short.
  reconciler = new Reconciler({ sql: w.f.sql, queues, redis: w.redis, clock: w.f.clock, logger: w.logger, graceMs: GRACE_MS, batchSize: 3 });
  cases = [await startConstructionPermit(w.f), await startConstructionPermit(w.f), await startConstructionPermit(w.f)];
  await approveOpenTask(w.f, cases[0]!, 'window', 'window.clerk');
});
afterAll(async () => {
  await queues.close();
  await w.close();
});

const pendingTimers = () =>
  w.f.sql<{ id: string; caseId: string; kind: string; dueAtMs: number }[]>`
    select id, case_id as "caseId", kind, (extract(epoch from due_at) * 1000)::float8 as "dueAtMs"
    from timers where status = 'pending' order by due_at, id`;
const jobState = async (jobId: string) => (await (await queues.timers.getJob(jobId))?.getState()) ?? 'missing';

describe('reconciler', () => {
  it('rebuilds every pending timer and undelivered notification from PostgreSQL, and only those', async () => {
    const [delivered] = await w.f.sql<{ id: string }[]>`
      update notifications set delivered_at = now() where id = (select min(id::text)::uuid from notifications) returning id`;
    const [cancelled] = await w.f.sql<{ id: string }[]>`select id from timers where status = 'cancelled'`;
    const pending = await pendingTimers();
    const undelivered = await w.f.sql<{ id: string }[]>`select id from notifications where delivered_at is null`;
    expect(pending).toHaveLength(2 + 2 + 1 + 5);
    expect(undelivered).toHaveLength(2 + 2 + 7 - 1);

    expect(await reconciler.reconcile()).toEqual({ timers: 10, notifications: 10, complete: true });

    for (const timer of pending) {
      const job = await queues.timers.getJob(timerJobId(timer.id));
      expect(await job?.getState()).toBe('delayed');
      expect(job?.delay).toBe(timer.dueAtMs - w.f.clock.now().getTime());
    }
    for (const { id } of undelivered) expect(await (await queues.notifications.getJob(notificationJobId(id)))?.getState()).toBe('waiting');
    expect(await queues.notifications.getJob(notificationJobId(delivered?.id ?? ''))).toBeUndefined();
    expect(await queues.timers.getJob(timerJobId(cancelled?.id ?? ''))).toBeUndefined();

    // Again: BullMQ keeps one job per id.
    const counts = { timers: await queues.timers.getJobCounts(), notifications: await queues.notifications.getJobCounts() };
    await reconciler.reconcile();
    expect({ timers: await queues.timers.getJobCounts(), notifications: await queues.notifications.getJobCounts() }).toEqual(counts);
    expect(counts.timers['delayed']).toBe(10);
    expect(counts.notifications['waiting']).toBe(10);
  });

  it('sweeps timers overdue beyond the grace period: adds a lost job, promotes one delayed too long', async () => {
    const acceptance = (await pendingTimers()).filter((t) => t.kind === 'task.deadline' && t.caseId !== cases[0]);
    expect(acceptance).toHaveLength(2);
    const [lost, late] = acceptance as [(typeof acceptance)[0], (typeof acceptance)[0]];
    await queues.timers.remove(timerJobId(lost.id));

    // Overdue, but within the grace period: their jobs may be firing right now.
    w.f.clock.set(new Date(Math.max(lost.dueAtMs, late.dueAtMs) + GRACE_MS / 2));
    expect(await reconciler.sweepOverdue()).toBe(0);

    w.f.clock.advance({ ms: GRACE_MS });
    expect(await reconciler.sweepOverdue()).toBe(2);
    expect(await jobState(timerJobId(lost.id))).toBe('waiting');
    expect(await jobState(timerJobId(late.id))).toBe('waiting');
    const notDue = (await pendingTimers()).filter((t) => t.id !== lost.id && t.id !== late.id);
    for (const timer of notDue) expect(await jobState(timerJobId(timer.id))).toBe('delayed');

    // Nothing left to move: both wait for a worker.
    expect(await reconciler.sweepOverdue()).toBe(0);
  });

  it('rebuilds on its first tick and whenever the marker is gone, once per fleet', async () => {
    const fresh = new Reconciler({ sql: w.f.sql, queues, redis: w.redis, clock: w.f.clock, logger: w.logger });
    const rebuilds = () => w.logger.records.filter((r) => r.event === 'reconciler.rebuilt').length;
    const review = (await pendingTimers()).find((t) => t.caseId === cases[0] && t.kind === 'task.deadline');
    if (!review) throw new Error('no review deadline');

    await fresh.tick();
    expect(rebuilds()).toBe(1);
    expect(await w.redis.exists(fresh.markerKey)).toBe(1);

    // The marker is there: a missing job is not the tick's business (the sweep takes it when overdue).
    await queues.timers.remove(timerJobId(review.id));
    await fresh.tick();
    expect(rebuilds()).toBe(1);
    expect(await jobState(timerJobId(review.id))).toBe('missing');

    // Another process holds the rebuild: this one leaves it alone.
    await w.redis.del(fresh.markerKey);
    await w.redis.set(fresh.lockKey, 'another process');
    await fresh.tick();
    expect(rebuilds()).toBe(1);
    expect(w.logger.records.filter((r) => r.event === 'reconciler.rebuild-skipped')).toHaveLength(1);

    // Redis lost everything of this prefix, lock included.
    await deleteKeysWithPrefix(w.prefix);
    await fresh.tick();
    expect(rebuilds()).toBe(2);
    expect(await jobState(timerJobId(review.id))).toBe('delayed');
    expect(await w.redis.exists(fresh.markerKey)).toBe(1);
    expect(await w.redis.exists(fresh.lockKey)).toBe(0);
  });

  it('reads pending timers through the partial index timers_pending_due_idx', async () => {
    // Like production: many timers, most settled, the pending ones due over the coming weeks.
    const now = w.f.clock.now().toISOString();
    await w.f.sql`
      insert into timers (id, case_id, kind, event, due_at, status)
      select gen_random_uuid(), ${cases[1]!}, 'machine.delay', '{"type":"x"}', ${now}::timestamptz + make_interval(mins => n),
        case when n % 5 < 2 then 'pending' else 'fired' end
      from generate_series(1, 50000) as n`;
    await w.f.sql`analyze timers`;
    try {
      const sweep = new Date(w.f.clock.now().getTime() - GRACE_MS).toISOString();
      const midway = new Date(w.f.clock.now().getTime() + 14 * 86_400_000).toISOString();
      for (const [cursorDueAt, dueBefore] of [['-infinity', sweep], ['-infinity', 'infinity'], [midway, 'infinity']]) {
        const params = [cursorDueAt, '00000000-0000-0000-0000-000000000000', dueBefore, 1000];
        const plan = await w.f.sql.unsafe(`explain ${PENDING_TIMERS_SQL}`, params as string[]);
        expect(plan.map((row) => String(row['QUERY PLAN'])).join('\n')).toContain('Index Scan using timers_pending_due_idx');
      }
    } finally {
      await w.f.sql`delete from timers where kind = 'machine.delay'`;
    }
  });
});
