import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { ApiDeps } from '../api-deps.js';
import type { IdempotentEnv } from '../idempotency.js';
import { protectedRoute } from './protected-route.js';
import { json } from './responses.js';

const Department = z.object({ code: z.string(), name: z.string(), parentCode: z.string().nullable() }).openapi('Department');

const listRoute = protectedRoute('catalog.read', {
  method: 'get',
  path: '/departments',
  summary: 'The departments (部门), by code: reference data, like the catalogue',
  description: 'The tree of agencies and offices (`parentCode`): whom a person or an API key acts for.',
  responses: { 200: { description: 'Departments', ...json(z.object({ items: z.array(Department) })) } },
});

export function departmentRoutes(app: OpenAPIHono<IdempotentEnv>, deps: ApiDeps): void {
  app.openapi(listRoute, async (c) => c.json({ items: await deps.queries.listDepartments() }, 200));
}
