import { connect } from '../../db/connection.js';
import { PgCaseStore } from '../../db/pg-case-store.js';
import { PgCatalog } from '../../db/pg-catalog.js';
import { Engine } from '../../engine/engine.js';
import { startWorkers } from '../../workers/start-workers.js';
import { fireFaults } from './fire-faults.js';
import { TEST_LICENCE_SIGNER } from './licence-signer.js';
import { chosenClock } from './process-clock.js';

/**
 * The workers as a process of their own (test/support/fleet.ts), for tests that kill one (SIGKILL: no shutdown
 * runs): on the database `DATABASE_URL`, Redis `REDIS_URL`, queue prefix `TONGBAN_TEST_PREFIX`, and the fleet's clock
 * (`TONGBAN_TEST_NOW`, moved over IPC), or the one `TONGBAN_TEST_CLOCK` chooses (`chosenClock`).
 * The reconciler ticks every `TONGBAN_TEST_RECONCILER_MS` (100 ms) with a grace of `TONGBAN_TEST_GRACE_MS` (none),
 * so whatever is due is handed to the timer worker at once. Logs JSON lines; prints `ready` when started.
 * `TONGBAN_TEST_LOCK_MS` shortens the timer jobs' lock and stalled check (BullMQ's 30 s each), so that a dead or
 * blocked process's jobs go to another within seconds; the faults of `fire-faults.ts` stop or block its timer firing
 * at an exact point. `TONGBAN_TEST_ATTEMPTS` attempts of a job, `TONGBAN_TEST_BACKOFF_MS` apart
 * (the delivery defaults unless set), spend a failing job's attempts within seconds.
 */
const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const faults = fireFaults();
const sql = connect(env('DATABASE_URL'), { max: 12 });
const clock = await chosenClock(sql);
const catalog = new PgCatalog(connect(env('DATABASE_URL'), { max: 2 }), () => clock.now().getTime());
const engine = new Engine({ store: new PgCaseStore(faults.sql(sql)), catalog, clock, licenceSigner: TEST_LICENCE_SIGNER });
const lockMs = process.env['TONGBAN_TEST_LOCK_MS'];
const attempts = process.env['TONGBAN_TEST_ATTEMPTS'];
await startWorkers({
  sql,
  redis: env('REDIS_URL'),
  engine: faults.engine(engine),
  clock,
  prefix: env('TONGBAN_TEST_PREFIX'),
  concurrency: 4,
  ...(lockMs ? { timerLock: { durationMs: Number(lockMs), stalledIntervalMs: Number(lockMs) } } : {}),
  ...(attempts ? { retries: { attempts: Number(attempts), backoff: { type: 'fixed', delay: Number(process.env['TONGBAN_TEST_BACKOFF_MS'] ?? 0) } } } : {}),
  relay: { pollMs: 100 },
  reconciler: { intervalMs: Number(process.env['TONGBAN_TEST_RECONCILER_MS'] ?? 100), graceMs: Number(process.env['TONGBAN_TEST_GRACE_MS'] ?? 0) },
});
console.log('ready');
