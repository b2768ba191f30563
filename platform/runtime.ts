import { connect, type Sql } from '../db/connection.js';
import { PgCaseStore } from '../db/pg-case-store.js';
import { PgCatalog } from '../db/pg-catalog.js';
import type { Clock } from '../engine/clock.js';
import { Engine } from '../engine/engine.js';
import { systemClock } from './system-clock.js';

/** The engine wired to PostgreSQL: what the API and the workers processes both run on. */
export interface Runtime {
  readonly sql: Sql;
  readonly catalog: PgCatalog;
  readonly engine: Engine;
  readonly clock: Clock;
  close(): Promise<void>;
}

export function createRuntime(opts: { databaseUrl: string; poolSize?: number; clock?: Clock }): Runtime {
  const clock = opts.clock ?? systemClock;
  const sql = connect(opts.databaseUrl, { max: opts.poolSize ?? 10 });
  const catalog = new PgCatalog(sql, () => clock.now().getTime());
  const engine = new Engine({ store: new PgCaseStore(sql), catalog, clock });
  return { sql, catalog, engine, clock, close: () => sql.end({ timeout: 5 }) };
}
