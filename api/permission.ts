import type { MiddlewareHandler } from 'hono';
import { authorize, type Operation } from '../engine/access/permission-matrix.js';
import type { AuthEnv } from './auth.js';

/**
 * Route middleware: the operation a route performs, checked against the permission matrix before the
 * route runs (403 problem otherwise). Every protected route declares one.
 *
 * @example createRoute({ method: 'get', path: '/tasks', middleware: [requires('task.read')] as const, ... })
 */
export function requires(operation: Operation): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    authorize(c.get('actor'), operation);
    await next();
  };
}
