import { Queue, type Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELIVERY_JOB_OPTIONS, QUEUE_NAMES, timerJobId, type DeliveryQueues, type TimerJobData, type TimerQueue } from '../../../workers/queues.js';
import { Reconciler } from '../../../workers/reconciler.js';
import { createTimerWorker, type TimerJobResult } from '../../../workers/timer-worker.js';
import { installPoisonTimer, startPoisonCase } from '../../support/poison-timer.js';
import { createWorkerWorld, waitFor, type WorkerWorld } from './worker-test-kit.js';

let w: WorkerWorld;
let queues: DeliveryQueues;
let reconciler: Reconciler;
let worker: Worker<TimerJobData, TimerJobResult, 'timer.fire'>;
const GRACE_MS = 60_000;
/** The delivery options, with three attempts a few milliseconds apart so that a test spends them at once. */
const FAST_RETRIES = { ...DELIVERY_JOB_OPTIONS, attempts: 3, backoff: { type: 'fixed', delay: 20 } };

beforeAll(async () => {
  w = await createWorkerWorld();
  await installPoisonTimer(w.f);
  const timers: TimerQueue = new Queue(QUEUE_NAMES.timers, { connection: w.redis, prefix: w.prefix, defaultJobOptions: FAST_RETRIES });
  queues = { prefix: w.prefix, timers, close: () => timers.close() };
  reconciler = new Reconciler({ sql: w.f.sql, queues, redis: w.redis, clock: w.f.clock, logger: w.logger, graceMs: GRACE_MS });
  worker = createTimerWorker({ connection: w.redis, prefix: w.prefix, sql: w.f.sql, engine: w.f.engine, clock: w.f.clock, logger: w.logger, concurrency: 1 });
  await worker.waitUntilReady();
});
afterAll(async () => {
  await worker.close();
  await queues.close();
  await w.close();
});

const incidentsOf = (timerId: string) => w.f.sql`select id from timer_incidents where timer_id = ${timerId}`;
const timerStatus = async (timerId: string) => (await w.f.sql<{ status: string }[]>`select status from timers where id = ${timerId}`)[0]?.status;
const jobState = async (timerId: string) => (await (await queues.timers.getJob(timerJobId(timerId)))?.getState()) ?? 'missing';

// A poison timer spent into an incident by real workers, never swept again, and retried through the API: the fault
// test test/integration/faults/poison-job.test.ts (issue 18, scenario 11).
describe('a timer whose firing always fails', () => {
  it('waits out its retry backoff: the sweep does not promote a job that has failed an attempt', async () => {
    const poison = await startPoisonCase(w.f);
    w.f.clock.set(new Date(poison.dueAt.getTime() + GRACE_MS + 1_000));
    const slowRetry = { jobId: timerJobId(poison.timerId), attempts: 3, backoff: { type: 'fixed', delay: 3_600_000 } };
    await queues.timers.add('timer.fire', { timerId: poison.timerId }, slowRetry);
    const job = await waitFor('the first attempt to fail', async () => {
      const found = await queues.timers.getJob(timerJobId(poison.timerId));
      return found && (await found.getState()) === 'delayed' && found.attemptsMade === 1 && found;
    });
    expect(job.data.firstFailedAt).toBe(w.f.clock.now().toISOString());

    expect(await reconciler.sweepOverdue()).toBe(0);
    expect(await jobState(poison.timerId)).toBe('delayed');
    expect(await timerStatus(poison.timerId)).toBe('pending');
    expect(await incidentsOf(poison.timerId)).toEqual([]);
  });
});
