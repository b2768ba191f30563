import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { OPINION_VISIBILITIES } from '../../engine/case-command.js';
import { ID_TYPES } from '../../engine/case-record.js';
import { CaseNotFoundError } from '../../engine/errors.js';
import { caseId } from '../../engine/ids.js';
import type { ApiDeps } from '../api-deps.js';
import { commandOptions, type IdempotentEnv } from '../idempotency.js';
import { CaseParams, CommandResult, Due, StartCaseBody, SupplementBody, Task } from '../schemas.js';
import { caseView } from '../views.js';
import { reusedLicences } from '../licence-reuse.js';
import { materialInputs } from '../material-attachments.js';
import { materialNeeds } from '../../engine/access/material-visibility.js';
import { hashQueryCode, newQueryCode } from '../query-code.js';
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
    applicant: z.object({ name: z.string(), idType: z.enum(ID_TYPES).optional(), idNumber: z.string(), phone: z.string().optional() }),
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
    materials: z
      .array(
        z.object({
          id: z.string(),
          name: z.string(),
          version: z.number().int().openapi({ description: '1 at intake; each supplement of the same material its next version (every version stays).' }),
          sha256: z.string(),
          sizeBytes: z.number(),
          contentType: z.string().nullable(),
          hasFile: z.boolean().openapi({ description: 'Whether a file was uploaded (`GET …/materials/{materialId}/content`); false for a material recorded on paper or a licence reused.' }),
          licenceNumber: z.string().nullable(),
          submittedAt: z.string(),
          visibleTo: z.array(z.string()).openapi({ description: 'The departments that see this material (supervisors besides): the lead and intake departments, and those whose tasks need it.' }),
        }),
      )
      .openapi({ description: 'The materials your department sees (those its tasks in the definition need; all for the lead and intake departments and supervisors), every version, oldest first.' }),
    licences: z
      .array(
        z.object({
          id: z.string(),
          number: z.string(),
          licenceType: z.string(),
          title: z.string(),
          issuedAt: z.string(),
          issuingDepartment: z.string().nullable(),
          validFrom: z.string(),
          validUntil: z.string().nullable(),
          signed: z.boolean().openapi({ description: 'False for a licence issued before licences were signed: it verifies as `unsigned`.' }),
          revokedAt: z.string().nullable(),
          revocationReason: z.string().nullable(),
        }),
      )
      .openapi({ description: 'The electronic licences (电子证照) the case issued, with their validity and revocation; `GET /api/licences/{number}/verification` checks the signature.' }),
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
  responses: {
    201: {
      description: 'Started',
      ...json(
        CommandResult.extend({
          queryCode: z.string().optional().openapi({
            description: 'The applicant’s query code (查询码) for the public progress query, answered this once and kept only as a hash; absent from a replay (Idempotency-Key): then issue a new one.',
          }),
        }).openapi('StartedCase'),
      ),
    },
  },
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
    const { materials, ...body } = c.req.valid('json');
    const actor = c.get('actor');
    const item = await deps.queries.serviceItem(body.serviceItemCode);
    // 证照复用: a material a licence stands in for is verified apart from the files (a refusal still names its entry).
    const files = materials.flatMap((m, i) => ('licence' in m ? [] : [{ m, i }]));
    const licences = materials.flatMap((m) => ('licence' in m ? [m] : []));
    const inputs = [
      ...(await materialInputs(deps.queries, actor, item, files.map((f) => f.m), files.map((f) => f.i))),
      ...(await reusedLicences(deps.queries, item, body.applicant, licences, deps.clock.now())),
    ];
    // Drawn here, not in the engine: the engine keeps only the hash, and the code is answered this once.
    const queryCode = newQueryCode();
    const queryCodeHash = await hashQueryCode(queryCode);
    const result = await deps.engine.startCase({ type: 'case.start', actor, ...body, materials: inputs, queryCodeHash }, commandOptions(c, 201));
    // A replay answers the result the start kept in its transaction, without the code (another request's code
    // would be a code that does not work): the window issues a new one (`POST /api/cases/{caseId}/query-code`).
    c.set('replayAnswer', result);
    return c.json({ ...result, queryCode }, 201);
  });

  app.openapi(getCase, async (c) => {
    const { caseId: id } = c.req.valid('param');
    const actor = c.get('actor');
    const view = await deps.queries.findVisibleCase(actor, id);
    if (!view) throw new CaseNotFoundError(id);
    const definition = await deps.queries.processDefinition(view.case.definitionKey, view.case.definitionVersion);
    return c.json(caseView(actor, view, materialNeeds(definition, view.case)), 200);
  });

  app.openapi(submitSupplement, async (c) => {
    const { caseId: id } = c.req.valid('param');
    const body = c.req.valid('json');
    const actor = c.get('actor');
    // Named as the item version the case was started under lists them.
    const pinned = await deps.queries.findCaseServiceItem(actor, id);
    if (!pinned) throw new CaseNotFoundError(id);
    const materials = await materialInputs(deps.queries, actor, await deps.queries.serviceItem(pinned.code, pinned.version), body.materials);
    const result = await deps.engine.execute({
      type: 'supplement.submit',
      actor,
      caseId: caseId(id),
      materials,
      ...(body.expectedVersion ? { expectedVersion: body.expectedVersion } : {}),
    }, commandOptions(c, 200));
    return c.json(result, 200);
  });
}
