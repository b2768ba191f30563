import cluster from 'node:cluster';
import { apiProcessCount, httpPort, metricsToken, requireEnv } from '../platform/config.js';
import { authConfig } from './auth-config.js';
import { superviseApiProcesses } from './api-cluster.js';
import { prepareDatabase } from './prepare-database.js';
import { createRuntime } from './runtime.js';
import { jsonLogger } from '../platform/logger.js';
import { configuredTracing, otlpEndpoint } from '../platform/tracing-sdk.js';
import { DEFAULT_PREFIX } from '../workers/queues.js';
import { serveApi } from './serve-api.js';
import { onShutdown } from './shutdown.js';

/**
 * `npm run api`: the API process alone (production shape: run as many as needed behind a load balancer).
 * Needs DATABASE_URL and TONGBAN_JWT_SECRET or TONGBAN_JWT_PUBLIC_KEY; not REDIS_URL (the workers relay
 * the outbox): given it (and TONGBAN_QUEUE_PREFIX if the workers have one), `/readyz` checks Redis and the
 * reconciler too, and administrators have the queue dashboard (`/admin/queues`).
 * TONGBAN_API_PROCESSES=N runs N such processes on the one port (`apps/api-cluster.ts`): this file is then the
 * primary, which only supervises, and each process it forks runs this file again as one API process.
 */
const log = jsonLogger();
const databaseUrl = requireEnv('DATABASE_URL', 'point it at PostgreSQL, e.g. postgres://user:pass@host:5432/tongban');
const processes = configuredProcessCount();
if (processes > 1 && cluster.isPrimary) {
  superviseApiProcesses({ count: processes, url: `http://localhost:${httpPort()}`, logger: log });
} else {
  await serveApiProcess();
}

/**
 * `TONGBAN_API_PROCESSES`, or one line saying what is wrong with it (or with `TONGBAN_METRICS_TOKEN` or
 * `OTEL_EXPORTER_OTLP_ENDPOINT`) and exit code 1 before anything starts, a cluster's primary included.
 */
function configuredProcessCount(): number {
  try {
    metricsToken();
    otlpEndpoint(process.env);
    return apiProcessCount();
  } catch (error) {
    console.error(`api: ${(error as Error).message}`);
    process.exit(1);
  }
}

async function serveApiProcess(): Promise<void> {
  // Before the runtime: its commands' spans go to the SDK registered here (none without OTEL_EXPORTER_OTLP_ENDPOINT).
  const tracing = configuredTracing('api');
  const runtime = createRuntime({ databaseUrl, poolSize: Number(process.env['DB_POOL_SIZE'] ?? 10), logger: log });
  await runtime.ready; // the clock anchored to PostgreSQL's before anything reads it
  await prepareDatabase(databaseUrl, runtime);
  const redisUrl = process.env['REDIS_URL'];
  const server = await serveApi(runtime, {
    port: httpPort(),
    auth: authConfig({ dev: process.env['NODE_ENV'] !== 'production' }),
    log,
    ...(redisUrl ? { redis: { url: redisUrl, prefix: process.env['TONGBAN_QUEUE_PREFIX'] ?? DEFAULT_PREFIX } } : {}),
  });
  log.log('info', 'api.listening', { url: server.url });

  onShutdown({
    logger: log,
    steps: [
      { name: 'http', stop: () => server.close() },
      { name: 'database-pools', stop: () => runtime.close() },
      ...(tracing ? [{ name: 'traces', stop: () => tracing.stop() }] : []),
    ],
  });
}
