import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { WallClock } from '../engine/time/wall-clock.js';
import type { CommandResult } from '../engine/operations/decision.js';
import type { Engine } from '../engine/engine.js';
import { EngineError, TimerNotDueError, TimerNotFoundError } from '../engine/errors.js';
import { timerId } from '../engine/ids.js';
import type { Sql } from '../db/connection.js';
import { databaseUnavailableCode } from '../db/database-unavailable.js';
import { openTimerIncident } from '../db/timer-incidents.js';
import { watchWorker } from './job-failures.js';
import type { Logger } from '../platform/logger.js';
import { withRequestId } from '../platform/request-context.js';
import { inSpan, SpanKind } from '../platform/tracing.js';
import { isUuid, QUEUE_NAMES, untilDue, type TimerJobData } from './queues.js';

/** What a timer job returns (kept only as long as BullMQ keeps the job; useful in events and tests). */
export interface TimerJobResult {
  readonly caseId: string;
  readonly changed: boolean;
  readonly version: number;
}

export interface TimerWorkerOptions {
  readonly connection: Redis;
  readonly prefix: string;
  /** Where a timer given up after its attempts is recorded as an incident. */
  readonly sql: Sql;
  readonly engine: Pick<Engine, 'execute'>;
  readonly clock: WallClock;
  readonly logger: Logger;
  /**
   * Jobs in parallel in this process (default 4). Keep it below the engine's pool size: a command holds one
   * connection for its transaction and may need a second for a catalogue read.
   */
  readonly concurrency?: number;
  /** How long a job stays this worker's without word from it; see {@link JobLock}. */
  readonly lock?: JobLock;
}

/**
 * A job's lock: the worker renews it every half `durationMs` while it runs the job; every `stalledIntervalMs` a
 * worker of the fleet looks for active jobs whose lock lapsed (their process died, or its event loop stood still
 * that long) and hands them out again. BullMQ's defaults are 30 s each: a killed process's timers wait up to a
 * minute. Shorter locks hand a dead process's jobs on sooner, but a process busy longer than `durationMs` loses its
 * job to another and its own late attempt changes nothing (a timer fires only while pending); fault tests shorten them.
 */
export interface JobLock {
  readonly durationMs: number;
  readonly stalledIntervalMs: number;
}

/**
 * Fires timers: a BullMQ worker on the `timers` queue. The connection is shared, not owned: BullMQ
 * duplicates it for the worker's own (blocking) use and closes the duplicates in `worker.close()`.
 */
export function createTimerWorker(opts: TimerWorkerOptions): Worker<TimerJobData, TimerJobResult, 'timer.fire'> {
  const worker = new Worker<TimerJobData, TimerJobResult, 'timer.fire'>(
    QUEUE_NAMES.timers,
    // Under the request id the job carries: the timer fire's command line and the outbox rows it writes name it. In
    // a `timer.fire` span, the child of the relay's span for the job (its `traceparent`), so the request's trace goes on.
    (job, token) => withRequestId(job.data.requestId, () => inSpan('timer.fire', fireAttributes(job), () => fireTimerJob(job, token, opts), { kind: SpanKind.CONSUMER, parent: job.data.traceparent })),
    {
      connection: opts.connection,
      prefix: opts.prefix,
      concurrency: opts.concurrency ?? 4,
      ...(opts.lock ? { lockDuration: opts.lock.durationMs, stalledInterval: opts.lock.stalledIntervalMs } : {}),
    },
  );
  watchWorker(worker, 'timer', opts.logger);
  return worker;
}

/** The `timer.fire` span's attributes: ids and counts only. */
function fireAttributes(job: Pick<Job<TimerJobData>, 'data' | 'attemptsMade'>): Record<string, string | number> {
  return { 'tongban.timer.id': String(job.data.timerId), 'tongban.job.attempt': job.attemptsMade + 1 };
}

/** What `fireTimerJob` reads and does of its job. */
export type TimerJob = Pick<Job<TimerJobData>, 'data' | 'moveToDelayed' | 'attemptsMade' | 'opts' | 'updateData'>;

/**
 * Handles one timer job: `timer.fire` in the engine. Delivered twice, it changes nothing the second time
 * (the engine fires a timer only while it is pending, under the case row lock).
 *
 * - Not due yet (the job came early: clock skew between machines, a test's clock behind): the job goes back
 *   to delayed until the timer is due on the engine's clock, without using up an attempt.
 * - The timer does not exist: `UnrecoverableError`, no retries, nothing to record.
 * - Any other failure while attempts remain (database down, a refused commit): thrown as is, so BullMQ
 *   retries with backoff; the first one notes when it happened in the job.
 * - The database unavailable (`databaseUnavailableCode`: down, restarting, full, refusing writes) even on the
 *   last attempt: thrown as is, never an incident — it says nothing about the timer, and no incident could be
 *   written anyway. The job is removed, the timer stays pending, and the reconciler's overdue sweep delivers it
 *   again once the database answers.
 * - The last attempt failing, or the engine refusing for good: the timer is given up — `failed`, with an
 *   incident for administrators (`openTimerIncident`) — and the job fails with `UnrecoverableError`. A
 *   failed timer is not pending, so no sweep delivers it again: it cannot loop, and someone is told.
 */
export async function fireTimerJob(job: TimerJob, token: string | undefined, deps: Pick<TimerWorkerOptions, 'engine' | 'clock' | 'sql'>): Promise<TimerJobResult> {
  const id = job.data.timerId;
  if (!isUuid(id)) throw new UnrecoverableError(`timer job without a valid timerId: ${JSON.stringify(job.data)}`);
  let result: CommandResult;
  try {
    result = await deps.engine.execute({ type: 'timer.fire', timerId: timerId(id) });
  } catch (error) {
    if (error instanceof TimerNotDueError) {
      // BullMQ takes an instant on its own (wall) clock; the wait is measured on the engine's clock.
      await job.moveToDelayed(Date.now() + untilDue(error.dueAt, deps.clock), token);
      throw new DelayedError(error.message);
    }
    if (error instanceof TimerNotFoundError) throw new UnrecoverableError(`${error.code}: ${error.message}`);
    const refused = error instanceof EngineError && !error.retryable;
    const now = deps.clock.now();
    if (!refused && (job.attemptsMade + 1 < (job.opts.attempts ?? 1) || databaseUnavailableCode(error))) {
      if (job.attemptsMade === 0) await job.updateData({ ...job.data, firstFailedAt: now.toISOString() });
      throw error;
    }
    const failure = describe(error);
    await openTimerIncident(deps.sql, {
      timerId: id,
      error: failure,
      attempts: job.attemptsMade + 1,
      firstFailedAt: job.data.firstFailedAt ? new Date(job.data.firstFailedAt) : now,
      lastFailedAt: now,
    });
    throw new UnrecoverableError(failure);
  }
  return { caseId: result.caseId, changed: result.changed, version: result.version };
}

/** The error as an incident and the log keep it: the engine's code when it has one, the message. */
function describe(error: unknown): string {
  if (error instanceof EngineError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
