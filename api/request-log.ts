import type { MiddlewareHandler } from 'hono';
import type { Actor } from '../engine/access/actor.js';
import type { Logger } from '../platform/logger.js';
import { withRequestId } from '../platform/request-context.js';
import { REQUEST_ID_HEADER, requestIdFrom } from './request-id.js';
import { routeTemplate } from './route-template.js';

/**
 * Gives every request its id (`request-id.ts`), answers it in `X-Request-Id` (an answer made with the context's
 * helpers carries it: `c.json`, `c.body`, never a `new Response` of a route's own), runs the request under it (so every
 * line logged meanwhile, and the outbox rows its command writes, carry it) and writes one `http.request` line at
 * the end (given a logger): method, route template (never the path, which holds case numbers and ids), status, ms
 * and caller (a user id or `apikey:<id>`, never a credential). Outermost, so that it times and sees every answer,
 * refusals and errors included.
 */
export function requestLog(logger: Logger | undefined): MiddlewareHandler {
  return async (c, next) => {
    const requestId = requestIdFrom(c.req.header(REQUEST_ID_HEADER));
    const started = performance.now();
    // Before the answer exists, so that it is made with the header: set on a finished answer, hono copies the whole
    // Response (its body stream and headers) to change it — 120 µs of CPU a request (`bench micro`, "HTTP served").
    c.header(REQUEST_ID_HEADER, requestId);
    await withRequestId(requestId, next);
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
