import type { WallClock } from '../engine/time/wall-clock.js';
import type { Sql } from '../db/connection.js';
import { IDEMPOTENCY_KEY_RETENTION_MS, purgeIdempotencyKeys } from '../db/idempotency-keys.js';
import { purgeEndedRateWindows } from '../db/rate-limit-windows.js';
import { purgeStagedUploads, STAGED_UPLOAD_RETENTION_MS } from '../db/material-queries.js';
import type { MaterialStorage } from '../db/material-storage.js';
import { errorFields, type Logger } from '../platform/logger.js';
import { SerialLoop } from './serial-loop.js';

export interface RetentionPurgeOptions {
  readonly sql: Sql;
  readonly clock: WallClock;
  readonly logger: Logger;
  /** How often to purge (default 10 minutes): keys outlive their 24 hours by at most this. */
  readonly intervalMs?: number;
  /** Rows per delete statement (default 1000). */
  readonly batchSize?: number;
  /** Where material files are kept: the bytes of purged uploads kept outside PostgreSQL are deleted there. */
  readonly materials?: Pick<MaterialStorage, 'forget'>;
}

/** Rows deleted by one pass. */
export interface PurgeReport {
  readonly idempotencyKeys: number;
  readonly rateLimitWindows: number;
  /** Material files uploaded and never attached within a day. */
  readonly stagedUploads: number;
}

/**
 * Deletes what the API keeps only for a while: Idempotency-Keys past their retention
 * (`IDEMPOTENCY_KEY_RETENTION_MS`), rate-limit windows that have ended, and material files uploaded but never
 * attached within a day (`STAGED_UPLOAD_RETENTION_MS`). Each table is emptied in
 * batches of short statements, repeated until a batch comes back short, so no lock is held for long and
 * commands writing keys meanwhile never wait; purges in several worker processes skip each other's rows.
 * Notifications and their read receipts are not purged yet: they are kept until a retention period is decided
 * for them (their lists and unread counts grow with them: `db/notification-queries.ts`).
 *
 * @example
 * const purge = new RetentionPurge({ sql, clock: systemClock, logger });
 * purge.start();
 * // ...
 * await purge.stop();
 */
export class RetentionPurge {
  readonly #loop: SerialLoop;
  readonly #batchSize: number;

  constructor(private readonly opts: RetentionPurgeOptions) {
    this.#batchSize = opts.batchSize ?? 1_000;
    this.#loop = new SerialLoop(
      async () => {
        const report = await this.purge();
        if (report.idempotencyKeys + report.rateLimitWindows + report.stagedUploads > 0) opts.logger.log('info', 'purge.done', { ...report });
      },
      opts.intervalMs ?? 10 * 60_000,
      (error) => opts.logger.log('error', 'purge.failed', errorFields(error)),
    );
  }

  /** Starts purging, a first pass now. */
  start(): void {
    this.#loop.start();
  }

  /** Stops; a pass in flight ends after its current batch. */
  stop(): Promise<void> {
    return this.#loop.stop();
  }

  /** One pass over each table, as of the clock's now. */
  async purge(): Promise<PurgeReport> {
    const { sql, clock } = this.opts;
    const now = clock.now();
    const keptBefore = new Date(now.getTime() - IDEMPOTENCY_KEY_RETENTION_MS);
    return {
      idempotencyKeys: await this.#inBatches((limit) => purgeIdempotencyKeys(sql, keptBefore, limit)),
      rateLimitWindows: await this.#inBatches((limit) => purgeEndedRateWindows(sql, now, limit)),
      stagedUploads: await this.#inBatches(async (limit) => {
        const purged = await purgeStagedUploads(sql, new Date(now.getTime() - STAGED_UPLOAD_RETENTION_MS), limit);
        await this.opts.materials?.forget(purged);
        return purged.length;
      }),
    };
  }

  async #inBatches(deleteBatch: (limit: number) => Promise<number>): Promise<number> {
    let total = 0;
    while (!this.#loop.stopping) {
      const deleted = await deleteBatch(this.#batchSize);
      total += deleted;
      if (deleted < this.#batchSize) break;
    }
    return total;
  }
}
