import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { Actor } from '../engine/access/actor.js';
import type { Logger } from '../platform/logger.js';
import { withRequestId } from '../platform/request-context.js';
import { REQUEST_ID_HEADER, requestIdFrom } from './request-id.js';

/**
 * Gives every request its id (`request-id.ts`), answers it in `X-Request-Id`, runs the request under it (so every
 * line logged meanwhile, and the outbox rows its command writes, carry it) and writes one `http.request` line at
 * the end (given a logger): method, route template (never the path, which holds case numbers and ids), status, ms
 * and caller (a user id or `apikey:<id>`, never a credential). Outermost, so that it times and sees every answer,
 * refusals and errors included.
 */
export function requestLog(logger: Logger | undefined): MiddlewareHandler {
  return async (c, next) => {
    const requestId = requestIdFrom(c.req.header(REQUEST_ID_HEADER));
    const started = performance.now();
    await withRequestId(requestId, next);
    c.header(REQUEST_ID_HEADER, requestId);
    const caller = (c.get('actor') as Actor | undefined)?.userId ?? null;
    if (!logger) return;
    withRequestId(requestId, () =>
      logger.log('info', 'http.request', {
        method: c.req.method,
        route: routeTemplate(c),
        status: c.res.status,
        ms: Math.round(performance.now() - started),
        caller,
      }),
    );
  };
}

/**
 * The path of the route the request is for (`/api/cases/{id}` as hono keeps it: `/api/cases/:id`), even when a
 * middleware answered first (a 401); none when no route matches. Middleware is registered for every method (`use`:
 * ALL), routes name theirs; of the routes matching, the first registered answers (the workspace's `*` comes last).
 */
export function routeTemplate(c: Context): string | null {
  return matchedRoutes(c).find((route) => route.method !== 'ALL')?.path ?? null;
}
