import { UnrecoverableError } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

/** One attempt of the timer's job, as the timer worker runs it, on a delivery of three attempts. */
async function attempt(attemptsMade: number, firstFailedAt?: string): Promise<unknown> {
  const job: TimerJob = {
    data: { timerId: poison.timerId, ...(firstFailedAt ? { firstFailedAt } : {}) },
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
    expect((await f.as('admin').get('/api/incidents?resolved=true')).body.items).toEqual([expect.objectContaining({ id: incidentId, timerStatus: 'pending' })]);
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
