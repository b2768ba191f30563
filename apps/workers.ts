/**
 * `npm run workers`: the delivery process (outbox relay, timer worker, reconciler).
 * Needs DATABASE_URL and REDIS_URL (migrations and reference data are applied at start);
 * TONGBAN_QUEUE_PREFIX optionally. Run as many as you like: they share the work.
 * Webhooks (docs/webhooks.md): TONGBAN_WEBHOOK_MAX_ATTEMPTS (default 8) and TONGBAN_WEBHOOK_TIMEOUT_MS (default 10000).
 * Traces: OTEL_EXPORTER_OTLP_ENDPOINT (README, "Configuration").
 */
import { prepareDatabase } from './prepare-database.js';
import { createRuntime } from './runtime.js';
import { errorFields, jsonLogger } from '../platform/logger.js';
import { configuredTracing } from '../platform/tracing-sdk.js';
import { startWorkers } from '../workers/start-workers.js';
import { onShutdown } from './shutdown.js';

const databaseUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;
if (!databaseUrl || !redisUrl) {
  console.error('workers: set DATABASE_URL and REDIS_URL (e.g. DATABASE_URL=postgres://... REDIS_URL=redis://127.0.0.1:6379)');
  process.exit(1);
}

/** The webhook settings given in the environment; a value that is not a positive whole number stops the start. */
function webhookSettings(): { retry?: { maxAttempts: number }; timeoutMs?: number } {
  const read = (name: string): number | undefined => {
    const value = process.env[name];
    if (value === undefined) return undefined;
    if (!/^[1-9][0-9]*$/.test(value)) {
      console.error(`workers: ${name} must be a positive whole number, not ${value}`);
      process.exit(1);
    }
    return Number(value);
  };
  const maxAttempts = read('TONGBAN_WEBHOOK_MAX_ATTEMPTS');
  const timeoutMs = read('TONGBAN_WEBHOOK_TIMEOUT_MS');
  return { ...(maxAttempts === undefined ? {} : { retry: { maxAttempts } }), ...(timeoutMs === undefined ? {} : { timeoutMs }) };
}

const logger = jsonLogger();
// Spans of the relay, the timer worker and their commands, when OTEL_EXPORTER_OTLP_ENDPOINT is set (a bad one stops the start).
const tracing = configuredTracing('workers');
// The engine on the steady clock (PostgreSQL's time: a jump of this host's clock fires nothing early), anchored
// before the first timer fires. Pool: 4 timer jobs, each with a catalogue read beside its transaction, the relay,
// the reconciler.
const runtime = createRuntime({ databaseUrl, poolSize: 10, logger });
await runtime.ready;
await prepareDatabase(databaseUrl, runtime);

const workers = await startWorkers({
  sql: runtime.sql,
  redis: redisUrl,
  engine: runtime.engine,
  clock: runtime.clock,
  logger,
  ...(process.env.TONGBAN_QUEUE_PREFIX ? { prefix: process.env.TONGBAN_QUEUE_PREFIX } : {}),
  webhooks: webhookSettings(),
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
    ...(tracing ? [{ name: 'traces', stop: () => tracing.stop() }] : []),
  ],
});
