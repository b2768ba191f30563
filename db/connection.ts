import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';

export type Sql = postgres.Sql;

/**
 * A postgres.js pool. jsonb comes back parsed; notices are not logged (migrations and
 * `IF NOT EXISTS` emit harmless ones).
 *
 * drizzle's postgres-js driver switches the pool's date parsers and serializers off, because it maps
 * dates and json itself. It is applied here, once, at creation, so that every raw query on every pool
 * behaves the same whatever ran first: raw queries get timestamps as PostgreSQL text (read them with
 * `instants.ts`) and must send ISO strings, and send json as `JSON.stringify(value)` cast with `::jsonb`.
 *
 * @example const sql = connect(process.env.DATABASE_URL!, { max: 10 });
 */
export function connect(databaseUrl: string, options: { max?: number } = {}): Sql {
  const sql = postgres(databaseUrl, {
    max: options.max ?? 10,
    onnotice: () => {},
    connection: { application_name: 'tongban' },
  });
  drizzle(sql);
  return sql;
}
