/**
 * `npm run workers`: the delivery process (outbox relay, timer worker, reconciler).
 * Needs DATABASE_URL and REDIS_URL (migrations and reference data are applied at start);
 * TONGBAN_QUEUE_PREFIX optionally. Run as many as you like: they share the work.
 */
import { prepareDatabase } from './prepare-database.js';
import { createRuntime } from './runtime.js';
import { errorFields, jsonLogger } from '../platform/logger.js';
import { startWorkers } from '../workers/start-workers.js';

/** A stop that hangs (Redis unreachable while a batch is in flight) must not keep the process forever. */
const STOP_TIMEOUT_MS = 20_000;

const databaseUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;
if (!databaseUrl || !redisUrl) {
  console.error('workers: set DATABASE_URL and REDIS_URL (e.g. DATABASE_URL=postgres://... REDIS_URL=redis://127.0.0.1:6379)');
  process.exit(1);
}

const logger = jsonLogger();
// The engine on the wall clock. Pool: 4 timer jobs, each with a catalogue read beside its transaction, the
// relay, the reconciler.
const runtime = createRuntime({ databaseUrl, poolSize: 10 });
await prepareDatabase(databaseUrl, runtime);

const workers = await startWorkers({
  sql: runtime.sql,
  redis: redisUrl,
  engine: runtime.engine,
  clock: runtime.clock,
  logger,
  ...(process.env.TONGBAN_QUEUE_PREFIX ? { prefix: process.env.TONGBAN_QUEUE_PREFIX } : {}),
}).catch(async (error: unknown) => {
  logger.log('error', 'workers.start-failed', errorFields(error));
  await runtime.close();
  process.exit(1);
});

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.log('info', 'workers.stopping', { signal });
    setTimeout(() => {
      logger.log('error', 'workers.stop-timeout', { afterMs: STOP_TIMEOUT_MS });
      process.exit(1);
    }, STOP_TIMEOUT_MS).unref();
    workers
      .stop()
      .then(() => runtime.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.log('error', 'workers.stop-failed', errorFields(error));
          process.exit(1);
        },
      );
  });
}
