import type { Sql } from './connection.js';
import { shippedMigrations } from './migrate.js';

/** What readiness needs to know from PostgreSQL, read in one round trip. */
export interface DatabaseReadiness {
  /** Migrations shipped with this code that the database has not applied. */
  readonly pendingMigrations: number;
  /** When the oldest outbox row still to relay, or notification still to deliver, was written; null when none. */
  readonly oldestUndeliveredAt: Date | null;
}

/**
 * Reads the last applied migration and the oldest undelivered outbox row and notification. Both oldest
 * reads walk a partial index of undelivered rows (`outbox_unsent_idx`, `notifications_undelivered_idx`), so
 * the query costs the same with a million delivered rows.
 */
export async function databaseReadiness(sql: Sql): Promise<DatabaseReadiness> {
  const [row] = await sql<{ lastMigration: number | null; oldestOutbox: number | null; oldestNotification: number | null }[]>`
    select
      (select max(created_at)::float8 from drizzle.__drizzle_migrations) as "lastMigration",
      (select (extract(epoch from created_at) * 1000)::float8 from outbox where sent_at is null order by id limit 1) as "oldestOutbox",
      (select (extract(epoch from min(created_at)) * 1000)::float8 from notifications where delivered_at is null) as "oldestNotification"`;
  const lastMigration = row?.lastMigration ?? -Infinity;
  const oldest = [row?.oldestOutbox, row?.oldestNotification].filter((ms): ms is number => typeof ms === 'number');
  return {
    pendingMigrations: shippedMigrations().filter((when) => when > lastMigration).length,
    oldestUndeliveredAt: oldest.length > 0 ? new Date(Math.min(...oldest)) : null,
  };
}
