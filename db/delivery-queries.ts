import type postgres from 'postgres';
import type { Sql } from './connection.js';
import { instant } from './instants.js';
import type { OutboxTopic } from './outbox-contract.js';
import { WEBHOOK_DERIVATION_ARMS } from './webhook-events.js';

/**
 * The queries `workers/` needs to deliver what commands leave in PostgreSQL: unsent outbox rows, pending
 * timers and undelivered notifications (schema in `schema/delivery.ts`). Each is one statement.
 *
 * Timers reach BullMQ only when due within {@link SCHEDULING_HORIZON_MS}.
 *
 * drizzle's postgres-js driver switches the shared pool's timestamp parsers and serializers off (see
 * `instants.ts`), so instants go in as ISO text with a cast and come back through `instant`.
 */

/** A pool or an open transaction: the queries below run on either. */
export type Queryable = Sql | postgres.TransactionSql;

/** An outbox row as the relay routes it. `id` is a bigint, kept as postgres.js returns it: a string. */
export interface OutboxRow {
  readonly id: string;
  readonly caseId: string;
  /** One of the topics the claim asked for. */
  readonly topic: OutboxTopic;
  readonly payload: Record<string, unknown>;
}

/**
 * Locks and returns up to `limit` unsent rows of the given topics, oldest first, skipping rows another relay
 * holds (`FOR UPDATE SKIP LOCKED`), so relays in many processes share the outbox without waiting on each
 * other. Served by the partial index `outbox_unsent_idx`. Rows of topics this relay does not know (written
 * by a newer engine during a rolling deploy) are left for a relay that does, rather than blocking the head.
 * Call inside a transaction: the locks last until it ends.
 */
export function claimUnsentOutbox(tx: postgres.TransactionSql, topics: readonly OutboxTopic[], limit: number): Promise<OutboxRow[]> {
  return tx<OutboxRow[]>`
    select id::text as id, case_id::text as "caseId", topic, payload from outbox
    where sent_at is null and topic = any(${topics as string[]}::text[])
    -- outbox.id, not the text alias: the bigint order walks the partial index oldest-first; the alias
    -- would sort the whole backlog as text on every batch.
    order by outbox.id limit ${limit}
    for update skip locked`;
}

/** Marks relayed rows sent (database time: `created_at` is database time too). */
export async function markOutboxSent(tx: Queryable, ids: readonly string[]): Promise<void> {
  await tx`update outbox set sent_at = now() where id = any(${ids as string[]}::bigint[])`;
}

/**
 * How far ahead pending timers are BullMQ delayed jobs. Redis then holds the next hour of deadlines, not
 * every deadline of every running case: a delayed job costs about 1 kB, so a million pending deadlines
 * would take a gigabyte, and a deadline cancelled when its task completes would sit there until it fell
 * due. The reconciler's walk moves timers into the horizon as time passes (workers/reconciler.ts); commits
 * relay a timer due sooner than twice the horizon at once (db/commit-statement.ts), so one committed while
 * a walk passes its due instant is taken by one or the other.
 */
export const SCHEDULING_HORIZON_MS = 60 * 60_000;

/**
 * Where a walk over pending timers stands, ordered by `(due_at, id)`. `dueAt` is PostgreSQL's own text of
 * the instant, so microseconds survive the round trip through JavaScript.
 */
export interface TimerCursor {
  readonly dueAt: string;
  readonly id: string;
}

/** Before every timer. */
export const TIMER_CURSOR_START: TimerCursor = { dueAt: '-infinity', id: '00000000-0000-0000-0000-000000000000' };

export interface PendingTimer {
  readonly id: string;
  readonly dueAt: Date;
  /** Pass as `after` to read on from this timer. */
  readonly cursor: TimerCursor;
}

/**
 * The next `$4` pending timers after the cursor `($1 due_at text, $2 id)` and due before `$3`, ordered by
 * `(due_at, id)`: keyset pagination, so walking a million pending timers costs the same per page.
 * `status = 'pending'` and the `due_at` range match the partial index `timers_pending_due_idx` (PostgreSQL
 * derives `due_at >= $1` from the row comparison as an index condition; the `id` tie-break is an
 * incremental sort over equal `due_at`s). A suspended case's timers (中止) are left where they are: it fires
 * nothing until it resumes, and its resumption relays them again (`resume-case.ts`) — else the
 * overdue sweep would deliver them again on every tick, each a fire that changes nothing.
 */
export const PENDING_TIMERS_SQL = `
  select id, due_at as "dueAt", due_at::text as "dueAtText" from timers
  where status = 'pending' and due_at < $3::timestamptz and (due_at, id) > ($1::timestamptz, $2::uuid)
    and not exists (select 1 from cases c where c.id = timers.case_id and c.status = 'suspended')
  order by due_at, id
  limit $4`;

/** Pending timers after `after`, optionally only those due before `dueBefore` (see {@link PENDING_TIMERS_SQL}). */
export async function pendingTimers(
  sql: Queryable,
  opts: { readonly after: TimerCursor; readonly dueBefore?: Date; readonly limit: number },
): Promise<PendingTimer[]> {
  const before = opts.dueBefore?.toISOString() ?? 'infinity';
  const rows = await sql.unsafe<{ id: string; dueAt: unknown; dueAtText: string }[]>(PENDING_TIMERS_SQL, [
    opts.after.dueAt,
    opts.after.id,
    before,
    opts.limit,
  ]);
  return rows.map((r) => ({ id: r.id, dueAt: instant(r.dueAt), cursor: { dueAt: r.dueAtText, id: r.id } }));
}

/**
 * Delivers up to `limit` undelivered notifications, oldest first, in one statement: the in-app inbox needs
 * nothing more than `delivered_at` set (the row *is* the inbox entry), so a batch costs one update, not a
 * job and a transaction per notification. `FOR UPDATE SKIP LOCKED` lets relays in many processes share the
 * work; `delivered_at is null` is the partial index `notifications_undelivered_idx`, so the claim reads only
 * what is left to deliver. The same statement makes the webhook deliveries of the department systems
 * subscribed to what the batch tells (`webhook-events.ts`) and wakes their dispatchers. Returns how many
 * notifications it delivered.
 */
export async function deliverNotifications(sql: Queryable, limit: number): Promise<number> {
  const [row] = await sql.unsafe<{ delivered: number }[]>(NOTIFICATION_DELIVERY_SQL, [limit]);
  return row?.delivered ?? 0;
}

const NOTIFICATION_DELIVERY_SQL = `
  with delivered as (
    update notifications set delivered_at = now()
    where id in (
      select id from notifications where delivered_at is null
      order by created_at limit $1
      for update skip locked)
      and delivered_at is null
    returning id, case_id, department_code, audience, template, data, created_at
  ),
  ${WEBHOOK_DERIVATION_ARMS}
  select (select count(*) from delivered)::int as delivered, (select count(*) from webhooks_woken)::int as woken`;
