import type { Queue } from 'bullmq';
import { QUEUE_JOB_STATES, type DeliveryFigures } from '../platform/operations-figures.js';
import type { RedisView } from './readiness.js';
import { lastReconcilerRun } from './reconciler-heartbeat.js';

/**
 * The delivery queues' sizes by job state and the reconciler's heartbeat, read from Redis at `now` (engine clock,
 * as the reconciler records its runs) for a `/metrics` scrape: one round trip per queue, counters BullMQ keeps.
 *
 * @example const figures = await readDeliveryFigures(redis, [queues.timers], clock.now());
 */
export async function readDeliveryFigures(redis: RedisView, queues: readonly Queue[], now: Date): Promise<DeliveryFigures> {
  const [counts, lastRun] = await Promise.all([
    Promise.all(queues.map(async (queue) => ({ queue: queue.name, counts: await queue.getJobCounts(...QUEUE_JOB_STATES) }))),
    lastReconcilerRun(redis.connection, redis.prefix),
  ]);
  return {
    queues: counts.flatMap(({ queue, counts: byState }) => QUEUE_JOB_STATES.map((state) => ({ queue, state, count: byState[state] ?? 0 }))),
    reconcilerAgeSeconds: lastRun ? Math.max(0, (now.getTime() - lastRun.getTime()) / 1000) : Infinity,
  };
}
