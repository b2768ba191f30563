import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { Operation } from '../../engine/access/permission-matrix.js';
import type { AuthEnv } from '../auth.js';
import { idempotentReplay, type Replay } from '../idempotency.js';
import { requires } from '../permission.js';
import { bearer, problemResponses } from './responses.js';

/**
 * A protected route: its operation is checked against the permission matrix before anything else
 * (then any `guards`, e.g. a rate limit, then the replay of a retried request, as the route's
 * `x-idempotent-replay` says: see `Replay`, default `answer`), declared in the OpenAPI document as
 * `x-permission`, with the credentials and problem responses every protected route has. One place, so no
 * route can forget one and no replay can skip them.
 */
export function protectedRoute<const R extends Omit<RouteConfig, 'middleware' | 'security'> & { readonly 'x-idempotent-replay'?: Replay }>(
  operation: Operation,
  route: R,
  ...guards: MiddlewareHandler<AuthEnv>[]
) {
  return createRoute({
    ...route,
    middleware: [requires(operation), ...guards, idempotentReplay(route['x-idempotent-replay'] ?? 'answer')],
    'x-permission': operation,
    security: bearer,
    responses: { ...route.responses, ...problemResponses },
  });
}
