import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { WallClock } from '../engine/time/wall-clock.js';
import type { Engine } from '../engine/engine.js';
import type { Sql } from '../db/connection.js';
import { errorFields, jsonLogger, type Logger } from '../platform/logger.js';
import { OutboxRelay, type OutboxRelayOptions } from './outbox-relay.js';
import { DeadlineRecompute, type DeadlineRecomputeOptions } from './deadline-recompute.js';
import { connectRedis, createQueues, type DeliveryQueues, type DeliveryRetries, type TimerJobData } from './queues.js';
import { ReadinessReport, type ReadinessReportOptions } from './readiness-report.js';
import { Reconciler, type ReconcilerOptions } from './reconciler.js';
import { RetentionPurge, type RetentionPurgeOptions } from './retention-purge.js';
import { materialStorage } from '../db/material-storage.js';
import { s3ObjectStore } from '../db/s3-material-store.js';
import { materialConfig } from '../platform/config.js';
import { createTimerWorker, type JobLock, type TimerJobResult } from './timer-worker.js';
import { WebhookDispatcher, type WebhookDispatcherOptions } from './webhook-dispatcher.js';

export interface StartWorkersOptions {
  /** The pool the relay and the reconciler use; the caller closes it. */
  readonly sql: Sql;
  /**
   * Where Redis is: a `redis://` URL, or a factory of ioredis connections (`maxRetriesPerRequest: null`).
   * One connection is opened and shared (BullMQ duplicates it for each worker's blocking reads); `stop()`
   * closes it.
   */
  readonly redis: string | (() => Redis);
  readonly engine: Pick<Engine, 'execute'>;
  readonly clock: WallClock;
  /** Queue key prefix (default `{tongban}`); every process of a deployment must use the same one. */
  readonly prefix?: string;
  /**
   * Timer jobs in parallel (default 4). Size the `sql` pool above twice that plus two (relay, reconciler): a
   * timer job holds a connection for its transaction and may need another for a catalogue read.
   */
  readonly concurrency?: number;
  /** The timer jobs' lock (default BullMQ's: 30 s, checked every 30 s). */
  readonly timerLock?: JobLock;
  /** Attempts and backoff of the jobs this process enqueues (default `DELIVERY_JOB_OPTIONS`: 10, exponential from 1 s). */
  readonly retries?: DeliveryRetries;
  readonly logger?: Logger;
  readonly relay?: Pick<OutboxRelayOptions, 'batchSize' | 'pollMs'>;
  readonly reconciler?: Pick<ReconcilerOptions, 'intervalMs' | 'graceMs' | 'batchSize'>;
  readonly purge?: Pick<RetentionPurgeOptions, 'intervalMs' | 'batchSize'>;
  readonly deadlineRecompute?: Pick<DeadlineRecomputeOptions, 'intervalMs' | 'batchSize' | 'concurrency'>;
  readonly readiness?: Pick<ReadinessReportOptions, 'intervalMs'>;
  /** Webhook deliveries to department systems: attempts and their backoff, the receivers' timeout, the poll. */
  readonly webhooks?: Pick<WebhookDispatcherOptions, 'retry' | 'timeoutMs' | 'batchSize' | 'pollMs'>;
}

/** What `startWorkers` started; the parts are exposed for tests and operations, `stop()` ends them all. */
export interface RunningWorkers {
  readonly queues: DeliveryQueues;
  readonly relay: OutboxRelay;
  readonly reconciler: Reconciler;
  readonly purge: RetentionPurge;
  readonly deadlineRecompute: DeadlineRecompute;
  readonly webhooks: WebhookDispatcher;
  readonly timerWorker: Worker<TimerJobData, TimerJobResult, 'timer.fire'>;
  /** Stops taking work, lets jobs and the relay batch in flight finish, closes queues and the connection. */
  stop(): Promise<void>;
}

/**
 * Starts everything that delivers what commands commit: the outbox relay (timers due soon, in-app
 * notifications), the timer worker, the reconciler (timers as they come within the scheduling horizon), the
 * purge of expired Idempotency-Keys and rate-limit windows, the recount of deadlines after a calendar import and
 * the webhook dispatcher (signed deliveries to department systems);
 * their readiness goes to the log. Any number of
 * processes may run it side by side.
 *
 * @example
 * const workers = await startWorkers({ sql, redis: process.env.REDIS_URL!, engine, clock: systemClock });
 * // ... then, on shutdown (`apps/shutdown.ts`), before the pool is closed:
 * await workers.stop();
 */
export async function startWorkers(opts: StartWorkersOptions): Promise<RunningWorkers> {
  const logger = opts.logger ?? jsonLogger();
  const connection = typeof opts.redis === 'string' ? connectRedis(opts.redis) : opts.redis();
  connection.on('error', (error: Error) => logger.log('error', 'redis.error', errorFields(error)));
  const queues = createQueues({ connection, ...(opts.prefix === undefined ? {} : { prefix: opts.prefix }), ...(opts.retries ? { retries: opts.retries } : {}) });
  // The queue's errors are the connection's, logged above as `redis.error`; without a listener BullMQ prints each one
  // to stderr again, a stack trace per reconnect attempt for as long as Redis is away.
  queues.timers.on('error', () => {});
  const { sql, clock, engine } = opts;
  const shared = { connection, prefix: queues.prefix, logger, ...(opts.concurrency ? { concurrency: opts.concurrency } : {}) };
  const timerWorker = createTimerWorker({ ...shared, sql, engine, clock, ...(opts.timerLock ? { lock: opts.timerLock } : {}) });
  const relay = new OutboxRelay({ sql, queues, clock, logger, ...opts.relay });
  const reconciler = new Reconciler({ sql, queues, redis: connection, clock, logger, ...opts.reconciler });
  const { s3 } = materialConfig();
  const purge = new RetentionPurge({ sql, clock, logger, materials: materialStorage(sql, s3 ? s3ObjectStore(s3) : null), ...opts.purge });
  const deadlineRecompute = new DeadlineRecompute({ sql, engine, logger, ...opts.deadlineRecompute });
  const webhooks = new WebhookDispatcher({ sql, clock, logger, ...opts.webhooks });
  const readiness = new ReadinessReport({ sources: { sql, clock, redis: { connection, prefix: queues.prefix } }, logger, ...opts.readiness });
  try {
    await Promise.all([timerWorker.waitUntilReady(), relay.start(), deadlineRecompute.start(), webhooks.start()]);
  } catch (error) {
    await Promise.allSettled([relay.stop(), deadlineRecompute.stop(), webhooks.stop(), timerWorker.close(), queues.close()]);
    connection.disconnect();
    throw error;
  }
  reconciler.start();
  purge.start();
  readiness.start();
  logger.log('info', 'workers.started', { prefix: queues.prefix });
  return {
    queues,
    relay,
    reconciler,
    purge,
    deadlineRecompute,
    webhooks,
    timerWorker,
    async stop() {
      // Producers first, so that nothing is enqueued into queues that are closing.
      await Promise.all([relay.stop(), reconciler.stop(), purge.stop(), deadlineRecompute.stop(), webhooks.stop(), readiness.stop()]);
      await timerWorker.close();
      await queues.close();
      await connection.quit();
      logger.log('info', 'workers.stopped', { prefix: queues.prefix });
    },
  };
}
