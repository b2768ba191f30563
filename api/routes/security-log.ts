import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { ApiDeps } from '../api-deps.js';
import type { IdempotentEnv } from '../idempotency.js';
import { PageQuery } from '../schemas.js';
import { protectedRoute } from './protected-route.js';
import { json } from './responses.js';

const SecurityEvent = z
  .object({ seq: z.number().int(), type: z.string(), actorId: z.string(), actingFor: z.string().nullable(), occurredAt: z.string(), data: z.record(z.string(), z.unknown()), hash: z.string() })
  .openapi('SecurityEvent');

const listLog = protectedRoute('security-log.read', {
  method: 'get',
  path: '/security-log',
  summary: 'The security log (API keys, exports), latest first',
  request: { query: PageQuery },
  responses: { 200: { description: 'A page of events', ...json(z.object({ items: z.array(SecurityEvent), page: z.number(), pageSize: z.number() })) } },
});

const verifyLog = protectedRoute('security-log.read', {
  method: 'get',
  path: '/security-log/verification',
  summary: "Verify the security log's hash chain; reports the first broken link",
  responses: {
    200: {
      description: 'The verdict',
      ...json(z.object({ ok: z.boolean(), headSeq: z.number(), length: z.number().optional(), brokenAtSeq: z.number().optional(), reason: z.string().optional() })),
    } },
});

export function securityLogRoutes(app: OpenAPIHono<IdempotentEnv>, deps: ApiDeps): void {
  app.openapi(listLog, async (c) => {
    const { page, pageSize } = c.req.valid('query');
    const events = await deps.queries.listSecurityEvents({ page, pageSize });
    return c.json({ items: events.map((e) => ({ ...e, occurredAt: e.occurredAt.toISOString() })), page, pageSize }, 200);
  });

  app.openapi(verifyLog, async (c) => c.json(await deps.queries.verifySecurityLog(), 200));
}
