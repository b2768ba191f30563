import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { taskId } from '../../engine/ids.js';
import { TaskNotFoundError } from '../../engine/errors.js';
import { findDepartmentTask, listDepartmentTasks } from '../../db/task-queries.js';
import type { ApiDeps } from '../api-deps.js';
import { commandOptions, type IdempotentEnv } from '../idempotency.js';
import { ClaimTaskBody, CommandResult, CompleteTaskBody, Page, PageQuery, Task, Uuid } from '../schemas.js';
import { taskView } from '../views.js';
import { requires } from '../permission.js';
import { bearer, json, problemResponses } from './responses.js';

const TaskParams = z.object({ taskId: Uuid.openapi({ param: { name: 'taskId', in: 'path' } }) });

const listTasks = createRoute({
  middleware: [requires('task.read')] as const,
  'x-permission': 'task.read',
  method: 'get',
  path: '/tasks',
  summary: "My department's tasks (inbox)",
  description: 'Open tasks sorted by due time, most urgent first; or done tasks, latest first. Only your department.',
  security: bearer,
  request: { query: PageQuery.extend({ status: z.enum(['open', 'done']).default('open') }) },
  responses: { 200: { description: 'A page of tasks', ...json(Page(Task, 'TaskPage')) }, ...problemResponses },
});

const getTask = createRoute({
  middleware: [requires('task.read')] as const,
  'x-permission': 'task.read',
  method: 'get',
  path: '/tasks/{taskId}',
  summary: 'One task of my department',
  security: bearer,
  request: { params: TaskParams },
  responses: { 200: { description: 'The task', ...json(Task) }, ...problemResponses },
});

const claimTask = createRoute({
  middleware: [requires('task.claim')] as const,
  'x-permission': 'task.claim',
  method: 'post',
  path: '/tasks/{taskId}/claim',
  summary: 'Claim a task (签收)',
  description: 'Takes the task for yourself; others of your department can no longer complete it. Claiming your own claim again changes nothing.',
  security: bearer,
  request: { params: TaskParams, body: { required: false, ...json(ClaimTaskBody) } },
  responses: { 200: { description: 'Claimed', ...json(CommandResult) }, ...problemResponses },
});

const completeTask = createRoute({
  middleware: [requires('task.complete')] as const,
  'x-permission': 'task.complete',
  method: 'post',
  path: '/tasks/{taskId}/complete',
  summary: 'Complete a task with an outcome and an opinion',
  description: 'approve, reject (with reasons) or return for correction. The case moves on in the same transaction.',
  security: bearer,
  request: { params: TaskParams, body: { required: true, ...json(CompleteTaskBody) } },
  responses: { 200: { description: 'Completed', ...json(CommandResult) }, ...problemResponses },
});

export function taskRoutes(app: OpenAPIHono<IdempotentEnv>, deps: ApiDeps): void {
  app.openapi(listTasks, async (c) => {
    const { status, page, pageSize } = c.req.valid('query');
    const result = await listDepartmentTasks(deps.sql, c.get('actor').departmentCode, { status, page, pageSize });
    return c.json({ items: result.items.map(taskView), page, pageSize, total: result.total }, 200);
  });

  app.openapi(getTask, async (c) => {
    const { taskId: id } = c.req.valid('param');
    const task = await findDepartmentTask(deps.sql, c.get('actor').departmentCode, id);
    if (!task) throw new TaskNotFoundError(id);
    return c.json(taskView(task), 200);
  });

  app.openapi(claimTask, async (c) => {
    const { taskId: id } = c.req.valid('param');
    const body = c.req.valid('json') ?? {};
    const result = await deps.engine.execute({
      type: 'task.claim',
      actor: c.get('actor'),
      taskId: taskId(id),
      ...(body.expectedVersion ? { expectedVersion: body.expectedVersion } : {}),
    }, commandOptions(c, 200));
    return c.json(result, 200);
  });

  app.openapi(completeTask, async (c) => {
    const { taskId: id } = c.req.valid('param');
    const body = c.req.valid('json');
    const result = await deps.engine.execute({
      type: 'task.complete',
      actor: c.get('actor'),
      taskId: taskId(id),
      outcome: body.outcome,
      opinion: body.opinion,
      ...(body.expectedVersion ? { expectedVersion: body.expectedVersion } : {}),
    }, commandOptions(c, 200));
    return c.json(result, 200);
  });
}
