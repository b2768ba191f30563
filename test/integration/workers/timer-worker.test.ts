import { randomUUID } from 'node:crypto';
import { DelayedError, UnrecoverableError, type Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommitRefusedError, ForbiddenError, TimerNotDueError } from '../../../engine/errors.js';
import { createQueues, DELIVERY_JOB_OPTIONS, timerJobId, type DeliveryQueues, type TimerJobData } from '../../../workers/queues.js';
import { createTimerWorker, fireTimerJob, type TimerJob, type TimerJobResult } from '../../../workers/timer-worker.js';
import { caseVersion, createWorkerWorld, startConstructionPermit, timersWithAuditCount, waitFor, type WorkerWorld } from './worker-test-kit.js';

let w: WorkerWorld;
let queues: DeliveryQueues;
let worker: Worker<TimerJobData, TimerJobResult, 'timer.fire'>;
const completed: { jobId: string | undefined; result: TimerJobResult }[] = [];

beforeAll(async () => {
  w = await createWorkerWorld();
  queues = createQueues({ connection: w.redis, prefix: w.prefix });
  // Two at once, so that two deliveries of one timer can race.
  worker = createTimerWorker({ connection: w.redis, prefix: w.prefix, sql: w.f.sql, engine: w.f.engine, clock: w.f.clock, logger: w.logger, concurrency: 2 });
  worker.on('completed', (job, result) => completed.push({ jobId: job.id, result }));
  await worker.waitUntilReady();
});
afterAll(async () => {
  await worker.close();
  await queues.close();
  await w.close();
});

/** A job on its first of the delivery's attempts, as `fireTimerJob` sees it. */
function firstAttempt(timerId: string): TimerJob {
  const job: TimerJob = {
    data: { timerId },
    attemptsMade: 0,
    opts: { attempts: 10 },
    moveToDelayed: () => Promise.resolve(),
    updateData: (data) => Promise.resolve(void (job.data = data)),
  };
  return job;
}

async function timerOf(caseId: string, kind: string) {
  const timer = (await timersWithAuditCount(w.f, caseId)).find((t) => t.kind === kind);
  if (!timer) throw new Error(`case ${caseId} has no ${kind} timer`);
  return timer;
}

describe('timer worker', () => {
  it('fires a timer delivered twice exactly once', async () => {
    const caseId = await startConstructionPermit(w.f);
    const deadline = await timerOf(caseId, 'task.deadline');
    w.f.clock.set(new Date(deadline.dueAtMs + 60_000));
    const before = await caseVersion(w.f, caseId);

    await queues.timers.addBulk([
      { name: 'timer.fire', data: { timerId: deadline.id }, opts: { jobId: timerJobId(deadline.id) } },
      { name: 'timer.fire', data: { timerId: deadline.id }, opts: { jobId: `${timerJobId(deadline.id)}-again` } },
    ]);
    const results = await waitFor('both deliveries', async () => {
      const mine = completed.filter((c) => c.result.caseId === caseId);
      return mine.length === 2 && mine;
    });

    expect(results.map((r) => r.result.changed).sort()).toEqual([false, true]);
    expect(await timerOf(caseId, 'task.deadline')).toMatchObject({ status: 'fired', auditEvents: 1 });
    expect((await caseVersion(w.f, caseId)).version).toBe(before.version + 1);
  });

  it('fires a timer delivered twice at the same moment exactly once', async () => {
    const caseId = await startConstructionPermit(w.f);
    const deadline = await timerOf(caseId, 'case.deadline');
    w.f.clock.set(new Date(deadline.dueAtMs + 60_000));
    const before = await caseVersion(w.f, caseId);
    const job = { ...firstAttempt(deadline.id), moveToDelayed: () => Promise.reject(new Error('the timer is due')) };
    const deps = { engine: w.f.engine, clock: w.f.clock, sql: w.f.sql };

    const results = await Promise.all([fireTimerJob(job, undefined, deps), fireTimerJob(job, undefined, deps)]);

    expect(results.map((r) => r.changed).sort()).toEqual([false, true]);
    expect(await timerOf(caseId, 'case.deadline')).toMatchObject({ status: 'fired', auditEvents: 1 });
    expect((await caseVersion(w.f, caseId)).version).toBe(before.version + 1);
  });

  it('puts a job that arrives before the timer is due back to delayed, then fires it when due', async () => {
    const caseId = await startConstructionPermit(w.f);
    const deadline = await timerOf(caseId, 'task.deadline');
    const before = await caseVersion(w.f, caseId);

    await queues.timers.add('timer.fire', { timerId: deadline.id }, { jobId: timerJobId(deadline.id) }); // no delay: early
    const job = await waitFor('the early job back in delayed', async () => {
      const found = await queues.timers.getJob(timerJobId(deadline.id));
      // Read the job again once it is delayed: the copy fetched before the move still says delay 0.
      return (await found?.getState()) === 'delayed' && queues.timers.getJob(timerJobId(deadline.id));
    });

    // Delayed by the time left on the engine's clock (less the few ms the move took), without using an attempt.
    const left = deadline.dueAtMs - w.f.clock.now().getTime();
    expect(job.delay).toBeGreaterThan(left - 1_000);
    expect(job.delay).toBeLessThanOrEqual(left);
    expect(job.attemptsMade).toBe(0);
    expect(await timerOf(caseId, 'task.deadline')).toMatchObject({ status: 'pending', auditEvents: 0 });
    expect(await caseVersion(w.f, caseId)).toEqual(before);

    w.f.clock.set(new Date(deadline.dueAtMs + 1_000));
    await job.promote();
    await waitFor('the timer to fire', async () => (await timerOf(caseId, 'task.deadline')).status === 'fired');
    expect(await timerOf(caseId, 'task.deadline')).toMatchObject({ auditEvents: 1 });
  });

  it('fails a job for an unknown timer once, without retrying, and logs it once', async () => {
    const id = randomUUID();
    await queues.timers.add('timer.fire', { timerId: id }, { jobId: timerJobId(id), attempts: 5 });
    const mine = () => w.logger.records.filter((r) => (r.fields['data'] as TimerJobData | undefined)?.timerId === id);

    await waitFor('the failure to be logged', async () => mine().length > 0);

    expect(mine()).toEqual([
      expect.objectContaining({ level: 'error', event: 'timer.failed', fields: expect.objectContaining({ attemptsMade: 1, errorName: 'UnrecoverableError' }) }),
    ]);
    expect(mine()[0]?.fields['error']).toContain('TB-TIMER-404');
    expect(await queues.timers.getJob(timerJobId(id))).toBeUndefined(); // removed on failure: the log is its record
  });

  describe('sorts engine errors into retried and not', () => {
    const timerId = randomUUID();
    const job = firstAttempt(timerId);
    const failingWith = (error: Error) => ({ engine: { execute: () => Promise.reject(error) }, clock: w.f.clock, sql: w.f.sql });

    it('retries a failure that is not the engine refusing (database down), with the delivery backoff', async () => {
      const error = new Error('connect ECONNREFUSED 127.0.0.1:5432');
      await expect(fireTimerJob(job, undefined, failingWith(error))).rejects.toBe(error);
      expect(DELIVERY_JOB_OPTIONS).toMatchObject({ attempts: 10, backoff: { type: 'exponential', delay: 1_000 } });
    });

    it('never gives a timer up because the database is unavailable, even on its last attempt: no incident, the sweep delivers it again', async () => {
      const lastAttempt = { ...firstAttempt(timerId), attemptsMade: 9 };
      for (const error of [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }), Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })]) {
        await expect(fireTimerJob(lastAttempt, undefined, failingWith(error))).rejects.toBe(error);
      }
      expect(await w.f.sql`select 1 from timer_incidents where timer_id = ${timerId}`).toHaveLength(0);
    });

    it('retries a refused commit (a retryable engine error): firing again re-reads the case and can succeed', async () => {
      const error = new CommitRefusedError(randomUUID());
      await expect(fireTimerJob(job, undefined, failingWith(error))).rejects.toBe(error);
    });

    it('gives up on an engine refusal that retrying cannot change', async () => {
      const refusal = fireTimerJob(job, undefined, failingWith(new ForbiddenError('fire a timer', 'test')));
      await expect(refusal).rejects.toBeInstanceOf(UnrecoverableError);
      await expect(refusal).rejects.toThrow('TB-FORBIDDEN');
    });

    it('moves a job that is not due to delayed and tells BullMQ so', async () => {
      const moved: number[] = [];
      const early = { ...firstAttempt(timerId), moveToDelayed: (at: number) => Promise.resolve(void moved.push(at)) };
      const dueAt = new Date(w.f.clock.now().getTime() + 3_600_000);
      await expect(fireTimerJob(early, 'token', failingWith(new TimerNotDueError(timerId, dueAt)))).rejects.toBeInstanceOf(DelayedError);
      expect(moved).toHaveLength(1);
      expect(moved[0]! - Date.now()).toBeGreaterThan(3_590_000);
    });

    it('refuses job data without a timer id before touching the database', async () => {
      const bad = firstAttempt('42');
      await expect(fireTimerJob(bad, undefined, failingWith(new Error('must not be called')))).rejects.toBeInstanceOf(UnrecoverableError);
    });
  });
});
