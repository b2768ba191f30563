import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { caseId, taskId } from '../../engine/ids.js';
import type { ApiDeps } from '../api-deps.js';
import { commandOptions, type IdempotentEnv } from '../idempotency.js';
import { CaseParams, CommandResult, ExpectedVersion, Reason, Uuid } from '../schemas.js';
import { protectedRoute } from './protected-route.js';
import { json } from './responses.js';

/** 撤回 and 撤件: a handler takes back a completion; the applicant, through the window, withdraws the whole case. */

const WithdrawalBody = z
  .object({ reason: Reason.openapi({ description: 'Why: audited, and for a case told to the applicant.' }), expectedVersion: ExpectedVersion })
  .strict()
  .openapi('Withdrawal');

const withdrawTask = protectedRoute('task.withdraw', {
  method: 'post',
  path: '/tasks/{taskId}/withdrawal',
  summary: 'Take back your completion of a task (撤回)',
  description:
    'Only who completed the task, while the step after it has not been acted on (every task the completion opened still open and unclaimed) ' +
    'and where the definition takes the completion back; otherwise 409 and nothing changes. The tasks the completion opened are cancelled, the task ' +
    'is `withdrawn` and reopens as a new task on its own clock. In a joint review the member reviews again and the other members\' outcomes stand.',
  request: { params: z.object({ taskId: Uuid.openapi({ param: { name: 'taskId', in: 'path' } }) }), body: { required: true, ...json(WithdrawalBody) } },
  responses: { 200: { description: 'Withdrawn', ...json(CommandResult) } },
});

const withdrawCase = protectedRoute('case.withdraw', {
  method: 'post',
  path: '/cases/{caseId}/withdrawal',
  summary: 'Withdraw the application (撤件)',
  description:
    'The applicant withdraws, through the window that took the application in. The case closes as `withdrawn`: open tasks cancelled, clocks ' +
    'stopped, the applicant told. A closed case answers 409.',
  request: { params: CaseParams, body: { required: true, ...json(WithdrawalBody) } },
  responses: { 200: { description: 'Withdrawn', ...json(CommandResult) } },
});

export function withdrawalRoutes(app: OpenAPIHono<IdempotentEnv>, deps: ApiDeps): void {
  app.openapi(withdrawTask, async (c) => {
    const { taskId: id } = c.req.valid('param');
    const { reason, expectedVersion } = c.req.valid('json');
    const command = { type: 'task.withdraw', actor: c.get('actor'), taskId: taskId(id), reason, ...(expectedVersion ? { expectedVersion } : {}) } as const;
    return c.json(await deps.engine.execute(command, commandOptions(c, 200)), 200);
  });

  app.openapi(withdrawCase, async (c) => {
    const { caseId: id } = c.req.valid('param');
    const { reason, expectedVersion } = c.req.valid('json');
    const command = { type: 'case.withdraw', actor: c.get('actor'), caseId: caseId(id), reason, ...(expectedVersion ? { expectedVersion } : {}) } as const;
    return c.json(await deps.engine.execute(command, commandOptions(c, 200)), 200);
  });
}
