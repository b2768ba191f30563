/**
 * `npm run workers`: the delivery process (outbox relay, timer worker, reconciler).
 * Needs DATABASE_URL and REDIS_URL (migrations and reference data are applied at start);
 * TONGBAN_QUEUE_PREFIX optionally. Run as many as you like: they share the work.
 */
import { prepareDatabase } from './prepare-database.js';
import { createRuntime } from './runtime.js';
import { errorFields, jsonLogger } from '../platform/logger.js';
import { startWorkers } from '../workers/start-workers.js';
import { onShutdown } from './shutdown.js';

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

onShutdown({
  logger,
  steps: [
    { name: 'workers', stop: () => workers.stop() },
    { name: 'database-pools', stop: () => runtime.close() },
  ],
});
