import { randomUUID } from 'node:crypto';
import { ErrorCode } from 'bullmq';
import type { Redis } from 'ioredis';
import type { WallClock } from '../engine/time/wall-clock.js';
import type { Sql } from '../db/connection.js';
import { pendingTimers, SCHEDULING_HORIZON_MS, TIMER_CURSOR_START, type PendingTimer, type TimerCursor } from '../db/delivery-queries.js';
import { errorFields, type Logger } from '../platform/logger.js';
import { timerJob, timerJobId, type DeliveryQueues } from './queues.js';
import { recordReconcilerRun } from './reconciler-heartbeat.js';
import { SerialLoop } from './serial-loop.js';

export interface ReconcilerOptions {
  readonly sql: Sql;
  readonly queues: DeliveryQueues;
  /** For the reconciler's two keys (usually the queues' connection). */
  readonly redis: Redis;
  readonly clock: WallClock;
  readonly logger: Logger;
  /** How often to check the marker, schedule timers coming within the horizon and sweep overdue ones (default 30 s; keep it well under the horizon). */
  readonly intervalMs?: number;
  /** How late a pending timer may be before the sweep delivers it again (default 60 s). */
  readonly graceMs?: number;
  /** Rows per query and per `addBulk` (default 1000). */
  readonly batchSize?: number;
}

export interface ReconcileReport {
  /** Pending timers due within the horizon enqueued (BullMQ ignored those whose job was still there). */
  readonly timers: number;
  /** False when `stop()` cut the walk short. */
  readonly complete: boolean;
}

/** A full rebuild holds this lock so that a fleet of workers does not rebuild the same jobs at once. */
const REBUILD_LOCK_MS = 10 * 60_000;
const RELEASE_LOCK = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * Keeps BullMQ holding the timers due within the scheduling horizon (`SCHEDULING_HORIZON_MS`), and rebuilds
 * that from PostgreSQL, the truth (DESIGN.md rule 1), so that losing Redis loses nothing.
 *
 * - Full rebuild: every pending timer due within the horizon becomes its delayed job again, streamed in
 *   keyset-paginated batches with one `addBulk` each; job ids make it idempotent.
 *   It runs when the reconciler starts, and whenever the marker key `<prefix>::reconciled` is gone: Redis
 *   was flushed or restarted empty. The marker is set *before* the walk, so a flush during the walk removes
 *   it again and the next tick starts over; a walk that does not finish removes it itself.
 * - Scheduling, every tick: the walk goes on from where the last one stopped to the new end of the horizon,
 *   so each timer is read once on its way in (commits relay the timers due sooner themselves).
 * - Overdue sweep, every tick: pending timers due more than `graceMs` ago have lost their job, or it sits
 *   delayed too long (another machine's clock); the sweep adds or promotes them, but leaves a job waiting
 *   out a retry backoff where it is. It reads through the partial index `timers_pending_due_idx`, and finds
 *   nothing when all is well; a timer given up after its attempts is `failed`, not pending, so never swept.
 *
 * Keys live under the queues' prefix after an empty segment (`<prefix>::...`), outside any queue's keys.
 *
 * @example
 * const reconciler = new Reconciler({ sql, queues, redis, clock: systemClock, logger });
 * reconciler.start();
 * // ...
 * await reconciler.stop();
 */
export class Reconciler {
  readonly #loop: SerialLoop;
  readonly #batchSize: number;
  /** Present while Redis holds what the last full rebuild put there; its absence triggers a rebuild. */
  readonly markerKey: string;
  /** Held by the process doing a full rebuild. */
  readonly lockKey: string;
  #rebuiltOnStart = false;
  /** The last timer the walk enqueued; the next walk goes on after it. */
  #scheduledThrough: TimerCursor = TIMER_CURSOR_START;

  constructor(private readonly opts: ReconcilerOptions) {
    this.#batchSize = opts.batchSize ?? 1_000;
    this.markerKey = `${opts.queues.prefix}::reconciled`;
    this.lockKey = `${opts.queues.prefix}::reconciling`;
    this.#loop = new SerialLoop(() => this.tick(), opts.intervalMs ?? 30_000, (error) =>
      opts.logger.log('error', 'reconciler.failed', errorFields(error)),
    );
  }

  /** Starts ticking; the first tick, now, runs the full rebuild in the background. */
  start(): void {
    this.#loop.start();
  }

  /** Stops ticking; a rebuild in flight ends after its current batch. */
  stop(): Promise<void> {
    return this.#loop.stop();
  }

  /**
   * One tick: the full rebuild if this process has not done one yet or the marker is gone, else the walk into
   * the horizon; then the sweep; then the heartbeat that readiness reads (`reconciler-heartbeat.ts`).
   */
  async tick(): Promise<void> {
    if (!this.#rebuiltOnStart || (await this.opts.redis.exists(this.markerKey)) === 0) {
      this.#rebuiltOnStart = true;
      await this.#rebuildUnderLock();
    }
    await this.scheduleUpcoming();
    await this.sweepOverdue();
    await recordReconcilerRun(this.opts.redis, this.opts.queues.prefix, this.opts.clock.now());
  }

  /** The full rebuild, unconditionally (no marker, no lock): the walk into the horizon from the start. */
  async reconcile(): Promise<ReconcileReport> {
    this.#scheduledThrough = TIMER_CURSOR_START;
    const timers = await this.scheduleUpcoming();
    return { timers, complete: !this.#loop.stopping };
  }

  /** Enqueues the pending timers that came within the horizon since the last walk; returns how many. */
  async scheduleUpcoming(): Promise<number> {
    const { queues, clock } = this.opts;
    const horizon = new Date(clock.now().getTime() + SCHEDULING_HORIZON_MS);
    let timers = 0;
    for await (const page of this.#timerPages(horizon, this.#scheduledThrough)) {
      await queues.timers.addBulk(page.map((t) => timerJob(t.id, t.dueAt, clock)));
      this.#scheduledThrough = page.at(-1)?.cursor ?? this.#scheduledThrough;
      timers += page.length;
    }
    return timers;
  }

  /** Delivers again every pending timer overdue by more than the grace period; returns how many it moved. */
  async sweepOverdue(): Promise<number> {
    const dueBefore = new Date(this.opts.clock.now().getTime() - (this.opts.graceMs ?? 60_000));
    let moved = 0;
    for await (const page of this.#timerPages(dueBefore)) moved += await this.#deliverNow(page);
    if (moved > 0) this.opts.logger.log('warn', 'reconciler.overdue-redelivered', { timers: moved });
    return moved;
  }

  async #rebuildUnderLock(): Promise<void> {
    const { redis, logger, clock } = this.opts;
    const token = randomUUID();
    if ((await redis.set(this.lockKey, token, 'PX', REBUILD_LOCK_MS, 'NX')) !== 'OK') {
      logger.log('info', 'reconciler.rebuild-skipped', { reason: 'another process is rebuilding' });
      return;
    }
    try {
      await redis.set(this.markerKey, clock.now().toISOString());
      const report = await this.reconcile();
      if (!report.complete) await redis.del(this.markerKey);
      logger.log('info', 'reconciler.rebuilt', { ...report });
    } catch (error) {
      await redis.del(this.markerKey).catch(() => {});
      throw error;
    } finally {
      await redis.eval(RELEASE_LOCK, 1, this.lockKey, token).catch(() => {});
    }
  }

  /**
   * Adds the timers' jobs, or promotes them where they wait delayed; counts what it added or promoted. A job
   * that has failed an attempt waits out its retry backoff: promoting it would skip the backoff.
   */
  async #deliverNow(timers: readonly PendingTimer[]): Promise<number> {
    const queue = this.opts.queues.timers;
    const missing: PendingTimer[] = [];
    let promoted = 0;
    await Promise.all(
      timers.map(async (timer) => {
        const job = await queue.getJob(timerJobId(timer.id));
        if (!job) {
          missing.push(timer);
          return;
        }
        if (job.attemptsMade > 0) return;
        try {
          await job.promote();
          promoted += 1;
        } catch (error) {
          // Waiting or active already, or finished meanwhile: nothing to do.
          const code = (error as { code?: unknown }).code;
          if (code !== ErrorCode.JobNotInState && code !== ErrorCode.JobNotExist) throw error;
        }
      }),
    );
    if (missing.length > 0) await queue.addBulk(missing.map((t) => timerJob(t.id, t.dueAt, this.opts.clock)));
    return missing.length + promoted;
  }

  async *#timerPages(dueBefore: Date, from: TimerCursor = TIMER_CURSOR_START): AsyncGenerator<PendingTimer[]> {
    let after = from;
    while (!this.#loop.stopping) {
      const page = await pendingTimers(this.opts.sql, { after, limit: this.#batchSize, dueBefore });
      if (page.length > 0) yield page;
      const last = page.at(-1);
      if (!last || page.length < this.#batchSize) return;
      after = last.cursor;
    }
  }
}
