import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { asc, desc } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import { processDefinitions, serviceItems } from '../../db/schema/index.js';
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
  const db = drizzle(deps.sql);

  app.openapi(listItems, async (c) => {
    const items = await db.select().from(serviceItems).orderBy(asc(serviceItems.code));
    return c.json({ items }, 200);
  });

  app.openapi(listDefinitions, async (c) => {
    const rows = await db
      .select({
        key: processDefinitions.key,
        version: processDefinitions.version,
        title: processDefinitions.title,
        checksum: processDefinitions.checksum,
        publishedAt: processDefinitions.publishedAt,
      })
      .from(processDefinitions)
      .orderBy(asc(processDefinitions.key), desc(processDefinitions.version));
    return c.json({ items: rows.map((r) => ({ ...r, publishedAt: r.publishedAt.toISOString() })) }, 200);
  });
}
