import { randomBytes, randomUUID } from 'node:crypto';
import type { Actor } from '../engine/access/actor.js';
import type { Sql } from './connection.js';
import { instant } from './instants.js';
import { withSecurityEvent, type Tx } from './security-log.js';
import type { WebhookEvent } from './webhook-events.js';

/**
 * Department systems' webhook subscriptions (`schema/webhooks.ts`). The secret signs every delivery
 * (HMAC-SHA256), so it is kept as it is, not hashed; it leaves the database only in the answer that creates or
 * rotates it, and to the dispatcher that signs. Every change is written to the security log in its transaction.
 */
export interface WebhookSubscription {
  readonly id: string;
  readonly departmentCode: string;
  readonly url: string;
  readonly events: WebhookEvent[];
  readonly active: boolean;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** What a subscription's owner changes; what is absent stays. */
export interface WebhookSubscriptionChange {
  readonly url?: string | undefined;
  readonly events?: WebhookEvent[] | undefined;
  readonly active?: boolean | undefined;
}

const COLUMNS = `id, department_code as "departmentCode", url, events, active, created_by as "createdBy",
  created_at as "createdAt", updated_at as "updatedAt"`;

const toSubscription = (r: Record<string, unknown>): WebhookSubscription => ({
  ...(r as unknown as WebhookSubscription),
  createdAt: instant(r['createdAt']),
  updatedAt: instant(r['updatedAt']),
});

/** A new signing secret: 32 random bytes, prefixed so that a leaked one is recognisable in a scan. */
const newSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

/** Creates a subscription, security-logged; the returned `secret` is shown once. */
export function createWebhookSubscription(
  sql: Sql,
  input: { departmentCode: string; url: string; events: WebhookEvent[]; actor: Actor; now: Date },
): Promise<WebhookSubscription & { secret: string }> {
  const secret = newSecret();
  return withSecurityEvent(
    sql,
    async (tx: Tx) => {
      const [row] = await tx.unsafe(
        `insert into webhook_subscriptions (id, department_code, url, events, secret, active, created_by, created_at, updated_at)
         values ($1, $2, $3, $4, $5, true, $6, $7, $7) returning ${COLUMNS}`,
        [randomUUID(), input.departmentCode, input.url, input.events, secret, input.actor.userId, input.now.toISOString()],
      );
      return { ...toSubscription(row as Record<string, unknown>), secret };
    },
    (created) => ({ type: 'webhook.subscribed', actor: input.actor, at: input.now, data: subscriptionData(created) }),
  );
}

/** Subscriptions, oldest first: of one department, or of all (`department` null: administrators). */
export async function listWebhookSubscriptions(sql: Sql, department: string | null): Promise<WebhookSubscription[]> {
  const rows = await sql.unsafe(`select ${COLUMNS} from webhook_subscriptions where $1::text is null or department_code = $1 order by created_at, id`, [department]);
  return rows.map(toSubscription);
}

/** One subscription, if it exists and (`department` given) belongs to that department. */
export async function findWebhookSubscription(sql: Sql, id: string, department: string | null): Promise<WebhookSubscription | null> {
  const [row] = await sql.unsafe(`select ${COLUMNS} from webhook_subscriptions where id = $1 and ($2::text is null or department_code = $2)`, [id, department]);
  return row ? toSubscription(row) : null;
}

/**
 * Changes a subscription's URL, events or activity, security-logged with what changed; null when there is no such
 * subscription. A deactivated subscription gets no new deliveries and its pending ones wait (the dispatcher
 * skips them) until it is active again.
 */
export function changeWebhookSubscription(
  sql: Sql,
  id: string,
  change: WebhookSubscriptionChange,
  by: { actor: Actor; now: Date },
): Promise<WebhookSubscription | null> {
  return withSecurityEvent(
    sql,
    async (tx: Tx) => {
      const [row] = await tx.unsafe(
        `update webhook_subscriptions set url = coalesce($2, url), events = coalesce($3, events), active = coalesce($4, active), updated_at = $5
         where id = $1 returning ${COLUMNS}`,
        [id, change.url ?? null, change.events ?? null, change.active ?? null, by.now.toISOString()],
      );
      return row ? toSubscription(row) : null;
    },
    (changed) => ({ type: 'webhook.subscription-changed', actor: by.actor, at: by.now, data: { subscriptionId: id, changed: Object.keys(change).filter((k) => change[k as keyof WebhookSubscriptionChange] !== undefined), ...(changed ? subscriptionData(changed) : {}) } }),
  );
}

/** Gives a subscription a new secret, security-logged; the old one signs nothing from now. Null when there is none. */
export function rotateWebhookSecret(sql: Sql, id: string, by: { actor: Actor; now: Date }): Promise<(WebhookSubscription & { secret: string }) | null> {
  const secret = newSecret();
  return withSecurityEvent(
    sql,
    async (tx: Tx) => {
      const [row] = await tx.unsafe(`update webhook_subscriptions set secret = $2, updated_at = $3 where id = $1 returning ${COLUMNS}`, [id, secret, by.now.toISOString()]);
      return row ? { ...toSubscription(row), secret } : null;
    },
    (rotated) => ({ type: 'webhook.secret-rotated', actor: by.actor, at: by.now, data: { subscriptionId: id, department: rotated?.departmentCode ?? null } }),
  );
}

/** What the security log says of a subscription: never its secret. */
const subscriptionData = (s: WebhookSubscription) => ({ subscriptionId: s.id, department: s.departmentCode, url: s.url, events: s.events, active: s.active });
