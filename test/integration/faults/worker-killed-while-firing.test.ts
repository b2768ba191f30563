import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { timerJobId } from '../../../workers/queues.js';
import { createEngineFixture, type EngineFixture } from '../../support/engine-fixture.js';
import { Fleet, type FleetProcess } from '../../support/fleet.js';
import { expectReviewRungsFiredOnce, nothingPendingDue, pastTheReviewsDue, reviewsUnderWay, timersQueue } from '../../support/fired-once.js';
import { testQueuePrefix } from '../../support/test-redis.js';
import { waitFor } from '../workers/worker-test-kit.js';

/**
 * Issue 18, scenario 1: a workers process SIGKILLed in the middle of firing a deadline.
 *
 * Fault: a batch of construction permits stands past its five reviews' due (each review's rung timer reaches yellow
 * and red, the red one escalating to the lead department). A first workers process is killed at its first fires
 * *before the commit* — inside the fire's transaction, the commit statement written, the case row locked, COMMIT not
 * sent (`TONGBAN_TEST_HALT_FIRE=before-commit`, test/support/fire-faults.ts) — so PostgreSQL rolls it back; a second
 * is killed at its first fires *after the commit, before the job is acknowledged* (`after-commit`), so BullMQ still
 * holds the job as active under a lock nobody renews; a third takes over (the stalled-job check hands it both
 * processes' jobs).
 *
 * Expected, from PostgreSQL: each rung on its clock once, told once, its escalation once; every due timer `fired`
 * with one audit event; no incident; every audit chain verifies; every case's reviews red (none lost).
 *
 * It replaces test/integration/workers/worker-killed.test.ts, which spawned the workers through the `tsx` command:
 * its SIGKILL hit the wrapper and left the real worker running as an orphan, so it never killed anything mid-fire.
 */
const CASES = 3;
/** BullMQ's stalled check hands a dead process's jobs on after about this (its default is 30 s). */
const LOCK_MS = '1000';
let f: EngineFixture;
let fleet: Fleet;
let timers: ReturnType<typeof timersQueue>;
const prefix = testQueuePrefix();
let caseIds: string[];

beforeAll(async () => {
  f = await createEngineFixture();
  caseIds = await reviewsUnderWay(f, CASES);
  fleet = new Fleet({ databaseUrl: f.db.url, redisUrl: inject('redisUrl'), prefix, now: await pastTheReviewsDue(f.sql, caseIds) });
  timers = timersQueue(prefix);
});
afterAll(async () => {
  await fleet?.close();
  await timers?.close();
  await f?.close();
});

/** Starts a workers process halting its fires at `halt`, waits until it has halted one, and returns that timer. */
async function haltedAt(halt: 'before-commit' | 'after-commit'): Promise<{ workers: FleetProcess; timerId: string }> {
  const workers = await fleet.workers({ TONGBAN_TEST_HALT_FIRE: halt, TONGBAN_TEST_LOCK_MS: LOCK_MS });
  const line = await waitFor(`a fire halted ${halt}`, async () => workers.lines.find((l) => l.startsWith(`halted ${halt} `)), 20_000);
  return { workers, timerId: line.slice(`halted ${halt} `.length) };
}

const timerStatus = async (id: string) => (await f.sql<{ status: string }[]>`select status from timers where id = ${id}`)[0]?.status;
const versions = () => f.sql<{ id: string; version: number }[]>`select id, version from cases where id in ${f.sql(caseIds)} order by id`;

describe('a workers process SIGKILLed in the middle of firing deadlines', () => {
  it('before the commit and after it: each rung, its notices and its escalation happen once, no case is lost', async () => {
    const before = await versions();

    // Killed before the commit: the fire holds the case's row lock with its writes done, uncommitted.
    const first = await haltedAt('before-commit');
    const lockError = await f.sql`select id from cases where id = (select case_id from timers where id = ${first.timerId}) for update nowait`.catch((e: unknown) => e);
    expect(lockError).toMatchObject({ code: '55P03' }); // lock_not_available: the transaction is open
    await first.workers.kill('SIGKILL');
    expect(await timerStatus(first.timerId)).toBe('pending'); // rolled back
    expect(await versions()).toEqual(before);

    // Killed after the commit, before the acknowledgement: the fire is in PostgreSQL, its job still active in Redis.
    const second = await haltedAt('after-commit');
    expect(await timerStatus(second.timerId)).toBe('fired');
    expect(await timers.queue.getJobState(timerJobId(second.timerId))).toBe('active');
    await second.workers.kill('SIGKILL');

    // A third process takes over: it is handed the jobs both left active, and everything due fires.
    const third = await fleet.workers({ TONGBAN_TEST_LOCK_MS: LOCK_MS });
    const now = fleet.now();
    await waitFor('every due timer to fire', () => nothingPendingDue(f.sql, caseIds, now), 30_000);
    // The job the second left active is handed on and finished — run again, changing nothing, or failed by BullMQ had it
    // stalled twice — and so removed: nothing of it is left to fire.
    await waitFor('the job left active by the second process to be finished', async () => (await timers.queue.getJobState(timerJobId(second.timerId))) === 'unknown', 30_000);
    await third.kill('SIGTERM');

    await expectReviewRungsFiredOnce(f.sql, caseIds, now);
  }, 60_000); // three processes started one after another: ~2 s each on an idle machine, far more on a busy one
});
