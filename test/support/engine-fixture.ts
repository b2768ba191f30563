import { connect, type Sql } from '../../db/connection.js';
import { PgCaseStore } from '../../db/pg-case-store.js';
import { PgCatalog } from '../../db/pg-catalog.js';
import { installReferenceData } from '../../apps/shipped-data.js';
import { ManualClock } from '../../engine/time/wall-clock.js';
import { Engine } from '../../engine/engine.js';
import { registerSigningKey } from '../../db/licence-queries.js';
import { TEST_LICENCE_SIGNER } from './licence-signer.js';
import type { LicenceSigner } from '../../engine/licences/licence-signer.js';
import { installDemoUsers } from '../../apps/demo-users.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

/** Monday 30 November 2026, 09:00 in Beijing: a plain working week ahead. */
export const MONDAY_MORNING = new Date('2026-11-30T09:00:00+08:00');

export interface EngineFixture {
  readonly db: TestDatabase;
  readonly sql: Sql;
  readonly catalog: PgCatalog;
  readonly store: PgCaseStore;
  readonly clock: ManualClock;
  readonly engine: Engine;
  /** What its engine signs licences with, registered in `signing_keys`. */
  readonly licenceSigner: LicenceSigner;
  /** Closes the pool and drops the database. */
  close(): Promise<void>;
}

/**
 * A real engine on a database of its own (copied from the migrated template, or `database`, migrated, e.g. on a
 * private cluster) with the shipped reference data and demo users, on a manual clock: tests move time, they never
 * sleep.
 */
export async function createEngineFixture(start: Date = MONDAY_MORNING, database?: TestDatabase): Promise<EngineFixture> {
  const db = database ?? (await createTestDatabase());
  const sql = connect(db.url, { max: 6 });
  const catalogSql = connect(db.url, { max: 2 });
  const clock = new ManualClock(start);
  // As in apps/runtime.ts: the catalogue never competes with command transactions for connections.
  const catalog = new PgCatalog(catalogSql, () => clock.now().getTime());
  await installReferenceData(sql, catalog);
  await installDemoUsers(sql);
  const store = new PgCaseStore(sql);
  const engine = new Engine({ store, catalog, clock, licenceSigner: TEST_LICENCE_SIGNER });
  await registerSigningKey(sql, TEST_LICENCE_SIGNER, clock.now());
  return {
    db,
    sql,
    catalog,
    store,
    clock,
    engine,
    licenceSigner: TEST_LICENCE_SIGNER,
    async close() {
      await Promise.all([sql.end(), catalogSql.end()]);
      await db.drop();
    },
  };
}
