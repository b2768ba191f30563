import type { WallClock } from '../engine/time/wall-clock.js';
import type { Sql } from '../db/connection.js';
import { claimUnsentOutbox, deliverNotifications, markOutboxSent, type OutboxRow } from '../db/delivery-queries.js';
import { OUTBOX_CHANNEL, OUTBOX_TOPICS, type OutboxTopic } from '../db/outbox-contract.js';
import { errorFields, type Logger } from '../platform/logger.js';
import { withRequestId } from '../platform/request-context.js';
import { openSpan, SpanKind, type OpenSpan } from '../platform/tracing.js';
import { timerJob, type DeliveryQueues } from './queues.js';
import { ListeningLoop } from './listening-loop.js';

/** The topics this relay routes; rows of other topics wait for a relay that knows them. */
const TOPICS: readonly OutboxTopic[] = [OUTBOX_TOPICS.timer];

export interface OutboxRelayOptions {
  readonly sql: Sql;
  readonly queues: DeliveryQueues;
  readonly clock: WallClock;
  readonly logger: Logger;
  /** Rows per transaction (default 500). */
  readonly batchSize?: number;
  /** Poll interval, the fallback for a lost notification (default 1000 ms). */
  readonly pollMs?: number;
}

/**
 * Delivers what commands committed, off the request path and in batches (PERFORMANCE.md):
 *
 * - Outbox rows (timers due soon) to BullMQ: one transaction locks up to `batchSize` unsent rows (`FOR UPDATE
 *   SKIP LOCKED`, so relays in several processes share the work), adds them with one `addBulk`, marks them
 *   sent and commits. If Redis fails the transaction rolls back and the rows stay unsent; if the commit fails
 *   after the add, the rows are relayed again and the job ids dedup them (or, once a job has finished, the
 *   idempotent handler does).
 * - Notifications to the in-app inbox: one statement sets `delivered_at` on up to `batchSize` undelivered
 *   rows. No job per notification: delivering in-app is that update. The same statement makes the webhook
 *   deliveries of the department systems subscribed (`db/webhook-events.ts`); they call out and need retries,
 *   so the webhook dispatcher sends them (`webhook-dispatcher.ts`), woken by that statement.
 *
 * Woken by `LISTEN` on the commits' channel (`OUTBOX_CHANNEL`) and by a poll, so a lost notification only
 * delays delivery; it keeps going while batches come back full.
 *
 * @example
 * const relay = new OutboxRelay({ sql, queues, clock: systemClock, logger });
 * await relay.start();
 * // ...
 * await relay.stop();
 */
export class OutboxRelay {
  readonly #batchSize: number;
  readonly #loop: ListeningLoop;

  constructor(private readonly opts: OutboxRelayOptions) {
    this.#batchSize = opts.batchSize ?? 500;
    this.#loop = new ListeningLoop(
      opts.sql,
      OUTBOX_CHANNEL,
      async () => {
        await this.flush();
      },
      opts.pollMs ?? 1_000,
      (error) => opts.logger.log('error', 'relay.failed', errorFields(error)),
    );
  }

  /** Listens for commits and starts relaying (a first pass runs at once). */
  start(): Promise<void> {
    return this.#loop.start();
  }

  /** Stops listening and polling; waits for the batch in flight to commit or roll back. */
  stop(): Promise<void> {
    return this.#loop.stop();
  }

  /** Relays batches until both kinds come back short (or the relay is stopping); returns the rows relayed. */
  async flush(): Promise<number> {
    let total = 0;
    for (;;) {
      const [timers, notifications] = await Promise.all([this.relayBatch(), deliverNotifications(this.opts.sql, this.#batchSize)]);
      total += timers + notifications;
      if ((timers < this.#batchSize && notifications < this.#batchSize) || this.#loop.stopping) return total;
    }
  }

  /**
   * One transaction: lock a batch of outbox rows, enqueue their jobs, mark them sent. Returns how many. Once
   * committed, one `outbox.relayed` line per row, under the request id of the command that wrote it. Each row has
   * its `outbox.relay` span, a child of the commit that wrote it, from the claim to the commit (or the failure);
   * its job carries it on, so that the timer worker's span is the relay's child.
   */
  async relayBatch(): Promise<number> {
    const { sql, queues, clock, logger } = this.opts;
    let relays: { readonly row: OutboxRow; readonly span: OpenSpan }[] = [];
    try {
      await sql.begin(async (tx) => {
        const claimed = await claimUnsentOutbox(tx, TOPICS, this.#batchSize);
        if (claimed.length === 0) return;
        relays = claimed.map((row) => ({ row, span: relaySpan(row) }));
        await queues.timers.addBulk(
          relays.map(({ row, span }) => timerJob(String(row.payload['timerId']), dueAtOf(row, clock), clock, { requestId: textOf(row, 'requestId'), traceparent: span.traceparent })),
        );
        await markOutboxSent(tx, claimed.map((r) => r.id));
      });
    } catch (error) {
      for (const { span } of relays) span.end(error);
      throw error;
    }
    for (const { row, span } of relays) {
      span.end();
      withRequestId(textOf(row, 'requestId'), () => logger.log('info', 'outbox.relayed', { caseId: row.caseId, topic: row.topic, timerId: row.payload['timerId'] }));
    }
    return relays.length;
  }
}

/** The row's span: ids only, under the trace of the commit that wrote the row (its `traceparent`), if it was traced. */
function relaySpan(row: OutboxRow): OpenSpan {
  const attributes = { 'tongban.case.id': row.caseId, 'tongban.outbox.topic': row.topic, 'tongban.timer.id': String(row.payload['timerId']) };
  return openSpan('outbox.relay', attributes, textOf(row, 'traceparent'), SpanKind.PRODUCER);
}

/** A text the row's command wrote into its payload (the request id it was sent under, its commit's span), if any. */
function textOf(row: OutboxRow, field: 'requestId' | 'traceparent'): string | undefined {
  const value = row.payload[field];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The payload's `dueAt`; an unreadable one is delivered now rather than failing the batch (which would
 * block the outbox head): the engine refuses an early fire and the timer worker re-delays the job until
 * the timer's real `due_at`.
 */
function dueAtOf(row: OutboxRow, clock: WallClock): Date {
  const dueAt = new Date(String(row.payload['dueAt']));
  return Number.isNaN(dueAt.getTime()) ? clock.now() : dueAt;
}
