import { serve } from '@hono/node-server';
import { errorFields, type Logger } from '../platform/logger.js';
import type { Runtime } from './runtime.js';
import { createApiQueries } from '../db/api-queries.js';
import { createQueues } from '../workers/queues.js';
import { checkReadiness, connectForReadiness, type RedisView } from '../workers/readiness.js';
import { createApp } from '../api/app.js';
import type { ApiDeps } from '../api/api-deps.js';
import type { AuthConfig } from '../api/auth.js';
import { materialStorage } from '../db/material-storage.js';
import { s3ObjectStore } from '../db/s3-material-store.js';
import { materialConfig } from '../platform/config.js';
import { commandScanner, NO_SCANNER } from '../platform/material-scanner.js';

/**
 * What the API runs on, composed from a runtime: its engine and clock, the API's queries on its pool and its
 * catalogue's calendars, and readiness of that pool and, where the process has it, Redis and the reconciler; with
 * Redis, the delivery queues for the queue dashboard.
 *
 * @example const app = createApp(apiDeps(runtime, { auth, log: (entry) => logger.log('error', 'api.error', entry) }));
 */
export function apiDeps(
  runtime: Pick<Runtime, 'engine' | 'sql' | 'clock' | 'catalog'>,
  opts: { readonly auth: AuthConfig; readonly log: ApiDeps['log']; readonly redis?: RedisView | undefined },
): ApiDeps {
  const { engine, sql, clock, catalog } = runtime;
  const { redis } = opts;
  return {
    engine,
    queries: createApiQueries(sql, catalog),
    readiness: () => checkReadiness({ sql, clock, ...(redis ? { redis } : {}) }),
    materials: materialFiles(sql),
    auth: opts.auth,
    clock,
    log: opts.log,
    ...(redis ? { queueDashboard: queueDashboardSource(redis) } : {}),
  };
}

/** Material files kept where the configuration says, scanned by the configured command (none: every file clean), limited to the configured size. */
function materialFiles(sql: Runtime['sql']): ApiDeps['materials'] {
  const { maxBytes, scanCommand, s3 } = materialConfig();
  return { storage: materialStorage(sql, s3 ? s3ObjectStore(s3) : null), scanner: scanCommand ? commandScanner(scanCommand) : NO_SCANNER, maxBytes };
}

/** The delivery queues on the API's Redis connection, for the queue dashboard: it reads them, it never works them. */
function queueDashboardSource(redis: RedisView): NonNullable<ApiDeps['queueDashboard']> {
  const { timers } = createQueues({ connection: redis.connection, prefix: redis.prefix });
  // Their errors are the connection's, which its owner listens to (and logs); without a listener BullMQ prints them.
  timers.on('error', () => {});
  return { ...redis, queues: [timers] };
}

/**
 * Serves the API over HTTP on `port` until `close()`. With `redis` (REDIS_URL and the queue prefix), it
 * opens a connection of its own for `/readyz` to check Redis and the reconciler, and for the queue dashboard.
 */
export async function serveApi(
  runtime: Runtime,
  opts: { port: number; auth: AuthConfig; log: Logger; redis?: { url: string; prefix: string } },
): Promise<{ url: string; close(): Promise<void> }> {
  const redis = opts.redis && {
    connection: connectForReadiness(opts.redis.url, (error) => opts.log.log('warn', 'api.redis-error', errorFields(error))),
    prefix: opts.redis.prefix,
  };
  const app = createApp(apiDeps(runtime, { auth: opts.auth, log: (entry) => opts.log.log('error', 'api.error', entry), redis }));
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: opts.port, hostname: '0.0.0.0' }, () => resolve(s));
    s.once('error', reject);
  });
  return {
    url: `http://localhost:${opts.port}`,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      redis?.connection.disconnect();
    },
  };
}
