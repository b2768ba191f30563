import { UnrecoverableError } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoActor } from '../../apps/demo-users.js';
import { openTimerIncident } from '../../db/timer-incidents.js';
import { caseId as asCaseId } from '../../engine/ids.js';
import { fireTimerJob, type TimerJob } from '../../workers/timer-worker.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { installPoisonTimer, startPoisonCase } from '../support/poison-timer.js';

let f: ApiFixture;
let poison: { caseId: string; timerId: string; dueAt: Date };

beforeAll(async () => {
  f = await createApiFixture();
  await installPoisonTimer(f);
  poison = await startPoisonCase(f);
  f.clock.set(new Date(poison.dueAt.getTime() + 5 * 60_000));
});
afterAll(() => f.close());

/** One attempt of the timer's job (the poison case's unless told), as the timer worker runs it, on a delivery of three attempts. */
async function attempt(attemptsMade: number, firstFailedAt?: string, timerId = poison.timerId): Promise<unknown> {
  const job: TimerJob = {
    data: { timerId, ...(firstFailedAt ? { firstFailedAt } : {}) },
    attemptsMade,
    opts: { attempts: 3 },
    moveToDelayed: () => Promise.resolve(),
    updateData: (data) => Promise.resolve(void (job.data = data)),
  };
  return fireTimerJob(job, undefined, { engine: f.engine, clock: f.clock, sql: f.sql }).catch((error: unknown) => error);
}

const incidentRows = () =>
  f.sql<{ id: string; attempts: number; resolvedAt: string | null; resolvedBy: string | null }[]>`
    select id, attempts, resolved_at::text as "resolvedAt", resolved_by as "resolvedBy" from timer_incidents
    where timer_id = ${poison.timerId} order by first_failed_at, id`;
const timerStatus = async () => (await f.sql<{ status: string }[]>`select status from timers where id = ${poison.timerId}`)[0]?.status;

describe('incidents', () => {
  let incidentId: string;

  it('the last failed attempt opens one; administrators list it, no one else', async () => {
    const firstFailure = new Date(f.clock.now().getTime() - 60_000).toISOString();
    const error = await attempt(2, firstFailure);
    expect(error).toBeInstanceOf(UnrecoverableError);
    expect(await timerStatus()).toBe('failed');

    const listed = await f.as('admin').get('/api/incidents');
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        caseId: poison.caseId,
        timerId: poison.timerId,
        timerKind: 'machine.delay',
        timerStatus: 'failed',
        attempts: 3,
        firstFailedAt: firstFailure,
        lastFailedAt: f.clock.now().toISOString(),
        resolvedAt: null,
        resolvedBy: null,
      }),
    ]);
    expect(listed.body.items[0].error).toContain('tasks_open_key_idx');
    incidentId = listed.body.items[0].id;
    for (const user of ['supervisor', 'housing.lead', 'designer']) {
      expect((await f.as(user).get('/api/incidents')).body.code, user).toBe('TB-PERMISSION');
      expect((await f.as(user).post(`/api/incidents/${incidentId}/retry`)).status, user).toBe(403);
    }
  });

  it('a retry re-arms the timer, resolves the incident and is audited in the case chain', async () => {
    const [before] = await f.sql<{ version: number }[]>`select version from cases where id = ${poison.caseId}`;
    const relayed = () => f.sql`select id from outbox where case_id = ${poison.caseId} and sent_at is null and payload->>'timerId' = ${poison.timerId}`;
    const relayedBefore = (await relayed()).length;
    const retried = await f.as('admin').post(`/api/incidents/${incidentId}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ caseId: poison.caseId, version: before?.version, changed: true });

    expect(await timerStatus()).toBe('pending');
    expect(await incidentRows()).toEqual([expect.objectContaining({ id: incidentId, resolvedBy: 'admin', resolvedAt: expect.any(String) })]);
    // Relayed at once: it is overdue.
    expect(await relayed()).toHaveLength(relayedBefore + 1);
    const [event] = await f.sql`select type, actor_id, data from audit_events where case_id = ${poison.caseId} order by seq desc limit 1`;
    expect(event).toMatchObject({ type: 'incident.retried', actor_id: 'admin', data: { incidentId, timerId: poison.timerId, kind: 'machine.delay' } });
    expect((await f.as('admin').get(`/api/cases/${poison.caseId}/audit/verification`)).body).toMatchObject({ ok: true });

    expect((await f.as('admin').get('/api/incidents')).body.items).toEqual([]);
    expect((await f.as('admin').get('/api/incidents?resolved=true')).body.items).toEqual([expect.objectContaining({ id: incidentId, timerStatus: 'pending', resolution: 'retried' })]);
  });

  it('a retried incident cannot be retried again; an unknown one is not found', async () => {
    const again = await f.as('admin').post(`/api/incidents/${incidentId}/retry`);
    expect([again.status, again.body.code]).toEqual([409, 'TB-INCIDENT-STATE']);
    const unknown = await f.as('admin').post('/api/incidents/00000000-0000-4000-8000-000000000000/retry');
    expect([unknown.status, unknown.body.code]).toEqual([404, 'TB-INCIDENT-404']);
  });

  it('a re-armed timer gets fresh attempts: failing again retries first, then opens a new incident', async () => {
    expect(String(await attempt(0))).toContain('tasks_open_key_idx');
    expect(await timerStatus()).toBe('pending');
    expect(await attempt(2)).toBeInstanceOf(UnrecoverableError);
    expect(await timerStatus()).toBe('failed');
    const rows = await incidentRows();
    expect(rows.map((r) => [r.attempts, r.resolvedBy])).toEqual([
      [3, 'admin'],
      [3, null],
    ]);
  });
});

describe('an incident of a case that closes', () => {
  it('is resolved with the case: its timer cancelled, listed as resolved (case-closed), the audit chain intact', async () => {
    const closing = await startPoisonCase(f);
    f.clock.set(new Date(Math.max(f.clock.now().getTime(), closing.dueAt.getTime() + 60_000)));
    expect(await attempt(2, undefined, closing.timerId)).toBeInstanceOf(UnrecoverableError);
    const open = (await f.as('admin').get('/api/incidents')).body.items.find((i: { caseId: string }) => i.caseId === closing.caseId);
    expect(open).toMatchObject({ timerStatus: 'failed', resolvedAt: null });

    // The poison process ends on a supplement: the case closes while its delay is failed.
    await f.engine.execute({
      type: 'supplement.submit',
      actor: demoActor('window.clerk'),
      caseId: asCaseId(closing.caseId),
      materials: [{ name: '补正材料 Supplement', sha256: 'c'.repeat(64), sizeBytes: 4096 }],
    });
    const [closed] = await f.sql<{ status: string; completedAt: string }[]>`
      select status, completed_at::text as "completedAt" from cases where id = ${closing.caseId}`;
    expect(closed?.status).toBe('refused');

    const listed = (await f.as('admin').get('/api/incidents')).body.items;
    expect(listed.map((i: { id: string }) => i.id)).not.toContain(open.id);
    const resolved = (await f.as('admin').get('/api/incidents?resolved=true')).body.items;
    expect(resolved).toContainEqual(
      expect.objectContaining({ id: open.id, timerStatus: 'cancelled', resolvedAt: new Date(closed!.completedAt).toISOString(), resolvedBy: 'system', resolution: 'case-closed' }),
    );
    const retried = await f.as('admin').post(`/api/incidents/${open.id}/retry`);
    expect([retried.status, retried.body.code]).toEqual([409, 'TB-INCIDENT-STATE']);
    expect((await f.as('admin').get(`/api/cases/${closing.caseId}/audit/verification`)).body).toMatchObject({ ok: true });
  });
});

describe('a timer given up while its case is closing', () => {
  it('is not failed and opens no incident: the close wins, the timer is cancelled with the case', async () => {
    const c = await startPoisonCase(f);
    // The closing command holds the case row from its first round trip to its commit.
    const closing = await f.sql.reserve();
    await closing`begin`;
    await closing`select id from cases where id = ${c.caseId} for update`;
    const at = f.clock.now();
    const givenUp = openTimerIncident(f.sql, { timerId: c.timerId, error: 'boom', attempts: 3, firstFailedAt: at, lastFailedAt: at });
    // Let the worker's statement reach the case row (it waits there once it takes the case lock first).
    for (let i = 0; i < 40; i++) {
      const [waiting] = await f.sql<{ n: number }[]>`select count(*)::int as n from pg_locks where not granted`;
      if ((waiting?.n ?? 0) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    // What the closing commit writes: pending timers cancelled, the case closed.
    await closing`update timers set status = 'cancelled' where case_id = ${c.caseId} and status = 'pending'`;
    await closing`update cases set status = 'refused', completed_at = ${at.toISOString()} where id = ${c.caseId}`;
    await closing`commit`;
    closing.release();

    expect(await givenUp).toBeNull();
    const [timer] = await f.sql<{ status: string }[]>`select status from timers where id = ${c.timerId}`;
    expect(timer?.status).toBe('cancelled');
    expect(await f.sql`select id from timer_incidents where timer_id = ${c.timerId}`).toHaveLength(0);
  });
});
