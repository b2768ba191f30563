import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { SIGNER_POSITIONS } from '../../engine/definitions/signer-changes.js';
import { InvalidCommandError } from '../../engine/errors.js';
import { caseId, taskId } from '../../engine/ids.js';
import type { ApiDeps } from '../api-deps.js';
import { commandOptions, type IdempotentEnv } from '../idempotency.js';
import { CaseParams, CommandResult, ExpectedVersion, Reason, Uuid } from '../schemas.js';
import { protectedRoute } from './protected-route.js';
import { json } from './responses.js';

/** 加签 and 减签: a signer adds one to their countersign step; the lead of the lead department removes a pending one. */

const Name = z.string().min(1).max(100);

const AddBody = z
  .object({
    department: Name.openapi({ description: 'The department of the added signer.' }),
    person: Name.optional().openapi({ description: "A person of that department who signs (their task opens claimed by them); without it, the department's handlers." }),
    position: z.enum(SIGNER_POSITIONS).openapi({ description: '`alongside` signs at once; `after` after you (in sequential mode); `before` before you, in sequential mode only (your task reopens once they approved).' }),
    reason: Reason.openapi({ description: 'Why: audited.' }),
    expectedVersion: ExpectedVersion,
  })
  .strict()
  .openapi('SignerAddition');

const RemovalBody = z.object({ reason: Reason.openapi({ description: 'Why: audited.' }), expectedVersion: ExpectedVersion }).strict().openapi('SignerRemoval');

const RemovalParams = CaseParams.extend({
  step: Name.openapi({ param: { name: 'step', in: 'path' }, example: 'signOff' }),
  task: Name.openapi({ param: { name: 'task', in: 'path' }, example: 'signOff.urban-management.deputy-b', description: "The pending signer's task key." }),
});

const addSigner = protectedRoute('countersign.signer.add', {
  method: 'post',
  path: '/tasks/{taskId}/signers',
  summary: 'Add a signer to your countersign step (加签)',
  description:
    'On your own open signer task (claimed by you). The added signer — a department, or a person of it, who must exist — gets a task of the same step; ' +
    'a vote (票签) counts them with weight 1. `before` only in sequential mode; a step already decided, a signer twice: 409 and nothing changes.',
  request: { params: z.object({ taskId: Uuid.openapi({ param: { name: 'taskId', in: 'path' } }) }), body: { required: true, ...json(AddBody) } },
  responses: { 200: { description: 'Added', ...json(CommandResult) } },
});

const removeSigner = protectedRoute('countersign.signer.remove', {
  method: 'post',
  path: '/cases/{caseId}/countersigns/{step}/signers/{task}/removal',
  summary: 'Remove a pending signer from a countersign step (减签, the lead)',
  description:
    "The lead of the case's lead department removes a signer who has not voted: their task is cancelled and the step is tallied again at once, so it may " +
    'end (the last one pending of a 会签 whose others approved: approved). One who voted, or the last signer: 409 and nothing changes.',
  request: { params: RemovalParams, body: { required: true, ...json(RemovalBody) } },
  responses: { 200: { description: 'Removed', ...json(CommandResult) } },
});

export function signerRoutes(app: OpenAPIHono<IdempotentEnv>, deps: ApiDeps): void {
  app.openapi(addSigner, async (c) => {
    const { taskId: id } = c.req.valid('param');
    const { department, person, position, reason, expectedVersion } = c.req.valid('json');
    // The engine knows no users: who signs must be someone of the department named, or the department must exist.
    if (person !== undefined) {
      const profile = await deps.queries.findUserProfile(person);
      if (profile?.departmentCode !== department) throw new InvalidCommandError(`No active person ${person} in department ${department}.`, ['person']);
    } else if (!(await deps.queries.departmentExists(department))) {
      throw new InvalidCommandError(`There is no department ${department}.`, ['department']);
    }
    const command = { type: 'countersign.signer.add', actor: c.get('actor'), taskId: taskId(id), department, ...(person ? { person } : {}), position, reason, ...(expectedVersion ? { expectedVersion } : {}) } as const;
    return c.json(await deps.engine.execute(command, commandOptions(c, 200)), 200);
  });

  app.openapi(removeSigner, async (c) => {
    const { caseId: id, step, task } = c.req.valid('param');
    const { reason, expectedVersion } = c.req.valid('json');
    const command = { type: 'countersign.signer.remove', actor: c.get('actor'), caseId: caseId(id), step, task, reason, ...(expectedVersion ? { expectedVersion } : {}) } as const;
    return c.json(await deps.engine.execute(command, commandOptions(c, 200)), 200);
  });
}
