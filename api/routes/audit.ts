import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { CaseNotFoundError } from '../../engine/errors.js';
import type { ApiDeps } from '../api-deps.js';
import type { IdempotentEnv } from '../idempotency.js';
import { Uuid } from '../schemas.js';
import { protectedRoute } from './protected-route.js';
import { json } from './responses.js';

const AuditParams = z.object({ caseId: Uuid.openapi({ param: { name: 'caseId', in: 'path' } }) });

const AuditVerification = z
  .object({
    caseId: z.string(),
    ok: z.boolean(),
    length: z.number().int().openapi({ description: 'Events stored for the case.' }),
    brokenAtSeq: z.number().int().optional().openapi({ description: 'When not ok: the seq of the first broken link.' }),
    reason: z
      .enum(['hash', 'link', 'sequence'])
      .optional()
      .openapi({
        description:
          'When not ok: `hash` — the event does not match its hash (edited); `link` — it does not follow the event before it ' +
          '(one was removed or moved); `sequence` — an event is missing, or the chain does not end at the head kept on the case.',
      }),
    headSeq: z.number().int().openapi({ description: "The seq of the case's last event, as kept on the case row." }),
  })
  .openapi('AuditVerification');

const verifyAudit = protectedRoute('case.audit.verify', {
  method: 'get',
  path: '/cases/{caseId}/audit/verification',
  summary: "Verify a case's hash-chained audit trail",
  description:
    "Recomputes the case's audit chain and reports the first broken link: an edited, deleted, reordered or appended event. " +
    'Leads verify the cases their department takes part in; supervisors and administrators any case.',
  request: { params: AuditParams },
  responses: { 200: { description: 'The verdict (ok or not)', ...json(AuditVerification) } },
});

export function auditRoutes(app: OpenAPIHono<IdempotentEnv>, deps: ApiDeps): void {
  app.openapi(verifyAudit, async (c) => {
    const { caseId } = c.req.valid('param');
    const verdict = await deps.queries.verifyVisibleCaseAudit(c.get('actor'), caseId);
    if (!verdict) throw new CaseNotFoundError(caseId);
    return c.json(verdict, 200);
  });
}
