import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { ApiDeps } from '../api-deps.js';
import type { IdempotentEnv } from '../idempotency.js';
import { protectedRoute } from './protected-route.js';
import { json } from './responses.js';

export const Profile = z
  .object({
    id: z.string(),
    name: z.string(),
    departmentCode: z.string(),
    departmentName: z.string(),
    roles: z.array(z.string()),
  })
  .openapi('Profile');

const meRoute = protectedRoute('profile.read', {
  method: 'get',
  path: '/me',
  summary: 'Who I am: name, the department I act for, my roles',
  description: 'A department system (API key), which is no person, is answered with its key id as the name and its department code.',
  responses: { 200: { description: 'The caller', ...json(Profile) } },
});

export function meRoutes(app: OpenAPIHono<IdempotentEnv>, deps: ApiDeps): void {
  app.openapi(meRoute, async (c) => {
    const actor = c.get('actor');
    const profile = await deps.queries.findUserProfile(actor.userId);
    if (profile) return c.json({ ...profile, roles: [...profile.roles] }, 200);
    // A department system's key stands for its department: it has no row among the people.
    return c.json({ id: actor.userId, name: actor.userId, departmentCode: actor.departmentCode, departmentName: actor.departmentCode, roles: [...actor.roles] }, 200);
  });
}
