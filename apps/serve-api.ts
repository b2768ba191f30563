import { serve } from '@hono/node-server';
import { errorFields, type Logger } from '../platform/logger.js';
import type { Runtime } from './runtime.js';
import { connectForReadiness } from '../workers/readiness.js';
import { createApp } from '../api/app.js';
import type { AuthConfig } from '../api/auth.js';

/**
 * Serves the API over HTTP on `port` until `close()`. With `redis` (REDIS_URL and the queue prefix), it
 * opens a connection of its own for `/readyz` to check Redis and the reconciler.
 */
export async function serveApi(
  runtime: Runtime,
  opts: { port: number; auth: AuthConfig; log: Logger; redis?: { url: string; prefix: string } },
): Promise<{ url: string; close(): Promise<void> }> {
  const redis = opts.redis && {
    connection: connectForReadiness(opts.redis.url, (error) => opts.log.log('warn', 'api.redis-error', errorFields(error))),
    prefix: opts.redis.prefix,
  };
  const app = createApp({
    engine: runtime.engine,
    sql: runtime.sql,
    catalog: runtime.catalog,
    auth: opts.auth,
    clock: runtime.clock,
    log: (entry) => opts.log.log('error', 'api.error', entry),
    ...(redis ? { redis } : {}),
  });
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
