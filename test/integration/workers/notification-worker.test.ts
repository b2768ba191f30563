import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationRow } from '../../../db/delivery-queries.js';
import {
  createNotificationWorker,
  deliverNotificationJob,
  type NotificationChannel,
  type NotificationJobResult,
} from '../../../workers/notification-worker.js';
import { createQueues, notificationJobId, type DeliveryQueues, type NotificationJobData } from '../../../workers/queues.js';
import { createWorkerWorld, startConstructionPermit, waitFor, type WorkerWorld } from './worker-test-kit.js';

let w: WorkerWorld;
let queues: DeliveryQueues;
let worker: Worker<NotificationJobData, NotificationJobResult, 'notification.deliver'>;
const completed: { notificationId: string; result: NotificationJobResult }[] = [];

/** An external channel that records what it was given and can be told to fail. */
class RecordingChannel implements NotificationChannel {
  readonly name = 'recording';
  readonly seen: NotificationRow[] = [];
  failuresLeft = 0;

  async deliver(notification: NotificationRow): Promise<void> {
    this.seen.push(notification);
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw new Error('webhook endpoint answered 503');
    }
  }
}
const channel = new RecordingChannel();

beforeAll(async () => {
  w = await createWorkerWorld();
  queues = createQueues({ connection: w.redis, prefix: w.prefix });
  worker = createNotificationWorker({
    connection: w.redis,
    prefix: w.prefix,
    sql: w.f.sql,
    clock: w.f.clock,
    channels: [channel],
    logger: w.logger,
    concurrency: 2,
  });
  worker.on('completed', (job, result) => completed.push({ notificationId: job.data.notificationId, result }));
  await worker.waitUntilReady();
});
afterAll(async () => {
  await worker.close();
  await queues.close();
  await w.close();
});

async function notificationsOf(caseId: string) {
  return w.f.sql<{ id: string; template: string; deliveredAtMs: number | null }[]>`
    select id, template, (extract(epoch from delivered_at) * 1000)::float8 as "deliveredAtMs"
    from notifications where case_id = ${caseId} order by template`;
}

describe('notification worker', () => {
  it('delivers a notification once; delivering it again changes nothing', async () => {
    const caseId = await startConstructionPermit(w.f);
    const [first] = await notificationsOf(caseId);
    if (!first) throw new Error('the case has no notification');
    const deps = { sql: w.f.sql, clock: w.f.clock, channels: [channel] };
    const deliveredAt = w.f.clock.now().getTime();

    expect(await deliverNotificationJob({ data: { notificationId: first.id } }, deps)).toEqual({ delivered: true });
    w.f.clock.advance({ hours: 1 });
    expect(await deliverNotificationJob({ data: { notificationId: first.id } }, deps)).toEqual({ delivered: false });

    const after = (await notificationsOf(caseId)).find((n) => n.id === first.id);
    expect(after?.deliveredAtMs).toBe(deliveredAt);
    expect(channel.seen.filter((n) => n.id === first.id)).toHaveLength(1);
  });

  it('delivers a notification once when it is delivered twice at the same moment', async () => {
    const [notification] = await notificationsOf(await startConstructionPermit(w.f));
    if (!notification) throw new Error('the case has no notification');
    const job = { data: { notificationId: notification.id } };
    const deps = { sql: w.f.sql, clock: w.f.clock };

    // Both read the notification as undelivered before either marks it: only the mark decides.
    const results = await Promise.all([deliverNotificationJob(job, deps), deliverNotificationJob(job, deps)]);

    expect(results.map((r) => r.delivered).sort()).toEqual([false, true]);
  });

  it('delivers a notification once when two jobs for it are processed', async () => {
    const caseId = await startConstructionPermit(w.f);
    const notifications = await notificationsOf(caseId);
    await queues.notifications.addBulk(
      notifications.flatMap((n) => [
        { name: 'notification.deliver' as const, data: { notificationId: n.id }, opts: { jobId: notificationJobId(n.id) } },
        { name: 'notification.deliver' as const, data: { notificationId: n.id }, opts: { jobId: `${notificationJobId(n.id)}-again` } },
      ]),
    );
    const ids = new Set(notifications.map((n) => n.id));
    const results = await waitFor('every delivery', async () => {
      const mine = completed.filter((c) => ids.has(c.notificationId));
      return mine.length === 2 * ids.size && mine;
    });

    for (const id of ids) {
      expect(results.filter((r) => r.notificationId === id).map((r) => r.result.delivered).sort()).toEqual([false, true]);
    }
    expect((await notificationsOf(caseId)).every((n) => n.deliveredAtMs === w.f.clock.now().getTime())).toBe(true);
  });

  it('leaves a notification undelivered while a channel fails, and retries it', async () => {
    const [notification] = await notificationsOf(await startConstructionPermit(w.f));
    if (!notification) throw new Error('the case has no notification');
    channel.failuresLeft = 1;

    await queues.notifications.add('notification.deliver', { notificationId: notification.id }, { jobId: notificationJobId(notification.id) });
    await waitFor('the retry to deliver it', async () => completed.some((c) => c.notificationId === notification.id));

    expect(channel.seen.filter((n) => n.id === notification.id)).toHaveLength(2);
    const logged = w.logger.records.filter((r) => (r.fields['data'] as NotificationJobData | undefined)?.notificationId === notification.id);
    expect(logged.map((r) => r.event)).toEqual(['notification.retrying']);
    const [after] = await w.f.sql<{ delivered: boolean }[]>`select delivered_at is not null as delivered from notifications where id = ${notification.id}`;
    expect(after?.delivered).toBe(true);
  });
});
