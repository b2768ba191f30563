import { migrateDatabase } from '../db/migrate.js';
import { registerSigningKey } from '../db/licence-queries.js';
import { installReferenceData } from './shipped-data.js';
import type { Runtime } from './runtime.js';

/**
 * What every process does before serving: apply pending migrations (under an advisory lock, so processes
 * starting together take turns), install the shipped reference data and register the licence signing key (idempotent).
 */
export async function prepareDatabase(databaseUrl: string, runtime: Runtime): Promise<void> {
  await migrateDatabase(databaseUrl);
  await installReferenceData(runtime.sql, runtime.catalog);
  await registerSigningKey(runtime.sql, runtime.licenceSigner, runtime.clock.now());
}
