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
