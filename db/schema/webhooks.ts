import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid, boolean } from 'drizzle-orm/pg-core';

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * A department system's subscription (订阅): the events it wants, the URL they are posted to, and the secret their
 * HMAC-SHA256 signature is made with (shown once, when created or rotated).
 */
export const webhookSubscriptions = pgTable(
  'webhook_subscriptions',
  {
    id: uuid('id').primaryKey(),
    departmentCode: text('department_code').notNull(),
    url: text('url').notNull(),
    events: text('events').array().notNull(),
    secret: text('secret').notNull(),
    active: boolean('active').notNull().default(true),
    createdBy: text('created_by').notNull(),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [index('webhook_subscriptions_department_idx').on(t.departmentCode).where(sql`${t.active}`)],
);

/**
 * One event for one subscription, and how its delivery stands: `pending` (next try at `next_attempt_at`),
 * `delivered`, or `dead` (every attempt failed: a dead letter, replayable).
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey(),
    subscriptionId: uuid('subscription_id').notNull(),
    departmentCode: text('department_code').notNull(),
    event: text('event').notNull(),
    caseId: uuid('case_id'),
    /** The notification it was made from: a subscription gets each at most once. */
    sourceId: uuid('source_id').notNull(),
    payload: jsonb('payload').notNull(),
    status: text('status').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: instant('next_attempt_at').notNull(),
    lastError: text('last_error'),
    lastStatus: integer('last_status'),
    createdAt: instant('created_at').notNull(),
    deliveredAt: instant('delivered_at'),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_source_idx').on(t.subscriptionId, t.sourceId, t.event),
    index('webhook_deliveries_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index('webhook_deliveries_subscription_idx').on(t.subscriptionId, t.createdAt),
    index('webhook_deliveries_dead_idx').on(t.departmentCode, t.createdAt).where(sql`${t.status} = 'dead'`),
  ],
);
