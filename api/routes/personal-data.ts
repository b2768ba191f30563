import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { CaseNotFoundError } from '../../engine/errors.js';
import { caseId } from '../../engine/ids.js';
import type { ApiDeps } from '../api-deps.js';
import { commandOptions, type IdempotentEnv } from '../idempotency.js';
import { rateLimit } from '../rate-limit.js';
import { Uuid } from '../schemas.js';
import { protectedRoute } from './protected-route.js';
import { json } from './responses.js';

const Reason = z
  .object({ reason: z.string().trim().min(10, 'state why you need the personal data').max(500) })
  .strict()
  .openapi('PersonalDataRead');

const readPersonalData = (deps: ApiDeps) =>
  protectedRoute('case.personal-data.read', {
  method: 'post',
  path: '/cases/{caseId}/personal-data-reads',
  summary: "Read the applicant's personal data in full, for a stated reason (audited)",
  description:
    'The read is appended to the case audit chain before the data is returned. Rate limited per caller. A retry with the same Idempotency-Key reads again (audited, rate limited): the answer is never kept.',
  'x-idempotent-replay': 'rerun',
  request: {
    params: z.object({ caseId: Uuid.openapi({ param: { name: 'caseId', in: 'path' } }) }),
    body: { required: true, ...json(Reason) },
  },
  responses: {
    200: { description: 'The applicant', ...json(z.object({ name: z.string(), idNumber: z.string(), phone: z.string().optional() })) },
    429: { description: 'Too many reads; see Retry-After' } },
  }, rateLimit(deps.queries, deps.clock, 'personal-data.read', { limit: 30, windowSeconds: 3600 }));

/** Privileged reads: supervisors see personal data only by asking, with a reason, on the record. */
export function personalDataRoutes(app: OpenAPIHono<IdempotentEnv>, deps: ApiDeps): void {
  app.openapi(readPersonalData(deps), async (c) => {
    const { caseId: id } = c.req.valid('param');
    await deps.engine.execute(
      { type: 'personal-data.read', actor: c.get('actor'), caseId: caseId(id), reason: c.req.valid('json').reason },
      commandOptions(c, 200),
    );
    const applicant = await deps.queries.findApplicant(id);
    if (!applicant) throw new CaseNotFoundError(id);
    return c.json(applicant, 200);
  });
}
