import { connect } from '../../db/connection.js';
import { PgCaseStore } from '../../db/pg-case-store.js';
import { PgCatalog } from '../../db/pg-catalog.js';
import { Engine } from '../../engine/engine.js';
import { TEST_LICENCE_SIGNER } from './licence-signer.js';
import { ManualClock } from '../../engine/time/wall-clock.js';
import { startWorkers } from '../../workers/start-workers.js';

/**
 * The workers as a process of their own, for tests that kill one (SIGKILL: no shutdown runs): on the database
 * `DATABASE_URL`, Redis `REDIS_URL`, queue prefix `TONGBAN_TEST_PREFIX`, and a clock standing at `TONGBAN_TEST_NOW`
 * (tests move time; a killed process cannot be told to). The reconciler ticks every 100 ms with no grace, so
 * whatever is due is handed to the timer worker at once. Prints `ready` when started.
 */
const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const sql = connect(env('DATABASE_URL'), { max: 12 });
const clock = new ManualClock(new Date(env('TONGBAN_TEST_NOW')));
const catalog = new PgCatalog(connect(env('DATABASE_URL'), { max: 2 }), () => clock.now().getTime());
const engine = new Engine({ store: new PgCaseStore(sql), catalog, clock, licenceSigner: TEST_LICENCE_SIGNER });
await startWorkers({
  sql,
  redis: env('REDIS_URL'),
  engine,
  clock,
  prefix: env('TONGBAN_TEST_PREFIX'),
  concurrency: 4,
  relay: { pollMs: 100 },
  reconciler: { intervalMs: 100, graceMs: 0 },
});
console.log('ready');
