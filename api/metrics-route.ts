import { createHash, timingSafeEqual } from 'node:crypto';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { ApiMetrics } from '../platform/api-metrics.js';
import { problem, problemType } from './problem.js';
import { routeTemplate } from './route-template.js';

/** Where Prometheus scrapes the API process: beside the probes, outside `/api` and its OpenAPI document. */
export const METRICS_PATH = '/metrics';

/** What `GET /metrics` answers from, and the bearer token it asks for (`TONGBAN_METRICS_TOKEN`); null: the endpoint is off. */
export interface MetricsEndpoint {
  readonly metrics: ApiMetrics;
  readonly token: string | null;
}

/**
 * `GET /metrics` in Prometheus' text format, for `Authorization: Bearer <TONGBAN_METRICS_TOKEN>` only: the figures
 * tell how busy each department is, so they are not public, and the token is the scraper's own, not a person's
 * (it opens nothing else). Without a configured token the endpoint is off (404, saying so); a missing or wrong token
 * is 401. The token is compared by digest in constant time, so an answer's timing tells nothing of it.
 */
export function metricsRoutes(app: OpenAPIHono, endpoint: MetricsEndpoint): void {
  const expected = endpoint.token === null ? null : digest(endpoint.token);
  app.get(METRICS_PATH, async (c) => {
    if (expected === null) {
      return problem(c, { type: problemType('http-404'), title: 'Not found', status: 404, code: 'TB-HTTP-404', detail: 'Metrics are off: TONGBAN_METRICS_TOKEN is not set.' });
    }
    const given = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1];
    if (given === undefined || !timingSafeEqual(digest(given), expected)) {
      c.header('WWW-Authenticate', 'Bearer');
      const detail = given === undefined ? 'Send the metrics token: Authorization: Bearer <TONGBAN_METRICS_TOKEN>.' : 'The metrics token is not this deployment\'s.';
      return problem(c, { type: problemType('unauthenticated'), title: 'Authentication required', status: 401, code: 'TB-UNAUTHENTICATED', detail });
    }
    return c.body(await endpoint.metrics.scrape(), 200, { 'content-type': endpoint.metrics.registry.contentType });
  });
}

/**
 * Observes every request the app answers in `metrics.requests`: by the template of the route that answered
 * (`/api/tasks/:id`, never the path, which holds ids), its method and its status class. Registered first, so that
 * it sees the answers of every route, of the error mapper and of "no such route".
 */
export function observeRequests(app: OpenAPIHono, metrics: ApiMetrics): void {
  app.use('*', async (c, next) => {
    const stop = metrics.requests.startTimer();
    await next();
    // The same route as the request's log line and span: a request refused before its route ran (a 401) is counted
    // under the route it asked for; one no route matches, under `none`.
    stop({ route: routeTemplate(c) ?? 'none', method: c.req.method, status_class: `${Math.floor(c.res.status / 100)}xx` });
  });
}

const digest = (token: string): Buffer => createHash('sha256').update(token).digest();
