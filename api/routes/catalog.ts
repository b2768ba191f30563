import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { ApiDeps } from '../api-deps.js';
import type { IdempotentEnv } from '../idempotency.js';
import { protectedRoute } from './protected-route.js';
import { json } from './responses.js';

const ServiceItem = z
  .object({
    code: z.string(),
    name: z.string(),
    legalBasis: z.string(),
    leadDepartment: z.string(),
    legalLimitDays: z.number().int(),
    committedLimitDays: z.number().int(),
    definitionKey: z.string(),
    calendarCode: z.string(),
    countingRule: z
      .object({ cutOffLocalTime: z.string() })
      .openapi({ description: 'A receipt from this local time, or on a day off, counts as received on the next working day; day 1 is the working day after receipt.' }),
  })
  .openapi('ServiceItem');

const Definition = z
  .object({ key: z.string(), version: z.number().int(), title: z.string(), checksum: z.string(), publishedAt: z.string() })
  .openapi('ProcessDefinitionSummary');

const listItems = protectedRoute('catalog.read', {
  method: 'get',
  path: '/service-items',
  summary: 'The catalogue of service items (事项)',
  responses: { 200: { description: 'Service items', ...json(z.object({ items: z.array(ServiceItem) })) } },
});

const listDefinitions = protectedRoute('catalog.read', {
  method: 'get',
  path: '/process-definitions',
  summary: 'Published process definitions, every version',
  responses: { 200: { description: 'Definitions', ...json(z.object({ items: z.array(Definition) })) } },
});

export function catalogRoutes(app: OpenAPIHono<IdempotentEnv>, deps: ApiDeps): void {
  app.openapi(listItems, async (c) => c.json({ items: await deps.queries.listServiceItems() }, 200));

  app.openapi(listDefinitions, async (c) => {
    const definitions = await deps.queries.listPublishedDefinitions();
    return c.json({ items: definitions.map((d) => ({ ...d, publishedAt: d.publishedAt.toISOString() })) }, 200);
  });
}
