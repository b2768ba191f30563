import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { ApiDeps } from '../api-deps.js';
import { DEFAULT_MAX_TOKEN_LIFETIME_SECONDS, mintToken } from '../auth.js';
import { InvalidCommandError } from '../../engine/errors.js';
import { validationHook } from '../validation-hook.js';
import { Profile } from './me.js';
import { json } from './responses.js';

const IdentityProvider = z
  .object({
    name: z.string(),
    signInUrl: z.string().openapi({ description: 'Where people sign in; the provider sends them back to `/sign-in#access_token=<JWT>`.' }),
  })
  .openapi('IdentityProvider');

const optionsRoute = createRoute({
  method: 'get',
  path: '/api/sign-in-options',
  summary: 'How people sign in here: demo sign-in, an identity provider, or a pasted token',
  description: 'Public: the sign-in page asks it first. A token can always be pasted.',
  responses: {
    200: {
      description: 'The ways to sign in',
      ...json(z.object({ demoSignIn: z.boolean(), identityProvider: IdentityProvider.nullable() }).openapi('SignInOptions')),
    },
  },
});

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
 * Signing in, before anyone has a token (so outside the authenticated `/api` routes): how one signs in here, and
 * the demo sign-in of the development system — pick a person, get their token. Whoever reaches a demo system may
 * act as anyone in it, so the demo routes exist only when the auth configuration says so, and sign with its secret.
 */
export function signInRoutes(app: OpenAPIHono, deps: ApiDeps): void {
  // Its own sub-app, for the one validation hook of every route (the outer app has no default hook).
  const routes = new OpenAPIHono({ defaultHook: validationHook });
  routes.openapi(optionsRoute, (c) => c.json({ demoSignIn: deps.auth.demoSignIn === true, identityProvider: deps.auth.identityProvider ?? null }, 200));
  app.route('/', routes);
  if (deps.auth.demoSignIn) demoSignInRoutes(app, deps);
}

function demoSignInRoutes(app: OpenAPIHono, deps: ApiDeps): void {
  const secret = deps.auth.jwtSecret;
  if (!secret) throw new Error('Demo sign-in signs tokens with the shared JWT secret: configure one');
  const lifetime = deps.auth.maxTokenLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;

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
