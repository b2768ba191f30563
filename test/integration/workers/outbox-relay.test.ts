import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxRelay } from '../../../workers/outbox-relay.js';
import { createQueues, notificationJobId, timerJobId, type DeliveryQueues } from '../../../workers/queues.js';
import { approveOpenTask, createWorkerWorld, startConstructionPermit, waitFor, type WorkerWorld } from './worker-test-kit.js';

let w: WorkerWorld;
let queues: DeliveryQueues;
beforeAll(async () => {
  w = await createWorkerWorld();
  queues = createQueues({ connection: w.redis, prefix: w.prefix });
});
afterAll(async () => {
  await queues.close();
  await w.close();
});

const relayWith = (opts: { batchSize?: number; pollMs?: number } = {}) =>
  new OutboxRelay({ sql: w.f.sql, queues, clock: w.f.clock, logger: w.logger, ...opts });

async function unsentCount(): Promise<number> {
  const [row] = await w.f.sql<{ n: number }[]>`select count(*)::int as n from outbox where sent_at is null and topic in ('timer', 'notification')`;
  return row?.n ?? -1;
}

describe('outbox relay', () => {
  it('turns outbox rows into jobs with their ids and delays, in batches, and marks them sent', async () => {
    const caseId = await startConstructionPermit(w.f);
    const timers = await w.f.sql<{ id: string; dueAtMs: number }[]>`
      select id, (extract(epoch from due_at) * 1000)::float8 as "dueAtMs" from timers where case_id = ${caseId}`;
    const notifications = await w.f.sql<{ id: string }[]>`select id from notifications where case_id = ${caseId}`;
    expect(timers).toHaveLength(2); // the case deadline and the acceptance task's deadline
    expect(notifications).toHaveLength(2); // case accepted (applicant), task opened (window)

    // Batches of 3 for 4 rows: the relay must go on after a full batch.
    expect(await relayWith({ batchSize: 3 }).flush()).toBe(4);

    for (const timer of timers) {
      const job = await queues.timers.getJob(timerJobId(timer.id));
      expect(job?.data).toEqual({ timerId: timer.id });
      expect(await job?.getState()).toBe('delayed');
      // The clock stands still, so the delay is exactly the time left on the engine's clock.
      expect(job?.delay).toBe(timer.dueAtMs - w.f.clock.now().getTime());
    }
    for (const notification of notifications) {
      const job = await queues.notifications.getJob(notificationJobId(notification.id));
      expect(job?.data).toEqual({ notificationId: notification.id });
      expect(await job?.getState()).toBe('waiting');
    }
    expect(await unsentCount()).toBe(0);
  });

  it('adds no second job when the same rows are relayed again', async () => {
    const before = { timers: await queues.timers.getJobCounts(), notifications: await queues.notifications.getJobCounts() };
    const resent = await w.f.sql`update outbox set sent_at = null where topic in ('timer', 'notification') returning id`;
    expect(resent.length).toBe(4);

    expect(await relayWith().flush()).toBe(4);

    expect(await queues.timers.getJobCounts()).toEqual(before.timers);
    expect(await queues.notifications.getJobCounts()).toEqual(before.notifications);
    expect(before.timers['delayed']).toBe(2);
    expect(before.notifications['waiting']).toBe(2);
    expect(await unsentCount()).toBe(0);
  });

  it('leaves rows of topics it does not route for a relay that does', async () => {
    const [row] = await w.f.sql<{ id: string }[]>`insert into outbox (topic, payload) values ('webhook', '{}') returning id::text as id`;
    await relayWith().flush();
    const [after] = await w.f.sql<{ sentAt: Date | null }[]>`select sent_at as "sentAt" from outbox where id = ${row?.id ?? '0'}`;
    expect(after?.sentAt).toBeNull();
  });

  it('is woken by the commit notification, long before its next poll', async () => {
    const relay = relayWith({ pollMs: 60_000 });
    await relay.start();
    try {
      const caseId = await startConstructionPermit(w.f);
      await waitFor('the start to be relayed', async () => (await unsentCount()) === 0);
      await approveOpenTask(w.f, caseId, 'window', 'window.clerk');
      const reviewTimers = await w.f.sql<{ id: string }[]>`select id from timers where case_id = ${caseId} and kind = 'task.deadline' and status = 'pending'`;
      expect(reviewTimers).toHaveLength(5);
      await waitFor('the review deadlines as jobs', async () => {
        const jobs = await Promise.all(reviewTimers.map((t) => queues.timers.getJob(timerJobId(t.id))));
        return jobs.every(Boolean);
      }, 5_000);
    } finally {
      await relay.stop();
    }
  });

  it('polls, so a row committed without a notification is still relayed', async () => {
    const relay = relayWith({ pollMs: 100 });
    await relay.start();
    try {
      // Written without pg_notify, as if the notification were lost; the engine never fires an unknown timer.
      const orphan = randomUUID();
      const payload = JSON.stringify({ timerId: orphan, dueAt: w.f.clock.now().toISOString() });
      await w.f.sql`insert into outbox (topic, payload) values ('timer', ${payload}::jsonb)`;
      const job = await waitFor('the polled row as a job', () => queues.timers.getJob(timerJobId(orphan)), 5_000);
      expect(job.delay).toBe(0);
    } finally {
      await relay.stop();
    }
  });
});
