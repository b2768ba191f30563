import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { ROLES } from '../../engine/access/actor.js';
import { ForbiddenError } from '../../engine/errors.js';
import { taskId } from '../../engine/ids.js';
import type { ApiDeps } from '../api-deps.js';
import { namedParty } from '../named-party.js';
import { commandOptions, type IdempotentEnv } from '../idempotency.js';
import { CommandResult, ExpectedVersion, Reason, Uuid } from '../schemas.js';
import { protectedRoute } from './protected-route.js';
import { json } from './responses.js';

/** 转办: a task changes hands, and whom it may go to inside one's department. */

const TransferBody = z
  .object({
    to: z
      .union([z.object({ userId: z.string().min(1) }).strict(), z.object({ departmentCode: z.string().min(1) }).strict()])
      .openapi({ description: 'A person of the task\'s department (`userId`), or another department (`departmentCode`).' }),
    reason: Reason.openapi({ description: 'Why: audited with both sides of the transfer.' }),
    expectedVersion: ExpectedVersion,
  })
  .strict()
  .openapi('Transfer');

const transferTask = protectedRoute('task.transfer', {
  method: 'post',
  path: '/tasks/{taskId}/transfer',
  summary: 'Transfer an open task (转办)',
  description:
    'The task keeps its id, due date and clock; only who holds it changes. To a person of its department (who holds it, or the department\'s lead): ' +
    'it becomes claimed by them, and they must be an active person whose roles handle its kind (else 422). To another department (the lead of the ' +
    "case's lead department only): it lands unclaimed in that department's inbox, which takes part in the case from then on; only a review or an " +
    "unnamed countersign leaves its department. A named signer's task, a closed task or a closed case answers 409, an unknown department 422; " +
    'nothing changes. The receiving department is told; audited as task.transferred with both sides.',
  request: { params: z.object({ taskId: Uuid.openapi({ param: { name: 'taskId', in: 'path' } }) }), body: { required: true, ...json(TransferBody) } },
  responses: { 200: { description: 'Transferred', ...json(CommandResult) } },
});

const Person = z.object({ id: z.string(), name: z.string(), roles: z.array(z.enum(ROLES)) }).openapi('DepartmentPerson');

const listPeople = protectedRoute('task.read', {
  method: 'get',
  path: '/departments/{code}/people',
  summary: 'The active people of your own department',
  description: 'Whom a task may be transferred (转办) or delegated (委派) to, with their roles. Another department\'s people answer 403.',
  request: { params: z.object({ code: z.string().openapi({ param: { name: 'code', in: 'path' } }) }) },
  responses: { 200: { description: 'People', ...json(z.object({ items: z.array(Person) })) } },
});

export function transferRoutes(app: OpenAPIHono<IdempotentEnv>, deps: ApiDeps): void {
  app.openapi(transferTask, async (c) => {
    const { taskId: id } = c.req.valid('param');
    const { to, reason, expectedVersion } = c.req.valid('json');
    const command = { type: 'task.transfer', actor: c.get('actor'), taskId: taskId(id), to: await namedParty(deps, to, ['to']), reason, ...(expectedVersion ? { expectedVersion } : {}) } as const;
    return c.json(await deps.engine.execute(command, commandOptions(c, 200)), 200);
  });

  app.openapi(listPeople, async (c) => {
    const { code } = c.req.valid('param');
    if (code !== c.get('actor').departmentCode) throw new ForbiddenError("list another department's people", 'only your own department');
    const people = await deps.queries.listDepartmentPeople(code);
    return c.json({ items: people.map(({ id: personId, name, roles }) => ({ id: personId, name, roles: [...roles] })) }, 200);
  });
}
