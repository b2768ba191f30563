import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Clock } from '../engine/clock.js';
import type { Sql } from '../db/connection.js';
import { findNotification, markNotificationDelivered, type NotificationRow } from '../db/delivery-queries.js';
import { watchWorker } from './job-failures.js';
import type { Logger } from '../platform/logger.js';
import { isUuid, QUEUE_NAMES, type NotificationJobData } from './queues.js';

/**
 * A way out of Tongban for a notification (a department system's webhook, SMS, e-mail). The in-app inbox is
 * not one: a notification row *is* its inbox entry, and setting `delivered_at` delivers it there.
 *
 * Channels run before `delivered_at` is set, so a channel that throws makes the job retry and the
 * notification stays undelivered; a retry may call a channel that already succeeded, so a channel must be
 * idempotent on `notification.id` (e.g. send it as the webhook's idempotency key).
 */
export interface NotificationChannel {
  /** For logs, e.g. `webhook`. */
  readonly name: string;
  deliver(notification: NotificationRow): Promise<void>;
}

export interface NotificationDeliveryDeps {
  readonly sql: Sql;
  readonly clock: Clock;
  /** External channels; none yet: in-app delivery is the only one today. */
  readonly channels?: readonly NotificationChannel[];
}

export interface NotificationJobResult {
  /** True for the one delivery that set `delivered_at`; false for a repeat. */
  readonly delivered: boolean;
}

export interface NotificationWorkerOptions extends NotificationDeliveryDeps {
  readonly connection: Redis;
  readonly prefix: string;
  readonly logger: Logger;
  /** Jobs in parallel in this process (default 4). */
  readonly concurrency?: number;
}

/** A BullMQ worker on the `notifications` queue; the connection is shared, as for the timer worker. */
export function createNotificationWorker(
  opts: NotificationWorkerOptions,
): Worker<NotificationJobData, NotificationJobResult, 'notification.deliver'> {
  const worker = new Worker<NotificationJobData, NotificationJobResult, 'notification.deliver'>(
    QUEUE_NAMES.notifications,
    (job) => deliverNotificationJob(job, opts),
    { connection: opts.connection, prefix: opts.prefix, concurrency: opts.concurrency ?? 4 },
  );
  watchWorker(worker, 'notification', opts.logger);
  return worker;
}

/**
 * Delivers one notification exactly once in effect: a repeat finds `delivered_at` set and does nothing;
 * two concurrent deliveries race on `delivered_at is null` and only one sets it.
 */
export async function deliverNotificationJob(
  job: Pick<Job<NotificationJobData>, 'data'>,
  deps: NotificationDeliveryDeps,
): Promise<NotificationJobResult> {
  const id = job.data.notificationId;
  if (!isUuid(id)) throw new UnrecoverableError(`notification job without a valid notificationId: ${JSON.stringify(job.data)}`);
  const notification = await findNotification(deps.sql, id);
  // The row commits with its outbox row: a job for a missing one is not worth retrying.
  if (!notification) throw new UnrecoverableError(`notification ${id} does not exist`);
  if (notification.deliveredAt) return { delivered: false };
  for (const channel of deps.channels ?? []) await channel.deliver(notification);
  return { delivered: await markNotificationDelivered(deps.sql, id, deps.clock.now()) };
}
