import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import postgres from 'postgres';

const MIGRATIONS = new URL('../../db/migrations/', import.meta.url);
const files = readdirSync(MIGRATIONS).filter((f) => f.endsWith('.sql')).sort();

/** A database of its own, migrated up to a migration, for a test of that migration on the rows written before it. */
export interface MigrationDatabase {
  readonly sql: postgres.Sql;
  /** Applies the migration whose file starts with `prefix` (e.g. `0022`), in a transaction as drizzle's migrator does. */
  apply(prefix: string): Promise<void>;
  drop(): Promise<void>;
}

/**
 * Creates `t_<random>` on the test cluster (`adminUrl`, the global setup's) and applies every migration before the one
 * starting with `prefix`.
 *
 * @example
 * const db = await migratedUpTo(inject('databaseUrl'), '0022');
 * await db.sql`insert into cases …`;
 * await db.apply('0022');
 */
export async function migratedUpTo(adminUrl: string, prefix: string): Promise<MigrationDatabase> {
  const name = `t_${randomUUID().replaceAll('-', '')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const sql = postgres(url.href, { max: 1, onnotice: () => {} });
  const run = (file: string) =>
    sql.begin(async (tx) => {
      for (const statement of readFileSync(new URL(file, MIGRATIONS), 'utf8').split('--> statement-breakpoint')) await tx.unsafe(statement);
    });
  for (const file of files.filter((f) => f < prefix)) await run(file);
  return {
    sql,
    async apply(migration) {
      const file = files.find((f) => f.startsWith(migration));
      if (!file) throw new Error(`No migration ${migration} in db/migrations`);
      await run(file);
    },
    async drop() {
      await sql.end();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
