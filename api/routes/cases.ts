import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { OPINION_VISIBILITIES } from '../../engine/case-command.js';
import { CaseNotFoundError } from '../../engine/errors.js';
import { caseId } from '../../engine/ids.js';
import type { ApiDeps } from '../api-deps.js';
import { commandOptions, type IdempotentEnv } from '../idempotency.js';
import { CaseParams, CommandResult, Due, StartCaseBody, SupplementBody, Task } from '../schemas.js';
import { caseView } from '../views.js';
import { protectedRoute } from './protected-route.js';
import { json } from './responses.js';

const CaseDetail = z
  .object({
    id: z.string(),
    caseNumber: z.string().openapi({ description: 'The case number (受理编号) people read and say: year of intake (Beijing time) and a sequence, e.g. `2026-000123`.' }),
    serviceItemCode: z.string(),
    serviceItemVersion: z.number().int().openapi({ description: 'The catalogue version of its service item the case started under: its legal basis and limits (`GET /api/catalog/service-items/{code}/versions`).' }),
    definition: z.object({ key: z.string(), version: z.number().int() }),
    status: z.string(),
    state: z.string(),
    warningLevel: z.string().openapi({ description: "`green`, `yellow` (at risk) or `red` (overdue): the worst colour of its clocks still counting, the case's light." }),
    version: z.number().int(),
    leadDepartment: z.string(),
    intakeDepartment: z.string(),
    applicant: z.object({ name: z.string(), idNumber: z.string(), phone: z.string().optional() }),
    createdAt: z.string(),
    dueAt: z.string(),
    due: Due,
    completedAt: z.string().nullable(),
    tasks: z.array(Task),
    opinions: z.array(
      z.object({ id: z.string(), taskId: z.string(), departmentCode: z.string(), authorId: z.string(), outcome: z.string(), text: z.string(), visibility: z.string(), createdAt: z.string() }),
    ),
    comments: z
      .array(z.object({ id: z.string(), authorId: z.string(), departmentCode: z.string(), text: z.string(), visibility: z.enum(OPINION_VISIBILITIES), createdAt: z.string() }))
      .openapi({ description: 'Comments (批注), oldest first: those you may read by the rules of opinions (another department’s internal one once the joint decision is made).' }),
    materials: z.array(z.object({ id: z.string(), name: z.string(), sha256: z.string(), sizeBytes: z.number(), submittedAt: z.string() })),
    licences: z.array(z.object({ id: z.string(), number: z.string(), licenceType: z.string(), title: z.string(), issuedAt: z.string() })),
    timeline: z.array(
      z.object({
        seq: z.number().int(),
        type: z.string().openapi({ description: 'What happened, e.g. `task.approved`; `task.completed` when its outcome is withheld from you.' }),
        actorId: z.string(),
        actingFor: z.string().nullable(),
        occurredAt: z.string(),
        data: z.record(z.string(), z.unknown()),
        hash: z.string().nullable(),
        outcomeWithheld: z.boolean(),
      }),
    ),
  })
  .openapi('Case');

const startCase = protectedRoute('case.start', {
  method: 'post',
  path: '/cases',
  summary: 'Start a case for a service item (受理)',
  description: 'Intake clerks (and department systems) start cases; the latest published definition of the item is used.',
  request: { body: { required: true, ...json(StartCaseBody) } },
  responses: { 201: { description: 'Started', ...json(CommandResult) } },
});

const getCase = protectedRoute('case.read', {
  method: 'get',
  path: '/cases/{caseId}',
  summary: 'Read a case: state, tasks, opinions, materials, licences, timeline',
  description:
    'Only for departments taking part in the case, the people and departments it is copied to (抄送, read-only), and supervisors. Applicant data is masked for departments that do not deal with the applicant; ' +
    'opinions and comments (批注) are shown by the opinion rules.',
  request: { params: CaseParams },
  responses: { 200: { description: 'The case', ...json(CaseDetail) } },
});

const submitSupplement = protectedRoute('case.supplement', {
  method: 'post',
  path: '/cases/{caseId}/supplements',
  summary: 'Submit the supplement (补正) the applicant brought',
  request: { params: CaseParams, body: { required: true, ...json(SupplementBody) } },
  responses: { 200: { description: 'Accepted', ...json(CommandResult) } },
});

export function caseRoutes(app: OpenAPIHono<IdempotentEnv>, deps: ApiDeps): void {
  app.openapi(startCase, async (c) => {
    const body = c.req.valid('json');
    const result = await deps.engine.startCase({ type: 'case.start', actor: c.get('actor'), ...body }, commandOptions(c, 201));
    return c.json(result, 201);
  });

  app.openapi(getCase, async (c) => {
    const { caseId: id } = c.req.valid('param');
    const actor = c.get('actor');
    const view = await deps.queries.findVisibleCase(actor, id);
    if (!view) throw new CaseNotFoundError(id);
    return c.json(caseView(actor, view), 200);
  });

  app.openapi(submitSupplement, async (c) => {
    const { caseId: id } = c.req.valid('param');
    const body = c.req.valid('json');
    const result = await deps.engine.execute({
      type: 'supplement.submit',
      actor: c.get('actor'),
      caseId: caseId(id),
      materials: body.materials,
      ...(body.expectedVersion ? { expectedVersion: body.expectedVersion } : {}),
    }, commandOptions(c, 200));
    return c.json(result, 200);
  });
}
