import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { Operation } from '../../engine/permission-matrix.js';
import type { AuthEnv } from '../auth.js';
import { requires } from '../permission.js';
import { bearer, problemResponses } from './responses.js';

/**
 * A protected route: its operation is checked against the permission matrix before anything else
 * (then any `guards`, e.g. a rate limit), declared in the OpenAPI document as `x-permission`, with the
 * credentials and problem responses every protected route has. One place, so no route can forget one.
 */
export function protectedRoute<const R extends Omit<RouteConfig, 'middleware' | 'security'>>(
  operation: Operation,
  route: R,
  ...guards: MiddlewareHandler<AuthEnv>[]
) {
  return createRoute({
    ...route,
    middleware: [requires(operation), ...guards],
    'x-permission': operation,
    security: bearer,
    responses: { ...route.responses, ...problemResponses },
  });
}
