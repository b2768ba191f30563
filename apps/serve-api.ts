import { createServer, type RequestListener, type ServerOptions } from 'node:http';
import { serve } from '@hono/node-server';
import { errorFields, type Logger } from '../platform/logger.js';
import type { Runtime } from './runtime.js';
import { createApiQueries } from '../db/api-queries.js';
import { createQueues } from '../workers/queues.js';
import { checkReadiness, connectForReadiness, type RedisView } from '../workers/readiness.js';
import { createApp } from '../api/app.js';
import type { ApiDeps } from '../api/api-deps.js';
import type { AuthConfig } from '../api/auth.js';
import { CallerRateLimiter, limitCallers } from '../api/caller-rate-limit.js';
import { materialStorage } from '../db/material-storage.js';
import { s3ObjectStore } from '../db/s3-material-store.js';
import { callerRateLimitPerMinute, materialConfig, metricsToken } from '../platform/config.js';
import { commandScanner, NO_SCANNER } from '../platform/material-scanner.js';
import { ApiMetrics } from '../platform/api-metrics.js';
import { readDatabaseFigures } from '../db/operations-figures.js';
import { readDeliveryFigures } from '../workers/delivery-figures.js';
import { meteredEngine } from '../api/metered-engine.js';
import { timerReconciliation } from './timer-reconciliation.js';

/**
 * What the API runs on, composed from a runtime: its engine and clock, the API's queries on its pool and its
 * catalogue's calendars, and readiness of that pool and, where the process has it, Redis and the reconciler; with
 * Redis, the delivery queues for the queue dashboard.
 *
 * @example const app = createApp(apiDeps(runtime, { auth, log: (entry) => logger.log('error', 'api.error', entry) }));
 */
export function apiDeps(
  runtime: Pick<Runtime, 'engine' | 'sql' | 'clock' | 'catalog'>,
  opts: { readonly auth: AuthConfig; readonly log: ApiDeps['log']; readonly logger?: Logger; readonly redis?: RedisView | undefined },
): ApiDeps {
  const { engine, sql, clock, catalog } = runtime;
  const { redis } = opts;
  const queueDashboard = redis && queueDashboardSource(redis);
  // The figures of the fleet, read at each scrape on legal time (the engine's, as the inbox reads due dates): PostgreSQL's, and where this process has Redis, the queues'.
  const metrics = new ApiMetrics({
    database: () => readDatabaseFigures(sql, engine.now()),
    ...(queueDashboard ? { delivery: () => readDeliveryFigures(queueDashboard, queueDashboard.queues, engine.now()) } : {}),
  });
  return {
    engine: meteredEngine(engine, metrics.commands),
    metrics: { metrics, token: metricsToken() },
    queries: createApiQueries(sql, catalog),
    readiness: () => checkReadiness({ sql, clock, ...(redis ? { redis } : {}) }),
    materials: materialFiles(sql),
    auth: opts.auth,
    clock,
    log: opts.log,
    logger: opts.logger,
    ...(redis && queueDashboard ? { queueDashboard, reconcileTimers: timerReconciliation(sql, redis, clock, opts.log) } : {}),
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
 * How long the server waits on a client. Node's defaults let a slow client (slowloris: headers or a body sent a
 * byte at a time) hold a connection for 60 s of headers and 5 minutes of request, and it looks only every 30 s; each
 * held connection is a socket and memory the callers who do send need. Headers come in one packet and a body is at
 * most 256 KiB (an upload's 20 MiB is the exception: 2 minutes is 170 KB/s), so 10 s and 120 s leave an honest
 * client on a slow line plenty; a connection kept alive between requests goes after 5 s idle (Node's default, kept:
 * a balancer in front must close its idle upstream connections sooner, or it may send on one being closed), and the
 * checks run every second so that nothing lives much past its timeout.
 */
export interface HttpTimeouts {
  /** From a request's first byte to the end of its headers (Node's `headersTimeout`). */
  readonly headersMs: number;
  /** From a request's first byte to the end of its body (`requestTimeout`). */
  readonly requestMs: number;
  /** Idle between two requests on a kept-alive connection (`keepAliveTimeout`). */
  readonly keepAliveMs: number;
  /** How often the timeouts above are checked (`connectionsCheckingInterval`). */
  readonly checkEveryMs: number;
}

export const HTTP_TIMEOUTS: HttpTimeouts = { headersMs: 10_000, requestMs: 120_000, keepAliveMs: 5_000, checkEveryMs: 1_000 };

/**
 * Serves the API over HTTP on `port` until `close()`. With `redis` (REDIS_URL and the queue prefix), it
 * opens a connection of its own for `/readyz` to check Redis and the reconciler, and for the queue dashboard.
 * Every request carrying credentials first passes the per-caller limit (`TONGBAN_RATE_LIMIT_PER_MINUTE`,
 * `api/caller-rate-limit.ts`), on the runtime's clock. `timeouts` replaces {@link HTTP_TIMEOUTS} (tests make them short).
 */
export async function serveApi(
  runtime: Runtime,
  opts: { port: number; auth: AuthConfig; log: Logger; redis?: { url: string; prefix: string }; timeouts?: HttpTimeouts },
): Promise<{ url: string; close(): Promise<void> }> {
  const redis = opts.redis && {
    connection: connectForReadiness(opts.redis.url, (error) => opts.log.log('warn', 'api.redis-error', errorFields(error))),
    prefix: opts.redis.prefix,
  };
  const deps = apiDeps(runtime, { auth: opts.auth, log: (entry) => opts.log.log('error', 'api.error', entry), logger: opts.log, redis });
  const app = createApp(deps);
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const timeouts = opts.timeouts ?? HTTP_TIMEOUTS;
    const serverOptions = {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      keepAliveTimeout: timeouts.keepAliveMs,
      connectionsCheckingInterval: timeouts.checkEveryMs,
    };
    const perMinute = callerRateLimitPerMinute();
    const limiter = perMinute > 0 ? new CallerRateLimiter({ perMinute }, runtime.clock) : null;
    // The limit goes round the app's listener, so that a refused request never reaches Hono (`limitCallers`).
    const limitedServer = ((options: ServerOptions, listener: RequestListener) => createServer(options, limiter ? limitCallers(limiter, listener, () => deps.metrics.metrics.rateLimited.inc()) : listener)) as typeof createServer;
    const s = serve({ fetch: app.fetch, port: opts.port, hostname: '0.0.0.0', serverOptions, createServer: limitedServer }, () => resolve(s));
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
