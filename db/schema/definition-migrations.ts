import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** A case the migration could not move, and why (its state unmapped, a command refused…). */
export interface MigrationRefusal {
  readonly caseId: string;
  readonly code: string;
  readonly detail: string;
}

/**
 * A migration of running cases from one published version of a definition to another (流程版本迁移), applied in
 * batches: its state mapping, the cases chosen (null: every running case on the source version), and its
 * progress. Each case moved is one command with its own audit event; a case not moved stays on its version.
 */
export const definitionMigrations = pgTable(
  'definition_migrations',
  {
    id: uuid('id').primaryKey(),
    definitionKey: text('definition_key').notNull(),
    fromVersion: integer('from_version').notNull(),
    toVersion: integer('to_version').notNull(),
    /** Source state id → target state id (`construction-permit.jointReview` → `construction-permit.review`). */
    mapping: jsonb('mapping').$type<Readonly<Record<string, string>>>().notNull(),
    caseIds: uuid('case_ids').array(),
    status: text('status').$type<'running' | 'finished'>().notNull(),
    total: integer('total').notNull(),
    migrated: integer('migrated').notNull().default(0),
    refusals: jsonb('refusals').$type<readonly MigrationRefusal[]>().notNull().default([]),
    startedBy: text('started_by').notNull(),
    startedAt: instant('started_at').notNull(),
    finishedAt: instant('finished_at'),
  },
  (t) => [
    check('definition_migrations_versions', sql`${t.fromVersion} <> ${t.toVersion}`),
    check('definition_migrations_status', sql`${t.status} in ('running', 'finished')`),
    index('definition_migrations_started_idx').on(t.startedAt),
  ],
);
