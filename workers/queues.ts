import { Queue, type DefaultJobOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { WallClock } from '../engine/time/wall-clock.js';

/** The BullMQ queues Tongban delivers through. Names may not contain `:` (BullMQ's key separator). */
export const QUEUE_NAMES = { timers: 'timers' } as const;

/**
 * Default key prefix. The braces are a Redis Cluster hash tag: every key of every queue hashes to the same
 * slot, which BullMQ's multi-key Lua scripts need on a cluster. Give each deployment (and each test) its own.
 */
export const DEFAULT_PREFIX = '{tongban}';

export interface TimerJobData {
  readonly timerId: string;
  /** The request whose command wrote the outbox row this job was relayed from: the worker logs under it. */
  readonly requestId?: string;
  /** The relay's span for that row (while tracing is on): the worker's `timer.fire` span is its child. */
  readonly traceparent?: string;
  /** When the job's first attempt failed (engine clock, ISO), kept for the incident should every attempt fail. */
  readonly firstFailedAt?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks a job's id field: malformed job data would fail in PostgreSQL on every retry, so refuse it once. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

export type TimerQueue = Queue<TimerJobData, unknown, 'timer.fire'>;

/** The queues under one prefix. */
export interface DeliveryQueues {
  readonly prefix: string;
  readonly timers: TimerQueue;
  /** Closes the queues; the connection they were given stays open (it is the caller's). */
  close(): Promise<void>;
}

/**
 * Job options of every delivery job.
 *
 * Finished jobs are removed at once, completed or failed. Redis then holds only deliveries still to be made,
 * which keeps it small (a delayed job costs ~790 bytes) and gives job ids a plain meaning: BullMQ ignores an
 * add whose id exists, so the id dedups a delivery *while it is pending* — relaying a row twice or
 * reconciling while the relay runs adds nothing. Once a job is gone, the same id can be added again; that
 * second delivery is harmless because every handler is idempotent in PostgreSQL (a timer fires only while
 * pending). Keeping failed jobs would be worse: a kept failed job blocks re-adding its id, so the
 * reconciler could never re-deliver it. Failures are logged instead (`*.failed` events).
 *
 * Retries: 10 attempts, exponential from 1 s (about 17 minutes in all) ride out a database restart. A timer
 * whose last attempt fails too is given up: the timer worker marks it `failed` and opens an incident
 * (db/timer-incidents.ts), which nothing delivers again until an administrator retries it.
 */
export const DELIVERY_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: true,
  removeOnFail: true,
};

/** How often a delivery is attempted and how far apart: {@link DELIVERY_JOB_OPTIONS} unless a deployment (or a test) says otherwise. */
export type DeliveryRetries = Pick<DefaultJobOptions, 'attempts' | 'backoff'>;

/**
 * Opens the queues on `connection` (an ioredis client with `maxRetriesPerRequest: null`; Redis must run
 * with `maxmemory-policy noeviction`, or it may evict pending jobs).
 *
 * @example
 * const redis = connectRedis(process.env.REDIS_URL!);
 * const queues = createQueues({ connection: redis });
 * // ...
 * await queues.close();
 * await redis.quit();
 */
export function createQueues(opts: { connection: Redis; prefix?: string; retries?: DeliveryRetries }): DeliveryQueues {
  const prefix = opts.prefix ?? DEFAULT_PREFIX;
  const options = { connection: opts.connection, prefix, defaultJobOptions: { ...DELIVERY_JOB_OPTIONS, ...opts.retries } };
  const timers: TimerQueue = new Queue(QUEUE_NAMES.timers, options);
  return {
    prefix,
    timers,
    async close() {
      await timers.close();
    },
  };
}

/** An ioredis connection as BullMQ needs it (workers block on it: no per-request retry limit). */
export function connectRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null });
}

/*
 * Job ids. BullMQ 6.7 refuses ids that look like integers and ids with a `:` (unless they split into exactly
 * three parts, a loophole kept for old repeatable jobs), so the kind and the key are joined with `-`.
 */

/** One job id per timer, whoever enqueues it (relay, reconciler). */
export const timerJobId = (timerId: string): string => `timer-${timerId}`;

/**
 * Milliseconds until `dueAt` on the engine's clock. BullMQ schedules delays on the wall clock; converting
 * through the delay (not the instant) is what keeps a test's manual clock and BullMQ consistent.
 */
export function untilDue(dueAt: Date, clock: WallClock): number {
  return Math.max(0, dueAt.getTime() - clock.now().getTime());
}

/** Where a relayed timer's job came from: the request and the span it goes on under (none: the reconciler's own). */
export interface JobOrigin {
  readonly requestId?: string | undefined;
  readonly traceparent?: string | undefined;
}

/** The delayed job that fires a timer at `dueAt`. */
export function timerJob(timerId: string, dueAt: Date, clock: WallClock, { requestId, traceparent }: JobOrigin = {}) {
  const data: TimerJobData = { timerId, ...(requestId === undefined ? {} : { requestId }), ...(traceparent === undefined ? {} : { traceparent }) };
  return {
    name: 'timer.fire' as const,
    data,
    opts: { jobId: timerJobId(timerId), delay: untilDue(dueAt, clock) },
  };
}
