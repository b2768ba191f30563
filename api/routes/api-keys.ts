import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { ApiKeyNotFoundError, InvalidCommandError } from '../../engine/errors.js';
import { OPERATIONS, PERMISSIONS } from '../../engine/access/permission-matrix.js';
import type { ApiKeyRow } from '../../db/api-key-store.js';
import type { ApiDeps } from '../api-deps.js';
import type { IdempotentEnv } from '../idempotency.js';
import { Uuid } from '../schemas.js';
import { protectedRoute } from './protected-route.js';
import { json } from './responses.js';

/** Operations a department system may be given at all (the matrix's department_system column). */
const SYSTEM_OPERATIONS = OPERATIONS.filter((op) => PERMISSIONS[op].includes('department_system'));

const ApiKey = z
  .object({
    id: z.string(),
    name: z.string(),
    departmentCode: z.string(),
    operations: z.array(z.string()),
    createdBy: z.string(),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
  })
  .openapi('ApiKey');

const NewApiKey = z
  .object({
    name: z.string().trim().min(1).max(200),
    departmentCode: z.string().min(1).max(100),
    operations: z.array(z.enum(SYSTEM_OPERATIONS as [string, ...string[]])).min(1),
  })
  .strict()
  .openapi('NewApiKey');

const view = (k: ApiKeyRow) => ({ ...k, createdAt: k.createdAt.toISOString(), revokedAt: k.revokedAt?.toISOString() ?? null });

const createKey = protectedRoute('api-key.manage', {
  method: 'post',
  path: '/api-keys',
  summary: 'Create an API key for a department system',
  description: 'The key is shown once, in this answer; only its hash is stored. Send it as `Authorization: ApiKey <key>`.',
  request: { body: { required: true, ...json(NewApiKey) } },
  responses: { 201: { description: 'Created', ...json(ApiKey.extend({ key: z.string() })) } },
});

const listKeys = protectedRoute('api-key.manage', {
  method: 'get',
  path: '/api-keys',
  summary: 'API keys (without secrets)',
  responses: { 200: { description: 'Keys', ...json(z.object({ items: z.array(ApiKey) })) } },
});

const revokeKey = protectedRoute('api-key.manage', {
  method: 'post',
  path: '/api-keys/{keyId}/revoke',
  summary: 'Revoke an API key (effective within 30 seconds on every API process)',
  request: { params: z.object({ keyId: Uuid.openapi({ param: { name: 'keyId', in: 'path' } }) }) },
  responses: { 200: { description: 'Revoked', ...json(ApiKey) } },
});

export function apiKeyRoutes(app: OpenAPIHono<IdempotentEnv>, deps: ApiDeps): void {
  app.openapi(createKey, async (c) => {
    const body = c.req.valid('json');
    const departmentKnown = await deps.queries.departmentExists(body.departmentCode);
    if (!departmentKnown) throw new InvalidCommandError(`There is no department ${body.departmentCode}.`, ['departmentCode']);
    const { key, ...created } = await deps.queries.createApiKey({ ...body, actor: c.get('actor'), now: deps.clock.now() });
    // The secret is shown once and stored nowhere: a replayed answer describes the key without it.
    c.set('replayAnswer', view(created));
    return c.json({ ...view(created), key }, 201);
  });

  app.openapi(listKeys, async (c) => c.json({ items: (await deps.queries.listApiKeys()).map(view) }, 200));

  app.openapi(revokeKey, async (c) => {
    const revoked = await deps.queries.revokeApiKey(c.req.valid('param').keyId, c.get('actor'), deps.clock.now());
    if (!revoked) throw new ApiKeyNotFoundError(c.req.valid('param').keyId);
    return c.json(view(revoked), 200);
  });
}
