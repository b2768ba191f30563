import { migrateDatabase } from '../db/migrate.js';
import { installReferenceData } from './shipped-data.js';
import type { Runtime } from './runtime.js';

/**
 * What every process does before serving: apply pending migrations (under an advisory lock, so processes
 * starting together take turns) and install the shipped reference data (idempotent).
 */
export async function prepareDatabase(databaseUrl: string, runtime: Runtime): Promise<void> {
  await migrateDatabase(databaseUrl);
  await installReferenceData(runtime.sql, runtime.catalog);
}
