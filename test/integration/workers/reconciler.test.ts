import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PENDING_TIMERS_SQL, SCHEDULING_HORIZON_MS } from '../../../db/delivery-queries.js';
import { createQueues, timerJobId, type DeliveryQueues } from '../../../workers/queues.js';
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
  it('keeps the pending timers due within the horizon in BullMQ, walking each once, and nothing else', async () => {
    const [cancelled] = await w.f.sql<{ id: string }[]>`select id from timers where status = 'cancelled'`;
    const pending = await pendingTimers();
    // Each case: its deadline, its legal clock's, their two rung timers, and each open task's deadline and rung
    // timer (the acceptance; the first case's five reviews).
    expect(pending).toHaveLength(6 + 6 + 4 + 5 * 2);
    // Deadlines are days away: move the clock so that the horizon takes the earliest ones only.
    w.f.clock.set(new Date(pending[0]!.dueAtMs - SCHEDULING_HORIZON_MS / 2));
    const withinHorizon = (t: { dueAtMs: number }) => t.dueAtMs < w.f.clock.now().getTime() + SCHEDULING_HORIZON_MS;
    const near = pending.filter(withinHorizon);
    expect(near.length).toBeGreaterThan(0);
    expect(near.length).toBeLessThan(pending.length);

    expect(await reconciler.reconcile()).toEqual({ timers: near.length, complete: true });

    for (const timer of pending) {
      const job = await queues.timers.getJob(timerJobId(timer.id));
      if (!withinHorizon(timer)) {
        expect(job).toBeUndefined();
        continue;
      }
      expect(await job?.getState()).toBe('delayed');
      expect(job?.delay).toBe(timer.dueAtMs - w.f.clock.now().getTime());
    }
    expect(await queues.timers.getJob(timerJobId(cancelled?.id ?? ''))).toBeUndefined();
    // Nothing new within the horizon: the walk goes on from where it stopped and finds nothing.
    expect(await reconciler.scheduleUpcoming()).toBe(0);

    // Time passes: the walk takes what came within the horizon since, and only that.
    const next = pending.find((t) => !withinHorizon(t))!;
    w.f.clock.set(new Date(next.dueAtMs - SCHEDULING_HORIZON_MS / 2));
    const scheduled = pending.filter(withinHorizon);
    expect(await reconciler.scheduleUpcoming()).toBe(scheduled.length - near.length);
    for (const timer of pending) expect(await jobState(timerJobId(timer.id))).toBe(withinHorizon(timer) ? 'delayed' : 'missing');

    // Again from the start: BullMQ keeps one job per id.
    const counts = await queues.timers.getJobCounts();
    expect(await reconciler.reconcile()).toEqual({ timers: scheduled.length, complete: true });
    expect(await queues.timers.getJobCounts()).toEqual(counts);
    expect(counts['delayed']).toBe(scheduled.length);
  });

  it('sweeps timers overdue beyond the grace period: adds a lost job, promotes one delayed too long', async () => {
    const acceptance = (await pendingTimers()).filter((t) => t.kind === 'task.deadline' && t.caseId !== cases[0]);
    expect(acceptance).toHaveLength(2);
    const [lost, late] = acceptance as [(typeof acceptance)[0], (typeof acceptance)[0]];
    expect(await jobState(timerJobId(late.id))).toBe('delayed');
    await queues.timers.remove(timerJobId(lost.id));
    // Overdue, but within the grace period: their jobs may be firing right now. The acceptances' yellow rungs,
    // due at the midnight before, are overdue beyond it: the sweep hands them over now.
    w.f.clock.set(new Date(Math.max(lost.dueAtMs, late.dueAtMs) + GRACE_MS / 2));
    const earlier = (await pendingTimers()).filter((t) => t.dueAtMs <= w.f.clock.now().getTime() - GRACE_MS);
    expect(earlier.map((t) => t.kind)).toEqual(earlier.map(() => 'clock.rung'));
    const others = (await pendingTimers()).filter((t) => t.id !== lost.id && t.id !== late.id && !earlier.some((e) => e.id === t.id));
    const statesOf = (timers: typeof others) => Promise.all(timers.map((t) => jobState(timerJobId(t.id))));
    const before = await statesOf(others);
    expect(await reconciler.sweepOverdue()).toBe(earlier.length);

    w.f.clock.advance({ ms: GRACE_MS });
    expect(await reconciler.sweepOverdue()).toBe(2);
    expect(await jobState(timerJobId(lost.id))).toBe('waiting');
    expect(await jobState(timerJobId(late.id))).toBe('waiting');
    expect(await statesOf(others)).toEqual(before);

    // Nothing left to move: both wait for a worker.
    expect(await reconciler.sweepOverdue()).toBe(0);
  });

  it('rebuilds on its first tick and whenever the marker is gone, once per fleet', async () => {
    const fresh = new Reconciler({ sql: w.f.sql, queues, redis: w.redis, clock: w.f.clock, logger: w.logger });
    const rebuilds = () => w.logger.records.filter((r) => r.event === 'reconciler.rebuilt').length;
    const review = (await pendingTimers()).find((t) => t.caseId === cases[0] && t.kind === 'task.deadline');
    if (!review) throw new Error('no review deadline');
    w.f.clock.set(new Date(review.dueAtMs - SCHEDULING_HORIZON_MS / 2));

    await fresh.tick();
    expect(rebuilds()).toBe(1);
    expect(await w.redis.exists(fresh.markerKey)).toBe(1);

    // The marker is there: a missing job is not the tick's business (the walk has passed it; the sweep takes
    // it when overdue).
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
