import type { MiddlewareHandler } from 'hono';
import type { ApiQueries } from '../db/api-queries.js';
import { LONGEST_RATE_WINDOW_MS } from '../db/rate-limit-windows.js';
import type { WallClock } from '../engine/time/wall-clock.js';
import type { AuthEnv } from './auth.js';
import { problem, problemType } from './problem.js';

/**
 * A per-caller rate limit for costly or sensitive operations, counted in PostgreSQL so that it holds
 * across every API process: at most `limit` requests per `windowSeconds` fixed window, then 429 with
 * Retry-After. One upsert per request; only for rare operations, never the command path. Windows last at
 * most an hour (`LONGEST_RATE_WINDOW_MS`), so the workers' purge can tell an ended one by its start alone.
 */
export function rateLimit(
  windows: Pick<ApiQueries, 'countHit'>,
  clock: WallClock,
  action: string,
  opts: { limit: number; windowSeconds: number },
): MiddlewareHandler<AuthEnv> {
  const windowMs = opts.windowSeconds * 1000;
  if (windowMs > LONGEST_RATE_WINDOW_MS) throw new Error(`Rate-limit windows last at most ${LONGEST_RATE_WINDOW_MS / 1000} s; ${action} asks for ${opts.windowSeconds} s`);
  return async (c, next) => {
    const now = clock.now().getTime();
    const windowStart = new Date(now - (now % windowMs));
    const hits = await windows.countHit(c.get('actor').userId, action, windowStart);
    if (hits > opts.limit) {
      const retryAfter = Math.ceil((windowStart.getTime() + windowMs - now) / 1000);
      c.header('Retry-After', String(retryAfter));
      return problem(c, {
        type: problemType('rate-limited'),
        code: 'TB-RATE-LIMITED',
        title: 'Too many requests',
        status: 429,
        detail: `At most ${opts.limit} ${action} requests per ${opts.windowSeconds} s; retry in ${retryAfter} s.`,
      });
    }
    await next();
  };
}
