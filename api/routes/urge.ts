import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { taskId } from '../../engine/ids.js';
import type { ApiDeps } from '../api-deps.js';
import { commandOptions, type IdempotentEnv } from '../idempotency.js';
import { rateLimit } from '../rate-limit.js';
import { CommandResult, Uuid } from '../schemas.js';
import { protectedRoute } from './protected-route.js';
import { json } from './responses.js';

const UrgeBody = z.object({ message: z.string().trim().min(2).max(1000) }).strict().openapi('Urge');

const urgeRoute = (deps: ApiDeps) =>
  protectedRoute('task.urge', {
    method: 'post',
    path: '/tasks/{taskId}/urges',
    summary: '催办: urge the department holding an open task',
    description: 'Supervisors on any case, leads on the cases their department leads. The department is notified and the urge is audited. Rate limited per caller.',
    request: { params: z.object({ taskId: Uuid.openapi({ param: { name: 'taskId', in: 'path' } }) }), body: { required: true, ...json(UrgeBody) } },
    responses: { 200: { description: 'Urged', ...json(CommandResult) }, 429: { description: 'Too many urges; see Retry-After' } },
  }, rateLimit(deps.queries, deps.clock, 'task.urge', { limit: 10, windowSeconds: 3600 }));

export function urgeRoutes(app: OpenAPIHono<IdempotentEnv>, deps: ApiDeps): void {
  app.openapi(urgeRoute(deps), async (c) => {
    const { taskId: id } = c.req.valid('param');
    const result = await deps.engine.execute(
      { type: 'task.urge', actor: c.get('actor'), taskId: taskId(id), message: c.req.valid('json').message },
      commandOptions(c, 200),
    );
    return c.json(result, 200);
  });
}
