import type { Context, Env, MiddlewareHandler } from 'hono';
import type { ApiQueries } from '../db/api-queries.js';
import { LONGEST_RATE_WINDOW_MS } from '../db/rate-limit-windows.js';
import type { WallClock } from '../engine/time/wall-clock.js';
import type { AuthEnv } from './auth.js';
import { problem, problemType, type Problem } from './problem.js';

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
  return rateLimitBy(windows, clock, action, { ...opts, principal: (c) => c.get('actor').userId });
}

/**
 * {@link rateLimit} counted per `principal` of the request: a route without a signed-in caller (the public ones)
 * counts per client address (`clientAddress`) or per what the request names.
 */
export function rateLimitBy<E extends Env>(
  windows: Pick<ApiQueries, 'countHit'>,
  clock: WallClock,
  action: string,
  opts: { limit: number; windowSeconds: number; principal: (c: Context<E>) => string },
): MiddlewareHandler<E> {
  const windowMs = opts.windowSeconds * 1000;
  if (windowMs > LONGEST_RATE_WINDOW_MS) throw new Error(`Rate-limit windows last at most ${LONGEST_RATE_WINDOW_MS / 1000} s; ${action} asks for ${opts.windowSeconds} s`);
  return async (c, next) => {
    const now = clock.now().getTime();
    const windowStart = new Date(now - (now % windowMs));
    const hits = await windows.countHit(opts.principal(c), action, windowStart);
    if (hits > opts.limit) {
      const retryAfter = Math.ceil((windowStart.getTime() + windowMs - now) / 1000);
      return tooManyRequests(c, retryAfter, `At most ${opts.limit} ${action} requests per ${opts.windowSeconds} s; retry in ${retryAfter} s.`);
    }
    await next();
  };
}

/** The 429 answer of a rate limit or a lockout: `TB-RATE-LIMITED`, with Retry-After. */
export function tooManyRequests(c: Context, retryAfterSeconds: number, detail: string): Response {
  c.header('Retry-After', String(retryAfterSeconds));
  return problem(c, rateLimited(detail));
}

/** The problem of a rate limit or a lockout, for answers written outside a route (`caller-rate-limit.ts`). */
export function rateLimited(detail: string): Problem {
  return { type: problemType('rate-limited'), code: 'TB-RATE-LIMITED', title: 'Too many requests', status: 429, detail };
}

/**
 * The address of the client that opened the connection (Node's socket), as the key of a public route's rate limit;
 * `unknown` where there is no socket (a request made in memory). A proxy in front of the API makes every client one
 * address: then this must read the proxy's forwarded header instead.
 */
export function clientAddress(c: Context): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return `address:${incoming?.socket?.remoteAddress ?? 'unknown'}`;
}
