import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { migrateDatabase } from '../../db/migrate.js';
import { startServices } from '../../platform/services.js';
import { TEMPLATE_DATABASE } from './test-database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the test cluster; `createTestDatabase()` derives per-test databases from it. */
    databaseUrl: string;
    /** URL of the test Redis; keys are isolated by `testQueuePrefix()`. */
    redisUrl: string;
  }
}

const root = fileURLToPath(new URL('../..', import.meta.url));
// TONGBAN_TEST_DATA_DIR lets several runs in one checkout each start servers of their own.
const dataDir = process.env['TONGBAN_TEST_DATA_DIR'] ?? join(root, '.data', 'test');
const migrationsDir = join(root, 'db', 'migrations');

/**
 * Vitest global setup of the `integration` project: starts PostgreSQL and Redis once per run (or uses
 * DATABASE_URL / REDIS_URL), builds the migrated template database and provides `databaseUrl` and
 * `redisUrl` to the tests (`inject('databaseUrl')`). Server output goes to `.data/test/services.log`
 * so that the run's own output stays readable.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const services = await startServices({ dataDir, durable: false, log: serviceLog(join(dataDir, 'services.log')) });
  try {
    await prepareTemplate(services.databaseUrl);
  } catch (error) {
    await services.stop();
    throw error;
  }
  project.provide('databaseUrl', services.databaseUrl);
  project.provide('redisUrl', services.redisUrl);
  return services.stop;
}

/**
 * Appends to `file`, emptied at the first line of a run. Lazily, so that a run which starts no server
 * (the exit-code harness's, with DATABASE_URL and REDIS_URL set) leaves the real run's log alone.
 */
function serviceLog(file: string): (line: string) => void {
  let fresh = true;
  return (line) => {
    if (fresh) {
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(file, '');
      fresh = false;
    }
    appendFileSync(file, `${line}\n`);
  };
}

/**
 * (Re)creates the template database when db/migrations changed since it was built. The fingerprint is
 * kept as the database's comment, readable without connecting to the template: a connection to it would
 * make concurrent `CREATE DATABASE ... TEMPLATE` fail, e.g. while the exit-code harness re-runs this setup.
 */
async function prepareTemplate(adminUrl: string): Promise<void> {
  const fingerprint = migrationsFingerprint();
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [current] = await sql<{ comment: string | null }[]>`
      select shobj_description(oid, 'pg_database') as comment from pg_database where datname = ${TEMPLATE_DATABASE}`;
    if (current?.comment === fingerprint) return;
    await sql.unsafe(`drop database if exists ${TEMPLATE_DATABASE} with (force)`);
    await sql.unsafe(`create database ${TEMPLATE_DATABASE}`);
    // drizzle's migrator needs meta/_journal.json, which exists once the first migration is generated.
    if (existsSync(join(migrationsDir, 'meta', '_journal.json'))) {
      const templateUrl = new URL(adminUrl);
      templateUrl.pathname = `/${TEMPLATE_DATABASE}`;
      await migrateDatabase(templateUrl.href);
    }
    await sql.unsafe(`comment on database ${TEMPLATE_DATABASE} is '${fingerprint}'`);
  } finally {
    await sql.end();
  }
}

/** sha256 over every file (path and content) in db/migrations; 'none' while there are none. */
function migrationsFingerprint(): string {
  if (!existsSync(migrationsDir)) return 'none';
  const hash = createHash('sha256');
  const files = readdirSync(migrationsDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  for (const file of files) hash.update(file.slice(migrationsDir.length)).update('\0').update(readFileSync(file));
  return hash.digest('hex');
}
