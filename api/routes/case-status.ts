import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { caseId } from '../../engine/ids.js';
import type { ApiDeps } from '../api-deps.js';
import { commandOptions, type IdempotentEnv } from '../idempotency.js';
import { CaseParams, CommandResult, ExpectedVersion, LegalBasis, Reason } from '../schemas.js';
import { protectedRoute } from './protected-route.js';
import { json } from './responses.js';

/** 中止, 恢复, 终止: a case waits on a legal ground, goes on, or ends without a decision. */

const SuspensionBody = z
  .object({
    reason: Reason.openapi({ description: 'Why the case waits (e.g. 申请人涉及的诉讼尚未审结): audited, and the applicant is told it in writing.' }),
    legalBasis: LegalBasis.openapi({ description: 'The provision it rests on, told to the applicant.' }),
    expectedVersion: ExpectedVersion,
  })
  .strict()
  .openapi('Suspension');

const ResumptionBody = z
  .object({ reason: Reason.openapi({ description: 'Why it goes on (the ground of the suspension is gone): audited, told to the applicant.' }), expectedVersion: ExpectedVersion })
  .strict()
  .openapi('Resumption');

const TerminationBody = SuspensionBody.extend({
  reason: Reason.openapi({ description: 'Why the case ends without a decision (e.g. 申请人死亡、终止): audited, told to the applicant.' }),
}).openapi('Termination');

/** Who may: said once for the three routes. */
const WHO = "The lead of the case's lead department, or a supervisor on any case; another department's lead answers 403.";

const suspendCase = protectedRoute('case.suspend', {
  method: 'post',
  path: '/cases/{caseId}/suspension',
  summary: 'Suspend a case (中止)',
  description:
    `${WHO} The case becomes \`suspended\`: every clock still counting pauses (no limit runs while it waits) and every other command on it ` +
    'answers 409 `TB-CASE-SUSPENDED` until it is resumed — except its termination and the applicant\'s withdrawal. The applicant and the ' +
    'departments holding its tasks are told. A suspended case answers 409 `TB-CASE-STATUS`, a closed one 409 `TB-CASE-CLOSED`; nothing changes.',
  request: { params: CaseParams, body: { required: true, ...json(SuspensionBody) } },
  responses: { 200: { description: 'Suspended', ...json(CommandResult) } },
});

const resumeCase = protectedRoute('case.resume', {
  method: 'post',
  path: '/cases/{caseId}/resumption',
  summary: 'Resume a suspended case (恢复)',
  description:
    `${WHO} The clocks the suspension paused resume with what they had left: their due dates move by the working days it lasted. The ` +
    "process's timers that fell due meanwhile fire now. A running case answers 409 `TB-CASE-STATUS`, a closed one 409 `TB-CASE-CLOSED`.",
  request: { params: CaseParams, body: { required: true, ...json(ResumptionBody) } },
  responses: { 200: { description: 'Resumed', ...json(CommandResult) } },
});

const terminateCase = protectedRoute('case.terminate', {
  method: 'post',
  path: '/cases/{caseId}/termination',
  summary: 'Terminate a case without a decision (终止)',
  description:
    "The lead of the case's lead department only. The case closes as `terminated`, running or suspended: open tasks cancelled, clocks stopped, " +
    'the applicant told. Supervision counts it neither on time nor late. A closed case answers 409 `TB-CASE-CLOSED`.',
  request: { params: CaseParams, body: { required: true, ...json(TerminationBody) } },
  responses: { 200: { description: 'Terminated', ...json(CommandResult) } },
});

export function caseStatusRoutes(app: OpenAPIHono<IdempotentEnv>, deps: ApiDeps): void {
  app.openapi(suspendCase, async (c) => {
    const { caseId: id } = c.req.valid('param');
    const { reason, legalBasis, expectedVersion } = c.req.valid('json');
    const command = { type: 'case.suspend', actor: c.get('actor'), caseId: caseId(id), reason, legalBasis, ...(expectedVersion ? { expectedVersion } : {}) } as const;
    return c.json(await deps.engine.execute(command, commandOptions(c, 200)), 200);
  });
  app.openapi(resumeCase, async (c) => {
    const { caseId: id } = c.req.valid('param');
    const { reason, expectedVersion } = c.req.valid('json');
    const command = { type: 'case.resume', actor: c.get('actor'), caseId: caseId(id), reason, ...(expectedVersion ? { expectedVersion } : {}) } as const;
    return c.json(await deps.engine.execute(command, commandOptions(c, 200)), 200);
  });
  app.openapi(terminateCase, async (c) => {
    const { caseId: id } = c.req.valid('param');
    const { reason, legalBasis, expectedVersion } = c.req.valid('json');
    const command = { type: 'case.terminate', actor: c.get('actor'), caseId: caseId(id), reason, legalBasis, ...(expectedVersion ? { expectedVersion } : {}) } as const;
    return c.json(await deps.engine.execute(command, commandOptions(c, 200)), 200);
  });
}
