import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Audit events, append-only (a trigger in the migrations rejects UPDATE and DELETE) and hash-chained per
 * case: `hash` covers the event and `prev_hash`.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    caseId: uuid('case_id').notNull(),
    seq: integer('seq').notNull(),
    type: text('type').notNull(),
    actorId: text('actor_id').notNull(),
    actingFor: text('acting_for'),
    occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'date' }).notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.seq] }), index('audit_events_occurred_idx').on(t.occurredAt)],
);
