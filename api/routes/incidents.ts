import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { INCIDENT_RESOLUTIONS } from '../../db/timer-incidents.js';
import { IncidentNotFoundError } from '../../engine/errors.js';
import { timerId } from '../../engine/ids.js';
import type { ApiDeps } from '../api-deps.js';
import { commandOptions, type IdempotentEnv } from '../idempotency.js';
import { CommandResult, PageQuery, Uuid } from '../schemas.js';
import { incidentView } from '../views.js';
import { protectedRoute } from './protected-route.js';
import { json } from './responses.js';

const Incident = z
  .object({
    id: z.string(),
    caseId: z.string(),
    timerId: z.string(),
    timerKind: z.string(),
    timerStatus: z.string().openapi({ description: '`failed` while the incident is open; `pending`, `fired`… once retried; `cancelled` once its case closed.' }),
    dueAt: z.string(),
    error: z.string().openapi({ description: 'The last failure, as the timer worker saw it.' }),
    attempts: z.number().int(),
    firstFailedAt: z.string(),
    lastFailedAt: z.string(),
    resolvedAt: z.string().nullable(),
    resolvedBy: z.string().nullable().openapi({ description: 'The administrator who retried it, or `system` when its case closed.' }),
    resolution: z
      .enum(INCIDENT_RESOLUTIONS)
      .nullable()
      .openapi({ description: '`retried` by an administrator, or `case-closed`: its case closed, cancelling the timer; null while open.' }),
  })
  .openapi('Incident');

const listRoute = protectedRoute('incident.read', {
  method: 'get',
  path: '/incidents',
  summary: 'Timers whose firing failed on every attempt, the latest failure first',
  description:
    'Open incidents by default (`resolved=true` for the resolved ones: retried, or closed with their case). A failed timer is not delivered again until it is retried, or cancelled when its case closes.',
  request: { query: PageQuery.extend({ resolved: z.enum(['true', 'false']).default('false').transform((v) => v === 'true') }) },
  responses: { 200: { description: 'A page of incidents', ...json(z.object({ items: z.array(Incident), page: z.number(), pageSize: z.number() })) } },
});

const retryRoute = protectedRoute('incident.retry', {
  method: 'post',
  path: '/incidents/{incidentId}/retry',
  summary: "Re-arm an incident's timer: pending again, delivered at once with fresh attempts",
  description: "Resolves the incident (who, when) and is audited in the case's chain. An incident already retried, or of a closed case, answers 409.",
  request: { params: z.object({ incidentId: Uuid.openapi({ param: { name: 'incidentId', in: 'path' } }) }) },
  responses: { 200: { description: 'Re-armed', ...json(CommandResult) } },
});

export function incidentRoutes(app: OpenAPIHono<IdempotentEnv>, deps: ApiDeps): void {
  app.openapi(listRoute, async (c) => {
    const { page, pageSize, resolved } = c.req.valid('query');
    const incidents = await deps.queries.listIncidents({ resolved, page, pageSize });
    return c.json({ items: incidents.map(incidentView), page, pageSize }, 200);
  });

  app.openapi(retryRoute, async (c) => {
    const { incidentId } = c.req.valid('param');
    const incident = await deps.queries.findIncident(incidentId);
    if (!incident) throw new IncidentNotFoundError(incidentId);
    const result = await deps.engine.execute(
      { type: 'incident.retry', actor: c.get('actor'), incidentId, timerId: timerId(incident.timerId) },
      commandOptions(c, 200),
    );
    return c.json(result, 200);
  });
}
