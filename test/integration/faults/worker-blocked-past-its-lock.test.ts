import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { timerJobId } from '../../../workers/queues.js';
import { createEngineFixture, type EngineFixture } from '../../support/engine-fixture.js';
import { Fleet, type FleetProcess } from '../../support/fleet.js';
import { expectReviewRungsFiredOnce, nothingPendingDue, pastTheReviewsDue, reviewsUnderWay, timersQueue } from '../../support/fired-once.js';
import { testQueuePrefix } from '../../support/test-redis.js';
import { waitFor } from '../workers/worker-test-kit.js';

/**
 * Issue 18, scenario 2: a worker's event loop blocks past its job's lock, so a second worker runs the same job.
 *
 * Fault: two workers processes, their timer jobs' lock and stalled check shortened to 1 s, start before a batch of
 * construction permits passes its reviews' due; the first of them to fire a timer blocks its whole event loop before
 * firing it (a synchronous wait, `TONGBAN_TEST_BLOCK_FIRE_UNTIL`, test/support/fire-faults.ts). It renews no lock
 * meanwhile, so the other's stalled check takes the job — and any other job the blocked one held — and fires them.
 * Only once that job is finished does the test wake the blocked process, which goes on to fire the timer it had.
 *
 * Expected: the late attempt changes nothing (the timer is no longer pending: the engine fires a timer only while it
 * is, under the case's row lock, and a commit only on the version it read); each rung once, each notice once, one
 * audit event per timer; the first process's lost job is logged, as the worker's lost lock, and is neither an incident
 * nor retried.
 */
const CASES = 2;
const LOCK_MS = '1000';
let f: EngineFixture;
let fleet: Fleet;
const prefix = testQueuePrefix();
let caseIds: string[];
let timers: ReturnType<typeof timersQueue>;

beforeAll(async () => {
  f = await createEngineFixture();
  caseIds = await reviewsUnderWay(f, CASES);
  // The fleet starts before anything is due, so that both processes are up before the first fire.
  fleet = new Fleet({ databaseUrl: f.db.url, redisUrl: inject('redisUrl'), prefix, now: f.clock.now() });
  timers = timersQueue(prefix);
});
afterAll(async () => {
  await fleet?.close();
  await timers?.close();
  await f?.close();
});

const caseRows = () => f.sql`select id, version, audit_seq from cases where id in ${f.sql(caseIds)} order by id`;

describe('a worker whose event loop blocks past its job lock', () => {
  // Two workers processes start (tsx compiles each) before the first fire: half a minute on a saturated 2-core box.
  it('loses the job to another, which fires it; its own late attempt changes nothing and is logged, not retried', { timeout: 120_000 }, async () => {
    const release = join(tmpdir(), `tongban-release-${randomUUID()}`);
    const env = { TONGBAN_TEST_BLOCK_FIRE_UNTIL: release, TONGBAN_TEST_LOCK_MS: LOCK_MS };
    const processes = await Promise.all([fleet.workers(env), fleet.workers(env)]);
    const now = await pastTheReviewsDue(f.sql, caseIds);
    await fleet.setClock(now);

    // Whichever fires first blocks; the other's stalled check takes its jobs and fires every due timer.
    const blockedLine = (p: FleetProcess) => p.lines.find((l) => l.startsWith('blocked '));
    const blocked = await waitFor('a process to block', async () => processes.find(blockedLine), 60_000);
    const timerId = blockedLine(blocked)!.slice('blocked '.length);
    await waitFor('the other process to fire every due timer', () => nothingPendingDue(f.sql, caseIds, now), 30_000);
    const [taken] = await f.sql<{ status: string }[]>`select status from timers where id = ${timerId}`;
    expect(taken?.status).toBe('fired'); // by the other: the blocked one has not run a line since
    // Its lock lapsed and the other's stalled check took the job, ran it and acknowledged it (finished jobs are removed).
    await waitFor('the job to be taken over and finished', async () => (await timers.queue.getJobState(timerJobId(timerId))) === 'unknown', 20_000);
    const settled = await caseRows();

    // The blocked one wakes and fires what it held: the timer is fired already, so nothing changes.
    writeFileSync(release, '');
    const late = await waitFor('the woken process to try its late fire', async () => blocked.lines.find((l) => l.startsWith(`after waking ${timerId} `)), 20_000);
    expect(late).toBe(`after waking ${timerId} changed=false`);
    await waitFor('the woken process to log the job it lost', async () => blocked.events('timer.worker-error').find((e) => String(e['error']).includes(`for job timer-${timerId}. moveToFinished`)), 20_000);
    expect(await caseRows()).toEqual(settled);
    // Handled as a lost job, not as a failure of the timer: nothing retried, nothing given up.
    expect(processes.flatMap((p) => [...p.events('timer.retrying'), ...p.events('timer.failed')])).toEqual([]);

    await Promise.all(processes.map((p) => p.kill('SIGTERM')));
    for (const file of [release, `${release}.taken`]) rmSync(file, { force: true });
    await expectReviewRungsFiredOnce(f.sql, caseIds, now);
  });
});
