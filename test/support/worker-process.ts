import { connect } from '../../db/connection.js';
import { PgCaseStore } from '../../db/pg-case-store.js';
import { PgCatalog } from '../../db/pg-catalog.js';
import { Engine } from '../../engine/engine.js';
import { startWorkers } from '../../workers/start-workers.js';
import { TEST_LICENCE_SIGNER } from './licence-signer.js';
import { fleetClock } from './process-clock.js';

/**
 * The workers as a process of their own (test/support/fleet.ts), for tests that kill one (SIGKILL: no shutdown
 * runs): on the database `DATABASE_URL`, Redis `REDIS_URL`, queue prefix `TONGBAN_TEST_PREFIX`, and the fleet's clock
 * (`TONGBAN_TEST_NOW`, moved over IPC). The reconciler ticks every `TONGBAN_TEST_RECONCILER_MS` (100 ms) with a grace
 * of `TONGBAN_TEST_GRACE_MS` (none), so whatever is due is handed to the timer worker at once. Logs JSON lines;
 * prints `ready` when started.
 */
const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const sql = connect(env('DATABASE_URL'), { max: 12 });
const clock = fleetClock();
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
  reconciler: { intervalMs: Number(process.env['TONGBAN_TEST_RECONCILER_MS'] ?? 100), graceMs: Number(process.env['TONGBAN_TEST_GRACE_MS'] ?? 0) },
});
console.log('ready');
