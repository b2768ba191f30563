import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { ApiDeps } from '../api-deps.js';
import { DEFAULT_MAX_TOKEN_LIFETIME_SECONDS, mintToken } from '../auth.js';
import { InvalidCommandError } from '../../engine/errors.js';
import { validationHook } from '../validation-hook.js';
import { Profile } from './me.js';
import { json } from './responses.js';

const usersRoute = createRoute({
  method: 'get',
  path: '/api/demo-users',
  summary: 'Demo sign-in: every active person (only where demo sign-in is on)',
  description: 'Public, and registered only when the process runs with demo sign-in (`npm start`): the workspace shows a picker.',
  responses: { 200: { description: 'The people one may sign in as', ...json(z.object({ items: z.array(Profile) })) } },
});

const sessionRoute = createRoute({
  method: 'post',
  path: '/api/demo-sessions',
  summary: 'Demo sign-in: a bearer token for one of the demo people',
  description: 'Public, and registered only with demo sign-in. The token lives as long as tokens may (12 hours unless configured).',
  request: { body: { required: true, ...json(z.object({ userId: z.string().min(1).max(200) })) } },
  responses: {
    201: { description: 'A token for that person', ...json(z.object({ token: z.string(), expiresAt: z.string(), profile: Profile })) },
    400: { description: 'Invalid input' },
    422: { description: 'No such active person' },
  },
});

/**
 * Demo sign-in for the development system: pick a person, get their token. Outside the authenticated `/api`
 * routes on purpose (whoever reaches a demo system may act as anyone in it), so it exists only when the auth
 * configuration says so and signs with its shared secret.
 */
export function demoSignInRoutes(app: OpenAPIHono, deps: ApiDeps): void {
  const secret = deps.auth.jwtSecret;
  if (!deps.auth.demoSignIn) return;
  if (!secret) throw new Error('Demo sign-in signs tokens with the shared JWT secret: configure one');
  const lifetime = deps.auth.maxTokenLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;

  // Its own sub-app, for the one validation hook of every route (the outer app has no default hook).
  const demo = new OpenAPIHono({ defaultHook: validationHook });
  demo.openapi(usersRoute, async (c) => {
    const people = await deps.queries.listActiveUsers();
    return c.json({ items: people.map((p) => ({ ...p, roles: [...p.roles] })) }, 200);
  });

  demo.openapi(
    sessionRoute,
    async (c) => {
      const { userId } = c.req.valid('json');
      const profile = await deps.queries.findUserProfile(userId);
      if (!profile) throw new InvalidCommandError(`No active person ${userId}.`, ['userId']);
      const token = await mintToken(profile.id, secret, deps.clock, lifetime);
      const expiresAt = new Date(deps.clock.now().getTime() + lifetime * 1000).toISOString();
      return c.json({ token, expiresAt, profile: { ...profile, roles: [...profile.roles] } }, 201);
    },
  );
  app.route('/', demo);
}
