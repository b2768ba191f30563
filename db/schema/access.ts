import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { departments, users } from './organization.js';

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * API keys of department systems (machine clients): one department, a set of operations, stored as a
 * sha256 of the secret (the secret is shown once, at creation), revocable.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    departmentCode: text('department_code')
      .notNull()
      .references(() => departments.code),
    operations: text('operations').array().notNull(),
    secretHash: text('secret_hash').notNull(),
    createdBy: text('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: instant('created_at').notNull(),
    revokedAt: instant('revoked_at'),
  },
  (t) => [index('api_keys_department_idx').on(t.departmentCode)],
);

/**
 * Answers to POSTs sent with an Idempotency-Key, per caller: a retry with the same key and body gets the
 * stored answer; the same key with another body is refused. Command answers are written in the command's
 * own transaction, so a retry can never run the command twice. Kept 24 hours, then purged by the workers
 * (db/idempotency-keys.ts); what each route keeps is in the README.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    principal: text('principal').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    status: integer('status').notNull(),
    response: jsonb('response').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.principal, t.key] }), index('idempotency_keys_created_idx').on(t.createdAt)],
);

/**
 * Fixed-window request counters per caller and action, for rate limits that hold across every API
 * process (urge, export, privileged reads). Old windows are worthless after they end: the workers purge them
 * (db/rate-limit-windows.ts).
 */
export const rateLimitWindows = pgTable(
  'rate_limit_windows',
  {
    principal: text('principal').notNull(),
    action: text('action').notNull(),
    windowStart: instant('window_start').notNull(),
    hits: integer('hits').notNull(),
  },
  (t) => [primaryKey({ columns: [t.principal, t.action, t.windowStart] })],
);

/**
 * The security log: what happens outside any case — API keys created and revoked, exports — on one
 * hash chain of its own (same hashing as case chains, chain id `security`), append-only like
 * audit_events.
 */
export const securityEvents = pgTable('security_events', {
  seq: bigint('seq', { mode: 'number' }).primaryKey(),
  type: text('type').notNull(),
  actorId: text('actor_id').notNull(),
  actingFor: text('acting_for'),
  occurredAt: instant('occurred_at').notNull(),
  data: jsonb('data').notNull(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
});

/** The security chain's head: one row, locked by each append so appends take turns. */
export const securityChainHead = pgTable(
  'security_chain_head',
  {
    id: smallint('id').primaryKey(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [check('security_chain_head_single_row', sql`${t.id} = 1`)],
);
