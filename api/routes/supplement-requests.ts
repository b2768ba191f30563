import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { materialNeeds, seesMaterial } from '../../engine/access/material-visibility.js';
import { CaseNotFoundError } from '../../engine/errors.js';
import type { ApiDeps } from '../api-deps.js';
import type { IdempotentEnv } from '../idempotency.js';
import { CaseParams } from '../schemas.js';
import { protectedRoute } from './protected-route.js';
import { json } from './responses.js';

/**
 * 补正告知: the supplement requests of a case. A return to the applicant makes one (`POST /api/tasks/{taskId}/complete`
 * with `supplementRequest`), the applicant's supplement answers it (`POST /api/cases/{caseId}/supplements`).
 */

const SupplementRequest = z
  .object({
    id: z.string(),
    taskId: z.string().openapi({ description: 'The task whose return made it.' }),
    materials: z.array(z.object({ name: z.string(), reason: z.string() })).openapi({
      description:
        'The materials asked for (一次性告知) that your department sees (as `GET /api/cases/{caseId}` lists them), with what is missing or wrong; ' +
        'empty when it sees none of them.',
    }),
    requestedBy: z.string(),
    requestedByName: z.string().nullable(),
    requestedAt: z.string(),
    answeredAt: z.string().nullable().openapi({ description: "When the applicant's supplement answered it; null while awaited." }),
  })
  .openapi('SupplementRequest');

const listRoute = protectedRoute('case.read', {
  method: 'get',
  path: '/cases/{caseId}/supplement-requests',
  summary: 'The supplement requests of a case (补正告知)',
  description:
    'What the applicant was asked to supplement, oldest first: each material with its reason, who asked and when, and whether a supplement answered it. ' +
    "For whoever may read the case; each request names only the materials the reader's department sees.",
  request: { params: CaseParams },
  responses: { 200: { description: 'The requests, possibly none', ...json(z.object({ items: z.array(SupplementRequest) }).openapi('SupplementRequests')) } },
});

export function supplementRequestRoutes(app: OpenAPIHono<IdempotentEnv>, deps: ApiDeps): void {
  app.openapi(listRoute, async (c) => {
    const { caseId } = c.req.valid('param');
    const actor = c.get('actor');
    const found = await deps.queries.listSupplementRequests(actor, caseId);
    if (!found) throw new CaseNotFoundError(caseId);
    const needs = materialNeeds(await deps.queries.processDefinition(found.case.definitionKey, found.case.definitionVersion), found.case);
    // A request whose every material is hidden stays, with none named: that the case waited for the applicant, and
    // when, every reader already learns from its status and timeline (whose return event stays too, its list cut
    // alike); what was asked for is what a department whose review does not need it may not learn.
    const items = found.requests.map((r) => ({
      ...r,
      materials: r.materials.filter((m) => seesMaterial(actor, needs, m.name)),
      requestedAt: r.requestedAt.toISOString(),
      answeredAt: r.answeredAt?.toISOString() ?? null,
    }));
    return c.json({ items }, 200);
  });
}
