import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { ApiDeps } from '../api-deps.js';
import type { IdempotentEnv } from '../idempotency.js';
import { hashQueryCode, newQueryCode } from '../query-code.js';
import { CaseParams } from '../schemas.js';
import { protectedRoute } from './protected-route.js';
import { json } from './responses.js';

const IssuedQueryCode = z
  .object({
    caseId: z.string(),
    caseNumber: z.string(),
    queryCode: z.string().optional().openapi({ description: 'The new code, shown this once (a replay of the request does not repeat it: issue another).' }),
  })
  .openapi('IssuedQueryCode');

const issueQueryCode = protectedRoute('case.query-code.issue', {
  method: 'post',
  path: '/cases/{caseId}/query-code',
  summary: 'Issue a new query code (查询码) for the applicant',
  description:
    'For a lost code, or a case started before codes were given: the intake window of the case hands the applicant a new one; the old one stops working at once. Written to the security log (never the code).',
  request: { params: CaseParams },
  responses: { 201: { description: 'Issued', ...json(IssuedQueryCode) } },
});

export function queryCodeRoutes(app: OpenAPIHono<IdempotentEnv>, deps: ApiDeps): void {
  app.openapi(issueQueryCode, async (c) => {
    const { caseId } = c.req.valid('param');
    const queryCode = newQueryCode();
    const { caseNumber } = await deps.queries.replaceQueryCode(c.get('actor'), caseId, await hashQueryCode(queryCode), deps.engine.now());
    // The code is kept nowhere but in its hash: an Idempotency-Key keeps the answer without it.
    c.set('replayAnswer', { caseId, caseNumber });
    return c.json({ caseId, caseNumber, queryCode }, 201);
  });
}
