import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { TASK_OUTCOMES } from '../../engine/definitions/case-machine.js';
import { taskId } from '../../engine/ids.js';
import type { ApiDeps } from '../api-deps.js';
import { commandOptions, type IdempotentEnv } from '../idempotency.js';
import { CommandResult, ExpectedVersion, OpinionInput, Reason, Uuid } from '../schemas.js';
import { protectedRoute } from './protected-route.js';
import { json } from './responses.js';
import { personNamed } from '../named-party.js';

/** 委派: the holder of a task delegates it to a colleague, who returns it with a proposal (退回确认), or the holder takes it back (收回). */

const TaskParams = z.object({ taskId: Uuid.openapi({ param: { name: 'taskId', in: 'path' } }) });
const RecallBody = z.object({ expectedVersion: ExpectedVersion }).strict().openapi('DelegationRecall');

const DelegationBody = z
  .object({
    to: z.object({ userId: z.string().min(1) }).strict().openapi({ description: "A person of the task's department whose roles handle its kind (`GET /api/departments/{code}/people`)." }),
    note: Reason.openapi({ description: 'What the delegate is asked to do: audited with the delegation.' }),
    expectedVersion: ExpectedVersion,
  })
  .strict()
  .openapi('Delegation');

const ResolutionBody = z
  .object({
    outcome: z.enum(TASK_OUTCOMES).openapi({ description: 'The outcome proposed: one the task could take now (`GET /api/cases/{caseId}/moves`).' }),
    opinion: OpinionInput.openapi({ description: 'The opinion proposed; the holder confirms it, or writes their own, when completing the task.' }),
    expectedVersion: ExpectedVersion,
  })
  .strict()
  .openapi('DelegationResolution');

const delegate = protectedRoute('task.delegate', {
  method: 'post',
  path: '/tasks/{taskId}/delegation',
  summary: 'Delegate a task you hold (委派)',
  description:
    'The task becomes claimed by the colleague (`delegation: pending`, `delegatedBy`: you), who acts on it and returns it to you for confirmation; ' +
    'meanwhile nobody completes, transfers, releases or delegates it again (409 `TB-TASK-DELEGATED`). Only who holds the task delegates it (an ' +
    'unclaimed task is claimed first: 409 `TB-DELEGATION-NOT-ALLOWED`), to an active person of its department whose roles handle its kind, not ' +
    'to yourself (else 422). A closed task or case answers 409; nothing changes. The department is told; audited as task.delegated, naming both.',
  request: { params: TaskParams, body: { required: true, ...json(DelegationBody) } },
  responses: { 200: { description: 'Delegated', ...json(CommandResult) } },
});

const resolve = protectedRoute('task.delegation.resolve', {
  method: 'post',
  path: '/tasks/{taskId}/delegation/resolution',
  summary: 'Return a delegated task for confirmation (退回确认)',
  description:
    'By the delegate, while the delegation is pending: the task goes back to whoever delegated it, claimed by them, with your proposal ' +
    '(`delegation: resolved`, `delegationProposal`), which they confirm by completing the task, as proposed or otherwise (the completion names you ' +
    'as `draftedBy`). The proposal is checked as the completion will be: a refusal or a return gives reasons (422), the case in its state must take ' +
    'the outcome (409). Not delegated, or not to you: 409. Audited as task.delegation-resolved (naming both, not the outcome).',
  request: { params: TaskParams, body: { required: true, ...json(ResolutionBody) } },
  responses: { 200: { description: 'Returned for confirmation', ...json(CommandResult) } },
});

const recall = protectedRoute('task.delegation.recall', {
  method: 'post',
  path: '/tasks/{taskId}/delegation/recall',
  summary: 'Take a delegated task back (收回)',
  description:
    'By whoever delegated it, while the delegation is pending: the task is claimed by you again and no longer delegated. Not delegated (or ' +
    'returned already), or not by you: 409, nothing changes. The department is told; audited as task.delegation-recalled.',
  request: { params: TaskParams, body: { required: false, ...json(RecallBody) } },
  responses: { 200: { description: 'Taken back', ...json(CommandResult) } },
});

export function delegationRoutes(app: OpenAPIHono<IdempotentEnv>, deps: ApiDeps): void {
  app.openapi(delegate, async (c) => {
    const { taskId: id } = c.req.valid('param');
    const { to, note, expectedVersion } = c.req.valid('json');
    const command = { type: 'task.delegate', actor: c.get('actor'), taskId: taskId(id), to: await personNamed(deps, to.userId, ['to']), note, ...(expectedVersion ? { expectedVersion } : {}) } as const;
    return c.json(await deps.engine.execute(command, commandOptions(c, 200)), 200);
  });

  app.openapi(resolve, async (c) => {
    const { taskId: id } = c.req.valid('param');
    const { outcome, opinion, expectedVersion } = c.req.valid('json');
    const command = { type: 'task.delegation.resolve', actor: c.get('actor'), taskId: taskId(id), outcome, opinion, ...(expectedVersion ? { expectedVersion } : {}) } as const;
    return c.json(await deps.engine.execute(command, commandOptions(c, 200)), 200);
  });

  app.openapi(recall, async (c) => {
    const { taskId: id } = c.req.valid('param');
    const { expectedVersion } = c.req.valid('json') ?? {};
    const command = { type: 'task.delegation.recall', actor: c.get('actor'), taskId: taskId(id), ...(expectedVersion ? { expectedVersion } : {}) } as const;
    return c.json(await deps.engine.execute(command, commandOptions(c, 200)), 200);
  });
}
