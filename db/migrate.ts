import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/postgres-js';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';

/** Arbitrary, fixed: the advisory lock key that serializes migrations. */
const MIGRATION_LOCK = 7_262_001;

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/**
 * Applies every pending drizzle-kit migration in `db/migrations` to the database at `databaseUrl`.
 * Safe to call on every start: applied migrations are recorded and skipped.
 *
 * @example await migrateDatabase(process.env.DATABASE_URL!)
 */
export async function migrateDatabase(databaseUrl: string): Promise<void> {
  // One connection, so the advisory lock and the migration share a session: API and worker processes
  // starting together migrate one after the other instead of racing.
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migrate(drizzle(sql), { migrationsFolder });
    await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`;
  } finally {
    await sql.end();
  }
}

let shipped: readonly number[] | undefined;

/**
 * When each migration shipped in `db/migrations` was generated (drizzle's `folderMillis`, what a migrated
 * database records in `drizzle.__drizzle_migrations.created_at`), oldest first. Read once per process.
 */
export function shippedMigrations(): readonly number[] {
  shipped ??= readMigrationFiles({ migrationsFolder }).map((m) => m.folderMillis);
  return shipped;
}
