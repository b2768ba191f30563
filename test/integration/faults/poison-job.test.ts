import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { QUEUE_NAMES, timerJobId } from '../../../workers/queues.js';
import { lastReconcilerRun } from '../../../workers/reconciler-heartbeat.js';
import { createApiFixture, type ApiFixture } from '../../support/api-fixture.js';
import { Fleet, type FleetProcess } from '../../support/fleet.js';
import { installPoisonTimer, startPoisonCase } from '../../support/poison-timer.js';
import { deleteKeysWithPrefix, testQueuePrefix } from '../../support/test-redis.js';
import { waitFor } from '../workers/worker-test-kit.js';

/**
 * Issue 18, scenario 11: a poison job.
 *
 * Fault: a timer whose firing fails every time (test/support/poison-timer.ts: its command opens a task that is open
 * already, which the commit statement refuses), run by a real workers process — three attempts 50 ms apart
 * (`TONGBAN_TEST_ATTEMPTS`), its reconciler sweeping overdue timers every 100 ms — with the API (in memory, on the same
 * database and clock).
 *
 * Expected: after its three attempts the timer is `failed` and one incident is open, listed by `GET /api/incidents`
 * for an administrator; never a silent loop: while the reconciler keeps ticking with the clock moving on, nothing
 * attempts it again (no further attempt logged, the incident's count stays at 3). Retried through the API once the
 * poison is removed (the task it would open twice is closed), it fires once, and the incident is resolved.
 * test/integration/incidents.test.ts covers the routes' permissions and re-failing in memory; workers/timer-incidents
 * the sweep against a job waiting out its backoff.
 */
const ATTEMPTS = 3;
let f: ApiFixture;
let fleet: Fleet;
let workers: FleetProcess;
let redis: Redis;
let queue: Queue;
const prefix = testQueuePrefix();

beforeAll(async () => {
  f = await createApiFixture();
  await installPoisonTimer(f);
  fleet = new Fleet({ databaseUrl: f.db.url, redisUrl: inject('redisUrl'), prefix, now: f.clock.now() });
  redis = new Redis(inject('redisUrl'), { maxRetriesPerRequest: null });
  queue = new Queue(QUEUE_NAMES.timers, { connection: redis, prefix });
  workers = await fleet.workers({ TONGBAN_TEST_ATTEMPTS: String(ATTEMPTS), TONGBAN_TEST_BACKOFF_MS: '50' });
}, 60_000);
afterAll(async () => {
  await fleet?.close();
  await queue?.close();
  await redis?.quit();
  await deleteKeysWithPrefix(prefix);
  await f?.close();
});

const admin = () => f.as('admin');
/** The workers' log lines of attempts at the timer's job: retries and the final failure. */
const attemptsLogged = (timerId: string) =>
  ['timer.retrying', 'timer.failed'].flatMap((event) => workers.events(event)).filter((e) => (e['data'] as { timerId?: string } | undefined)?.timerId === timerId);
/** The timer's status, and the types of the audit events that name it, in order. */
const timerOf = async (id: string) =>
  (await f.sql<{ status: string; audits: string[] }[]>`
    select status, array(select a.type from audit_events a where a.case_id = t.case_id and a.data->>'timerId' = t.id::text order by a.seq) as audits
    from timers t where id = ${id}`)[0];

/** Moves the engine's and the workers' clock onto `instant`. */
async function setClock(instant: Date): Promise<void> {
  f.clock.set(instant);
  await fleet.setClock(instant);
}

/** Moves the clock on and waits until the reconciler has finished a tick at the new instant. */
async function reconcilerTicksAt(instant: Date): Promise<void> {
  await setClock(instant);
  await waitFor('a reconciler tick', async () => (await lastReconcilerRun(redis, prefix))?.getTime() === instant.getTime());
}

describe('a poison job', () => {
  it('becomes one visible incident after its attempts, is never attempted again by itself, and fires once when retried', async () => {
    const poison = await startPoisonCase(f);
    const [before] = await f.sql`select version from cases where id = ${poison.caseId}`;
    await setClock(new Date(poison.dueAt.getTime() + 1_000));

    const [incident] = await waitFor('the incident listed', async () => {
      const listed = await admin().get('/api/incidents');
      return listed.body.items?.length > 0 && listed.body.items;
    });
    expect(incident).toMatchObject({ caseId: poison.caseId, timerId: poison.timerId, timerStatus: 'failed', attempts: ATTEMPTS, resolvedAt: null });
    expect(incident.error).toContain('tasks_open_key_idx');
    expect(new Date(incident.firstFailedAt).getTime()).toBeLessThanOrEqual(new Date(incident.lastFailedAt).getTime());
    // The incident commits inside the last attempt; the worker logs the failure once that attempt has thrown.
    await waitFor('the last attempt logged', async () => attemptsLogged(poison.timerId).length === ATTEMPTS);
    expect(attemptsLogged(poison.timerId).map((e) => e['event'])).toEqual([...Array(ATTEMPTS - 1).fill('timer.retrying'), 'timer.failed']);

    // Not a silent loop: the reconciler ticks on, minutes apart, and nothing delivers the failed timer again.
    for (let minutes = 10; minutes <= 30; minutes += 10) await reconcilerTicksAt(new Date(poison.dueAt.getTime() + minutes * 60_000));
    expect(attemptsLogged(poison.timerId)).toHaveLength(ATTEMPTS);
    expect((await admin().get('/api/incidents')).body.items).toEqual([expect.objectContaining({ id: incident.id, attempts: ATTEMPTS })]);
    expect(await timerOf(poison.timerId)).toEqual({ status: 'failed', audits: [] });
    expect(await queue.getJob(timerJobId(poison.timerId))).toBeUndefined(); // failed jobs are removed: the incident is the record
    expect(await f.sql`select version from cases where id = ${poison.caseId}`).toEqual([before]);

    // The poison removed — the task the timer would open a second time is closed, as an operator's data fix would
    // (the poison process accepts no command that closes it) — the administrator retries: it fires once.
    await f.sql`update tasks set status = 'cancelled' where case_id = ${poison.caseId} and key = 'review' and status = 'open'`;
    const retried = await admin().post(`/api/incidents/${incident.id}/retry`);
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    await waitFor('the retried timer to fire', async () => (await timerOf(poison.timerId))?.status === 'fired');

    expect(await timerOf(poison.timerId)).toEqual({ status: 'fired', audits: ['incident.retried', 'xstate.after.60000.poison-timer.waiting'] });
    expect(attemptsLogged(poison.timerId)).toHaveLength(ATTEMPTS);
    expect((await admin().get('/api/incidents')).body.items).toEqual([]);
    const resolved = await admin().get('/api/incidents?resolved=true');
    expect(resolved.body.items).toEqual([expect.objectContaining({ id: incident.id, timerStatus: 'fired', resolution: 'retried', resolvedBy: 'admin' })]);
    const [state] = await f.sql`select state_label from cases where id = ${poison.caseId}`;
    expect(state?.['state_label']).toBe('reopened');
  });
});
