import type { MiddlewareHandler } from 'hono';
import { currentRequestId } from '../platform/request-context.js';
import { inSpan, spanFailed, SpanKind } from '../platform/tracing.js';
import { routeTemplate } from './route-template.js';

/** The W3C header a caller's trace comes in (`00-<trace id>-<span id>-<flags>`); a malformed one starts a new trace. */
const TRACEPARENT_HEADER = 'traceparent';

/**
 * Runs every request in an `http.request` server span (a no-op while tracing is off, `platform/tracing.ts`): a
 * child of the caller's span when the request carries a `traceparent`, the parent of the commands it sends. Its
 * attributes say what the `http.request` log line says, ids and codes only: method, route template (never the
 * path), status and request id; a 5xx answer marks it failed. Inside `requestLog`, so that the request id is known.
 */
export function requestTrace(): MiddlewareHandler {
  return (c, next) =>
    inSpan(
      'http.request',
      { 'http.request.method': c.req.method, 'tongban.request.id': currentRequestId() ?? '' },
      async (span) => {
        await next();
        const route = routeTemplate(c);
        span.setAttributes({ 'http.response.status_code': c.res.status, ...(route === null ? {} : { 'http.route': route }) });
        if (c.res.status >= 500) spanFailed(span, String(c.res.status));
      },
      { kind: SpanKind.SERVER, parent: c.req.header(TRACEPARENT_HEADER) },
    );
}
