import type { ApiDeps } from '../api/api-deps.js';
import type { Sql } from '../db/connection.js';
import type { WallClock } from '../engine/time/wall-clock.js';
import { createQueues, type DeliveryQueues } from '../workers/queues.js';
import type { RedisView } from '../workers/readiness.js';
import { Reconciler } from '../workers/reconciler.js';

/**
 * The reconciler's walk and overdue sweep, run once on request in an API process (`POST /api/timers/reconciliation`,
 * `npm run tongban -- reconcile now`): what the workers' reconciler does every 30 s, done now, on the API's Redis
 * connection. Job ids make it harmless beside a worker's tick. The queue is made on the first request, so a
 * process nobody asks keeps none.
 */
export function timerReconciliation(sql: Sql, redis: RedisView, clock: WallClock, log: ApiDeps['log']): NonNullable<ApiDeps['reconcileTimers']> {
  let queues: DeliveryQueues | undefined;
  return async () => {
    if (!queues) {
      queues = createQueues({ connection: redis.connection, prefix: redis.prefix });
      // Its errors are the connection's, which its owner listens to (and logs); without a listener BullMQ prints them.
      queues.timers.on('error', () => {});
    }
    const logger = { log: (level: string, event: string, fields?: Record<string, unknown>) => log({ level, msg: event, ...fields }) };
    const reconciler = new Reconciler({ sql, queues, redis: redis.connection, clock, logger });
    const { timers } = await reconciler.reconcile();
    return { scheduled: timers, overdue: await reconciler.sweepOverdue() };
  };
}
