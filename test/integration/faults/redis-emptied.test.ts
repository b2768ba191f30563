import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEDULING_HORIZON_MS } from '../../../db/delivery-queries.js';
import { QUEUE_NAMES, timerJobId } from '../../../workers/queues.js';
import { CONSTRUCTION_PERMIT_REVIEWS } from '../../../workflows/construction-permit.js';
import { createEngineFixture, type EngineFixture } from '../../support/engine-fixture.js';
import { Fleet } from '../../support/fleet.js';
import { expectReviewRungsFiredOnce } from '../../support/fired-once.js';
import { startPrivateRedis, type PrivateRedis } from '../../support/private-services.js';
import { testQueuePrefix } from '../../support/test-redis.js';
import { approveOpenTask, startConstructionPermit, waitFor } from '../workers/worker-test-kit.js';

/**
 * Issue 18, scenario 4: Redis is flushed, and separately restarted without persistence.
 *
 * Fault: a batch of construction permits in joint review, fired by a real workers process on a private Redis (its
 * reconciler ticking every 100 ms). Redis loses everything three times on the way to the licences: `FLUSHALL` before
 * the reviews' first rungs, a restart (empty: no persistence) before the later ones, `FLUSHALL` again during the
 * public notice. Each time, the clock stands half an hour before the next due, so that Redis holds that timer's job
 * (the reconciler's walk put it there) and nothing is overdue (the sweep has nothing to do); then it steps onto each
 * due instant in turn.
 *
 * Expected: the reconciler rebuilds every pending timer within its horizon from PostgreSQL each time (its marker gone
 * with the rest): their jobs are back, by id, before they are due. So every rung fires once on time (`fired_at` a step of the test clock past `due_at`), is on its clock's ledger and told once (red escalating
 * to the lead department), and every case reaches its end: approved, its licence issued. This replaces
 * test/integration/workers/redis-loss.test.ts and rungs-under-faults.test.ts, which emptied only their prefix of the
 * shared Redis with in-process workers and the reconciler ticked by hand.
 */
const CASES = 3;
/** How late the test fires a timer: the step past its due (see {@link stepOnto}). */
const LATENESS_MS = 1_000;
let f: EngineFixture;
let redis: PrivateRedis;
let fleet: Fleet;
let connection: Redis;
let queue: Queue;
const prefix = testQueuePrefix();
const caseIds: string[] = [];

beforeAll(async () => {
  [f, redis] = await Promise.all([createEngineFixture(), startPrivateRedis()]);
  for (let i = 0; i < CASES; i++) {
    const id = await startConstructionPermit(f);
    await approveOpenTask(f, id, 'window', 'window.clerk');
    caseIds.push(id);
  }
  fleet = new Fleet({ databaseUrl: f.db.url, redisUrl: redis.url, prefix, now: f.clock.now() });
  connection = new Redis(redis.url, { maxRetriesPerRequest: null });
  connection.on('error', () => {}); // refused while the server restarts
  queue = new Queue(QUEUE_NAMES.timers, { connection, prefix });
  queue.on('error', () => {});
  await fleet.workers();
}, 60_000);
afterAll(async () => {
  await fleet?.close();
  await queue?.close();
  connection?.disconnect();
  await redis?.stop();
  await f?.close();
});

/** What losing Redis' whole content looks like from outside: FLUSHALL on the server. */
async function flushAll(): Promise<void> {
  const connection = new Redis(redis.url);
  try {
    await connection.flushall();
  } finally {
    connection.disconnect();
  }
}

/** The next instant a pending timer of the cases falls due, or null. */
async function nextDue(): Promise<Date | null> {
  const [row] = await f.sql<{ due: Date | null }[]>`select min(due_at) as due from timers where case_id in ${f.sql(caseIds)} and status = 'pending'`;
  return row?.due ? new Date(row.due) : null;
}

/** Moves the engine's and the fleet's clock onto `instant`. */
async function setClock(instant: Date): Promise<void> {
  f.clock.set(instant);
  await fleet.setClock(instant);
}

/** Waits until Redis holds a job for every pending timer due within the reconciler's horizon. */
async function jobsForPendingTimers(): Promise<void> {
  const horizon = new Date(fleet.now().getTime() + SCHEDULING_HORIZON_MS);
  const pending = await f.sql<{ id: string }[]>`
    select id from timers where case_id in ${f.sql(caseIds)} and status = 'pending' and due_at <= ${horizon.toISOString()}::timestamptz`;
  expect(pending.length).toBeGreaterThan(0);
  await waitFor('a job for every pending timer within the horizon', async () => (await Promise.all(pending.map((t) => queue.getJob(timerJobId(t.id))))).every(Boolean));
}

/** Half an hour before the next due, with its jobs in Redis: empties Redis with `empty`, and waits for the rebuild. */
async function emptyBeforeTheNextDue(empty: () => Promise<void>): Promise<void> {
  await setClock(new Date((await nextDue())!.getTime() - 30 * 60_000));
  await jobsForPendingTimers();
  await empty();
  await jobsForPendingTimers();
}

/**
 * Moves the clock a second past `instant` and waits until every timer due by then has fired. A second past: a job in
 * Redis waits out its delay on the wall clock, which a test clock jumping ahead leaves behind; the reconciler's sweep
 * (no grace in the fleet) hands over what is past due, as the wall clock would have.
 */
async function stepOnto(due: Date): Promise<void> {
  const instant = new Date(due.getTime() + LATENESS_MS);
  await setClock(instant);
  await waitFor(
    `the timers due at ${instant.toISOString()} to fire`,
    async () => {
      const [row] = await f.sql<{ n: number }[]>`
        select count(*)::int as n from timers where case_id in ${f.sql(caseIds)} and status = 'pending' and due_at <= ${instant.toISOString()}::timestamptz`;
      return row!.n === 0;
    },
    20_000,
  );
}

/** Steps onto every due instant of the pending timers up to `until`, each in turn. */
async function stepThrough(until: Date): Promise<void> {
  for (let due = await nextDue(); due && due <= until; due = await nextDue()) await stepOnto(due);
}

describe('Redis flushed, and restarted without persistence', () => {
  it('rebuilds every pending timer: each rung fires once at its instant and every case ends with its licence', async () => {
    const [reviews] = await f.sql<{ due: Date }[]>`select max(due_at) as due from tasks where case_id in ${f.sql(caseIds)} and key like 'review.%'`;
    const reviewsDue = new Date(reviews!.due);
    const firstRung = (await nextDue())!;
    expect(firstRung < reviewsDue).toBe(true);

    // Flushed before the first rung; restarted empty before the rest of the reviews' rungs and their deadline.
    await emptyBeforeTheNextDue(flushAll);
    await stepOnto(firstRung);
    await emptyBeforeTheNextDue(() => redis.restart());
    await stepThrough(reviewsDue);
    await expectReviewRungsFiredOnce(f.sql, caseIds, reviewsDue);

    // The reviews approve and the lead decides: the public notice runs; Redis is flushed again while it does.
    for (const caseId of caseIds) {
      for (const { department } of CONSTRUCTION_PERMIT_REVIEWS) await approveOpenTask(f, caseId, department, `${department}.handler`);
      await approveOpenTask(f, caseId, 'housing', 'housing.lead');
    }
    const [period] = await f.sql<{ due: Date }[]>`select max(due_at) as due from timers where case_id in ${f.sql(caseIds)} and kind = 'period' and status = 'pending'`;
    await emptyBeforeTheNextDue(flushAll);
    await stepThrough(new Date(period!.due));

    const ended = await f.sql<{ status: string; state: string; licences: number }[]>`
      select status, state_label as state, (select count(*) from licences l where l.case_id = c.id)::int as licences from cases c where id in ${f.sql(caseIds)}`;
    expect(ended).toEqual(caseIds.map(() => ({ status: 'approved', state: 'issued', licences: 1 })));
    const timers = await f.sql<{ status: string; onTime: boolean; audits: number }[]>`
      select status, fired_at between due_at and due_at + ${`${LATENESS_MS} milliseconds`}::interval as "onTime",
        (select count(*) from audit_events a where a.case_id = t.case_id and a.data->>'timerId' = t.id::text)::int as audits
      from timers t where case_id in ${f.sql(caseIds)} and status <> 'cancelled'`;
    expect(timers.filter((t) => t.status !== 'fired' || !t.onTime || t.audits !== 1)).toEqual([]);
  });
});
