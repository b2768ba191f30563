import type { Actor } from '../engine/access/actor.js';
import type { Sql } from './connection.js';
import { instant, optionalInstant } from './instants.js';
import { withSecurityEvent, type Tx } from './security-log.js';

/**
 * Webhook deliveries (`schema/webhooks.ts`): made by the relay from the notifications it delivers
 * (`webhook-events.ts`), sent by the dispatchers (`workers/webhook-dispatcher.ts`), listed and replayed through
 * the API. Each is one event for one subscription: `pending` (its next try at `next_attempt_at`), `delivered`, or
 * `dead` (every attempt failed: a dead letter, kept until replayed).
 */
export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'dead'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

export interface WebhookDelivery {
  readonly id: string;
  readonly subscriptionId: string;
  readonly departmentCode: string;
  readonly event: string;
  readonly caseId: string | null;
  readonly payload: Record<string, unknown>;
  readonly status: WebhookDeliveryStatus;
  readonly attempts: number;
  readonly nextAttemptAt: Date;
  readonly lastError: string | null;
  readonly lastStatus: number | null;
  readonly createdAt: Date;
  readonly deliveredAt: Date | null;
}

const COLUMNS = `id, subscription_id as "subscriptionId", department_code as "departmentCode", event, case_id as "caseId", payload,
  status, attempts, next_attempt_at as "nextAttemptAt", last_error as "lastError", last_status as "lastStatus",
  created_at as "createdAt", delivered_at as "deliveredAt"`;

const toDelivery = (r: Record<string, unknown>): WebhookDelivery => ({
  ...(r as unknown as WebhookDelivery),
  nextAttemptAt: instant(r['nextAttemptAt']),
  createdAt: instant(r['createdAt']),
  deliveredAt: optionalInstant(r['deliveredAt']),
});

/** Which deliveries a list shows: one department's (`department` null: every department's), newest first. */
export interface WebhookDeliveryFilter {
  readonly department: string | null;
  readonly status?: WebhookDeliveryStatus | undefined;
  readonly subscriptionId?: string | undefined;
  /** Made at or after this instant: what a system that was down asks for. */
  readonly since?: Date | undefined;
  readonly page: number;
  readonly pageSize: number;
}

/**
 * A page of deliveries, newest first. A department's dead letters are the partial index
 * `webhook_deliveries_dead_idx`, a subscription's history `webhook_deliveries_subscription_idx`.
 */
export async function listWebhookDeliveries(sql: Sql, f: WebhookDeliveryFilter): Promise<WebhookDelivery[]> {
  const rows = await sql.unsafe(
    `select ${COLUMNS} from webhook_deliveries
     where ($1::text is null or department_code = $1) and ($2::text is null or status = $2)
       and ($3::uuid is null or subscription_id = $3) and ($4::timestamptz is null or created_at >= $4)
     order by created_at desc, id desc limit $5 offset $6`,
    [f.department, f.status ?? null, f.subscriptionId ?? null, f.since?.toISOString() ?? null, f.pageSize, (f.page - 1) * f.pageSize],
  );
  return rows.map(toDelivery);
}

/** One delivery, if it exists and (`department` given) is that department's. */
export async function findWebhookDelivery(sql: Sql, id: string, department: string | null): Promise<WebhookDelivery | null> {
  const [row] = await sql.unsafe(`select ${COLUMNS} from webhook_deliveries where id = $1 and ($2::text is null or department_code = $2)`, [id, department]);
  return row ? toDelivery(row) : null;
}

/**
 * Replays dead letters: each is pending again with fresh attempts, due at once, and the replay is written to the
 * security log in the same transaction (`webhook.replayed`: who, which subscription, which deliveries). Only dead
 * letters of an active subscription are replayed: a delivery pending or delivered meanwhile is left as it is.
 * `which` is one delivery, or every dead letter of a subscription. Returns the ids replayed.
 */
export function replayDeadLetters(
  sql: Sql,
  which: { readonly deliveryId: string } | { readonly subscriptionId: string },
  by: { actor: Actor; now: Date },
): Promise<string[]> {
  const [column, id] = 'deliveryId' in which ? ['d.id', which.deliveryId] : ['d.subscription_id', which.subscriptionId];
  return withSecurityEvent(
    sql,
    async (tx: Tx) => {
      const rows = await tx.unsafe<{ id: string; subscriptionId: string }[]>(
        // Due from the instant its event happened: at once on any dispatcher's clock (the API's and the workers'
        // differ a little), and replayed letters go out in the order their events happened.
        `update webhook_deliveries d set status = 'pending', attempts = 0, next_attempt_at = d.created_at
         from webhook_subscriptions s
         where ${column} = $1 and d.status = 'dead' and s.id = d.subscription_id and s.active
         returning d.id, d.subscription_id as "subscriptionId"`,
        [id],
      );
      return rows.map((r) => ({ id: r.id, subscriptionId: r.subscriptionId }));
    },
    (replayed) => ({
      type: 'webhook.replayed',
      actor: by.actor,
      at: by.now,
      data: { ...which, deliveries: replayed.map((r) => r.id) },
    }),
  ).then((replayed) => replayed.map((r) => r.id));
}

/** A delivery claimed for an attempt, with where it goes and the secret it is signed with. */
export interface ClaimedDelivery {
  readonly id: string;
  readonly event: string;
  readonly payload: Record<string, unknown>;
  /** This attempt's number, from 1. */
  readonly attempt: number;
  readonly url: string;
  readonly secret: string;
}

/**
 * Claims up to `limit` deliveries due at `now` for an attempt, oldest due first, skipping those another dispatcher
 * holds (`FOR UPDATE SKIP LOCKED`), and leases them: their attempt is counted and their next try moved to
 * `now + leaseMs`, in the claim's own statement. The POST then runs outside any transaction; a dispatcher that
 * dies meanwhile leaves them to be tried again once the lease ends. Deliveries of an inactive subscription wait.
 */
export async function claimDueDeliveries(sql: Sql, now: Date, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
  return sql.unsafe<ClaimedDelivery[]>(
    `update webhook_deliveries d set attempts = d.attempts + 1, next_attempt_at = $1::timestamptz + make_interval(secs => $3::float8 / 1000)
     from webhook_subscriptions s
     where d.id in (
         select w.id from webhook_deliveries w join webhook_subscriptions ws on ws.id = w.subscription_id and ws.active
         where w.status = 'pending' and w.next_attempt_at <= $1::timestamptz
         order by w.next_attempt_at limit $2
         for update of w skip locked)
       and s.id = d.subscription_id
     returning d.id, d.event, d.payload, d.attempts as attempt, s.url, s.secret`,
    [now.toISOString(), limit, leaseMs],
  );
}

/** How an attempt ended: delivered (2xx), to be tried again at `retryAt`, or given up (`retryAt` null: dead). */
export interface AttemptOutcome {
  readonly id: string;
  readonly attempt: number;
  readonly delivered: boolean;
  readonly status: number | null;
  readonly error: string | null;
  readonly retryAt: Date | null;
  readonly at: Date;
}

/**
 * Records an attempt's outcome, if the delivery is still as the attempt claimed it (pending, that attempt): a
 * replay or another dispatcher's later attempt meanwhile is not overwritten.
 */
export async function recordAttempt(sql: Sql, o: AttemptOutcome): Promise<void> {
  const status = o.delivered ? 'delivered' : o.retryAt ? 'pending' : 'dead';
  await sql.unsafe(
    `update webhook_deliveries set status = $3, last_status = $4, last_error = $5,
       next_attempt_at = coalesce($6::timestamptz, next_attempt_at), delivered_at = case when $3 = 'delivered' then $7::timestamptz end
     where id = $1 and attempts = $2 and status = 'pending'`,
    [o.id, o.attempt, status, o.status, o.error, o.retryAt?.toISOString() ?? null, o.at.toISOString()],
  );
}
