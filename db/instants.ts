import type { Sql } from './connection.js';

/**
 * Timestamps read from PostgreSQL, as `Date`s: the one place that parses them.
 *
 * `connect()` runs `drizzle()` once on every pool, and drizzle's postgres-js driver switches the pool's
 * date parsers off (it maps dates itself). So drizzle's selects get `Date`s while raw queries on the same
 * pool get PostgreSQL's text (`2026-11-30 01:00:00.123+00`); these take either.
 *
 * @example const dueAt = instant(row['due_at']);
 */
export const instant = (value: unknown): Date => (value instanceof Date ? value : new Date(String(value)));

/** {@link instant}, or null for a column that is null (e.g. `completed_at` of an open task). */
export const optionalInstant = (value: unknown): Date | null => (value === null || value === undefined ? null : instant(value));

/**
 * PostgreSQL's clock now (`clock_timestamp()`, not the transaction's start), as epoch milliseconds: the one
 * authority on time that every process of a deployment anchors its clock to (`platform/steady-clock.ts`).
 */
export async function databaseNow(sql: Sql): Promise<number> {
  const [row] = await sql<{ ms: number }[]>`select (extract(epoch from clock_timestamp()) * 1000)::float8 as ms`;
  if (row === undefined) throw new Error('PostgreSQL returned no clock_timestamp()');
  return row.ms;
}
