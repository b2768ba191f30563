import type { MiddlewareHandler } from 'hono';
import type { Sql } from '../db/connection.js';
import type { Clock } from '../engine/clock.js';
import type { AuthEnv } from './auth.js';
import { problem, problemType } from './problem.js';

/**
 * A per-caller rate limit for costly or sensitive operations, counted in PostgreSQL so that it holds
 * across every API process: at most `limit` requests per `windowSeconds` fixed window, then 429 with
 * Retry-After. One upsert per request; only for rare operations, never the command path.
 */
export function rateLimit(sql: Sql, clock: Clock, action: string, opts: { limit: number; windowSeconds: number }): MiddlewareHandler<AuthEnv> {
  const windowMs = opts.windowSeconds * 1000;
  return async (c, next) => {
    const now = clock.now().getTime();
    const windowStart = new Date(now - (now % windowMs));
    const [row] = await sql`insert into rate_limit_windows (principal, action, window_start, hits)
      values (${c.get('actor').userId}, ${action}, ${windowStart.toISOString()}, 1)
      on conflict (principal, action, window_start) do update set hits = rate_limit_windows.hits + 1
      returning hits`;
    if (Number(row?.['hits']) > opts.limit) {
      const retryAfter = Math.ceil((windowStart.getTime() + windowMs - now) / 1000);
      c.header('Retry-After', String(retryAfter));
      return problem(c, {
        type: problemType('rate-limited'),
        title: 'Too many requests',
        status: 429,
        detail: `At most ${opts.limit} ${action} requests per ${opts.windowSeconds} s; retry in ${retryAfter} s.`,
      });
    }
    await next();
  };
}
