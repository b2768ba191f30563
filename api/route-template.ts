import type { Context } from 'hono';
import { matchedRoutes } from 'hono/route';

/**
 * The path of the route the request is for, as its log line, its span and the metrics name it (`/api/cases/{id}` as
 * hono keeps it: `/api/cases/:id`), even when a middleware answered first (a 401); none when no route matches.
 * Middleware is registered for every method (`use`: ALL), routes name theirs; of the routes matching, the first
 * registered answers (the workspace's `*` comes last).
 */
export function routeTemplate(c: Context): string | null {
  return matchedRoutes(c).find((route) => route.method !== 'ALL')?.path ?? null;
}
