import { serve } from '@hono/node-server';
import type { Logger } from '../platform/logger.js';
import type { Runtime } from '../platform/runtime.js';
import { createApp } from './app.js';
import type { AuthConfig } from './auth.js';

/**
 * Serves the API over HTTP on `port` until `close()`.
 */
export async function serveApi(
  runtime: Runtime,
  opts: { port: number; auth: AuthConfig; log: Logger },
): Promise<{ url: string; close(): Promise<void> }> {
  const app = createApp({
    engine: runtime.engine,
    sql: runtime.sql,
    catalog: runtime.catalog,
    auth: opts.auth,
    clock: runtime.clock,
    log: (entry) => opts.log.log('error', 'api.error', entry),
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: opts.port, hostname: '0.0.0.0' }, () => resolve(s));
    s.once('error', reject);
  });
  return {
    url: `http://localhost:${opts.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
