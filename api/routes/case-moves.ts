import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { TASK_OUTCOMES } from '../../engine/definitions/case-machine.js';
import { CaseNotFoundError } from '../../engine/errors.js';
import { availableMoves } from '../../engine/operations/available-moves.js';
import { SIGNER_POSITIONS } from '../../engine/definitions/signer-changes.js';
import { SPECIAL_PROCEDURES } from '../../engine/operations/start-special-procedure.js';
import type { ApiDeps } from '../api-deps.js';
import type { IdempotentEnv } from '../idempotency.js';
import { CaseParams } from '../schemas.js';
import { protectedRoute } from './protected-route.js';
import { json } from './responses.js';

const onTask = { taskId: z.string(), task: z.string().openapi({ description: "The task's key in the definition, e.g. `review.fire`." }) };

export const ReturnTarget = z
  .object({
    to: z.string().openapi({ description: 'The step to return to: send it as `returnTo` with the `return` outcome.' }),
    title: z.string().openapi({ description: 'What the definition calls this return, e.g. 退回受理窗口 Back to the acceptance window.' }),
    asksSupplement: z.boolean().openapi({ description: 'It goes to the applicant (补正): the completion sends `supplementRequest`, naming materials of `supplementMaterials`.' }),
  })
  .openapi('ReturnTarget');

const SupplementChoice = z
  .object({
    name: z.string().openapi({ description: 'A material of the service item (the version the case pins).' }),
    askable: z.boolean().openapi({ description: 'False: an earlier request did not name it and the applicant has not changed it since, so it may not be asked for now (一次性告知).' }),
  })
  .openapi('SupplementChoice');

const Move = z
  .union([
    z.object({
      type: z
        .enum(['task.claim', 'task.release', 'task.urge', 'task.withdraw', 'task.delegation.recall'])
        .openapi({ description: '`task.withdraw` (撤回): take back your completion of this task. `task.delegation.recall` (收回): take back the task you delegated.' }),
      ...onTask,
    }),
    z.object({
      type: z.literal('task.complete'),
      ...onTask,
      outcomes: z.array(z.enum(TASK_OUTCOMES)).openapi({ description: "The outcomes the task's step takes now (a step that cannot refuse offers no `reject`)." }),
      returnTargets: z.array(ReturnTarget).openapi({ description: 'With `return`: the targets you may choose now, the default first; empty when the return is fixed.' }),
      supplementMaterials: z.array(SupplementChoice).openapi({
        description: 'When a return goes to the applicant (the fixed return, or a target that `asksSupplement`): the materials its supplement request chooses from; else empty.',
      }),
    }),
    z.object({
      type: z.literal('task.transfer'),
      ...onTask,
      department: z.string().openapi({ description: 'The department holding the task now.' }),
      toPerson: z.boolean().openapi({ description: '转办 to a person of the task\'s department (`GET /api/departments/{code}/people`).' }),
      toDepartment: z.boolean().openapi({ description: "转办 to another department: the case's lead department's lead only." }),
    }),
    z.object({
      type: z.literal('task.take-over'),
      ...onTask,
      substitutedFor: z.string().openapi({ description: '接办: the person holding the task, for whom you stand in now (代理).' }),
    }),
    z.object({
      type: z.literal('task.delegate'),
      ...onTask,
      department: z.string().openapi({ description: '委派 to a person of this department (`GET /api/departments/{code}/people`), who returns it to you.' }),
    }),
    z.object({
      type: z.literal('task.delegation.resolve'),
      ...onTask,
      outcomes: z.array(z.enum(TASK_OUTCOMES)).openapi({ description: '退回确认: the outcomes you may propose when returning the task delegated to you.' }),
    }),
    z.object({
      type: z.literal('review.members.change'),
      review: z.string(),
      department: z.string(),
      joins: z.boolean().openapi({ description: 'True: add the department to the joint review; false: remove it.' }),
    }),
    z.object({ type: z.literal('review.close'), review: z.string() }),
    z.object({
      type: z.literal('countersign.signer.add'),
      ...onTask,
      positions: z.array(z.enum(SIGNER_POSITIONS)).openapi({ description: '加签 on your signer task: where the added signer may go in its step (`before` only in sequential mode).' }),
    }),
    z.object({
      type: z.literal('countersign.signer.remove'),
      step: z.string(),
      task: z.string().openapi({ description: "The pending signer's task key: 减签 removes them (the lead)." }),
      department: z.string(),
      person: z.string().nullable(),
    }),
    z.object({ type: z.literal('case.withdraw') }),
    z.object({ type: z.enum(['case.suspend', 'case.resume', 'case.terminate']) }).openapi({ description: '中止, 恢复, 终止 of the whole case.' }),
    z.object({
      type: z.literal('clock.extend'),
      clock: z.string(),
      maxWorkingDays: z.number().int().openapi({ description: 'The most working days an extension may still add (the service item allows so many in all).' }),
    }),
    z.object({ type: z.enum(['special-procedure.start', 'special-procedure.end']), kinds: z.array(z.enum(SPECIAL_PROCEDURES)) }),
    z.object({ type: z.literal('supplement.submit') }),
    z.object({ type: z.enum(['case.copy', 'case.comment']) }).openapi({ description: '抄送 the case (`POST /api/cases/{caseId}/copies`), 批注 on it (`POST /api/cases/{caseId}/comments`).' }),
    z.object({ type: z.literal('copy.read'), copyId: z.string() }).openapi({ description: '已阅: mark this copy, addressed to you or your department, read (`POST /api/copies/{copyId}/read`).' }),
  ])
  .openapi('Move');

const CaseMoves = z
  .object({
    caseId: z.string(),
    version: z.number().int().openapi({ description: 'The case version the moves were decided on: send it as `expectedVersion`.' }),
    moves: z.array(Move),
  })
  .openapi('CaseMoves');

const getMoves = protectedRoute('case.read', {
  method: 'get',
  path: '/cases/{caseId}/moves',
  summary: 'The moves you may make on the case now',
  description:
    'Each command you could send on the case — claim, release, complete (with the outcomes its step takes and where a return may go), urge, transfer, ' +
    'delegate, return or take back a delegation, withdraw a completion of yours, add or remove a member department of a joint review or close it (its lead department), extend a clock, ' +
    'start or end a special procedure, submit a supplement, withdraw the case (the window), copy it (抄送), comment on it (批注), mark a copy to you read (已阅) — decided as the engine decides it (permission matrix, department, task and state rules, the machine) ' +
    'on the case as last committed, and listed when it would be accepted and change something. Nothing is written; the texts you type are yours to give. ' +
    'A rate limit (urges) is not foreseen. Only for departments taking part in the case, and supervisors.',
  request: { params: CaseParams },
  responses: { 200: { description: 'The moves, possibly none', ...json(CaseMoves) } },
});

/** What the caller may do on a case now: the engine's decision on each command it could send, dry. */
export function caseMoveRoutes(app: OpenAPIHono<IdempotentEnv>, deps: ApiDeps): void {
  app.openapi(getMoves, async (c) => {
    const { caseId } = c.req.valid('param');
    const actor = c.get('actor');
    const at = await deps.queries.findVisibleCaseAtRest(actor, caseId);
    if (!at) throw new CaseNotFoundError(caseId);
    const now = deps.engine.now(); // legal time is the engine's
    // Whom the caller stands in for now (代理): only someone holding one of the case's tasks makes a take-over.
    const holders = new Set(at.openTasks.map((t) => t.assigneeId));
    const [definition, calendar, serviceItem, standingIn] = await Promise.all([
      deps.queries.processDefinition(at.case.definitionKey, at.case.definitionVersion),
      deps.queries.workingCalendar(at.case.calendarCode),
      deps.queries.serviceItem(at.case.serviceItemCode, at.case.serviceItemVersion),
      deps.queries.activeSubstitutionsFor(actor.userId, now),
    ]);
    const moves = availableMoves(actor, at, { definition, calendar, now, serviceItem }, standingIn.filter((s) => holders.has(s.absentId)));
    return c.json({ caseId: at.case.id, version: at.case.version, moves }, 200);
  });
}
