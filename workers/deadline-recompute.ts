import type { Engine } from '../engine/engine.js';
import { caseId } from '../engine/ids.js';
import { listCalendars } from '../db/calendars.js';
import type { Sql } from '../db/connection.js';
import { CALENDAR_CHANNEL, CASE_ID_START, casesWithDeadlinesOn, deadlineVersionsInUse } from '../db/deadline-recompute-queries.js';
import { errorFields, type Logger } from '../platform/logger.js';
import { ListeningLoop } from './listening-loop.js';

export interface DeadlineRecomputeOptions {
  readonly sql: Sql;
  readonly engine: Pick<Engine, 'execute'>;
  readonly logger: Logger;
  /** The poll, the fallback for a lost notification (default 60 s). */
  readonly intervalMs?: number;
  /** Cases read per query (default 500). */
  readonly batchSize?: number;
  /**
   * Recompute commands in flight (default 4). Each holds a connection for its transaction: keep it below the
   * pool's size, beside the timer worker's.
   */
  readonly concurrency?: number;
}

/** What one pass did. */
export interface RecomputePass {
  /** Cases a `deadlines.recompute` ran for. */
  readonly cases: number;
  /** Cases whose recompute failed (logged; the next pass tries them again). */
  readonly failed: number;
}

/**
 * Counts open deadlines again after a calendar's data changed (an imported year, a replaced one), in the
 * background and in batches. A pass compares the calendar data versions that open deadlines were counted on
 * (`deadlineVersionsInUse`, a few index probes) with every calendar's current version; for each version no
 * calendar has any more it walks the cases with a deadline on it, `batchSize` at a time in id order, and runs
 * `deadlines.recompute` for each through the engine, `concurrency` at once. The engine moves each deadline
 * and its timer and audits old and new due date (`engine/operations/recompute-deadlines.ts`).
 *
 * Woken by `LISTEN` on {@link CALENDAR_CHANNEL} (an import calls `notifyCalendarChanged` in its transaction)
 * and by a poll every minute. The engine reads calendars through its catalogue, cached for 30 s: a case
 * recounted on the old data in that window changes nothing, and the next pass takes it. Passes in several
 * processes may meet on a case: the row lock orders them, and the second finds its deadlines current.
 *
 * @example
 * const recompute = new DeadlineRecompute({ sql, engine, logger });
 * await recompute.start();
 * // ...
 * await recompute.stop();
 */
export class DeadlineRecompute {
  readonly #loop: ListeningLoop;
  readonly #batchSize: number;

  constructor(private readonly opts: DeadlineRecomputeOptions) {
    this.#batchSize = opts.batchSize ?? 500;
    this.#loop = new ListeningLoop(
      opts.sql,
      CALENDAR_CHANNEL,
      async () => {
        const pass = await this.pass();
        if (pass.cases > 0) opts.logger.log('info', 'deadlines.recomputed', { ...pass });
      },
      opts.intervalMs ?? 60_000,
      (error) => opts.logger.log('error', 'deadlines.recompute-failed', errorFields(error)),
    );
  }

  /** Listens for calendar changes and starts walking (a first pass runs at once). */
  start(): Promise<void> {
    return this.#loop.start();
  }

  /** Stops listening and walking; a pass in flight ends after its current batch. */
  stop(): Promise<void> {
    return this.#loop.stop();
  }

  /** One walk over every case with a deadline counted on data no calendar has any more. */
  async pass(): Promise<RecomputePass> {
    const { sql } = this.opts;
    const current = new Set((await listCalendars(sql)).flatMap((c) => (c.working ? [c.working.version] : [])));
    const stale = (await deadlineVersionsInUse(sql)).filter((version) => !current.has(version));
    let cases = 0;
    let failed = 0;
    for (const version of stale) {
      let after = CASE_ID_START;
      while (!this.#loop.stopping) {
        const batch = await casesWithDeadlinesOn(sql, version, after, this.#batchSize);
        failed += await this.#recompute(batch);
        cases += batch.length;
        const last = batch.at(-1);
        if (!last || batch.length < this.#batchSize) break;
        after = last;
      }
    }
    return { cases, failed };
  }

  /** Runs the recompute of each case, `concurrency` at once; returns how many failed (each logged). */
  async #recompute(ids: readonly string[]): Promise<number> {
    let next = 0;
    let failed = 0;
    const lane = async () => {
      while (next < ids.length) {
        const id = ids[next++] as string;
        try {
          await this.opts.engine.execute({ type: 'deadlines.recompute', caseId: caseId(id) });
        } catch (error) {
          failed += 1;
          this.opts.logger.log('error', 'deadlines.case-recompute-failed', { caseId: id, ...errorFields(error) });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.opts.concurrency ?? 4, ids.length) }, lane));
    return failed;
  }
}
