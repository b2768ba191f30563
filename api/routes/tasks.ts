import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Actor } from '../../engine/access/actor.js';
import { taskId } from '../../engine/ids.js';
import { TaskNotFoundError } from '../../engine/errors.js';
import { workingDaysLeft } from '../../engine/time/working-days-left.js';
import { PAGE_COUNT_CAP } from '../../db/page-total.js';
import { APPLICANT_SEARCH_CAP, type InboxRow } from '../../db/task-queries.js';
import type { ApiDeps } from '../api-deps.js';
import { commandOptions, type IdempotentEnv } from '../idempotency.js';
import { InboxCounts, InboxQuery, InboxTask } from '../inbox-schemas.js';
import { ClaimTaskBody, CommandResult, CompleteTaskBody, ExpectedVersion, Page, Uuid } from '../schemas.js';
import { inboxTaskView } from '../views.js';
import { protectedRoute } from './protected-route.js';
import { json } from './responses.js';

const TaskParams = z.object({ taskId: Uuid.openapi({ param: { name: 'taskId', in: 'path' } }) });

const listTasks = protectedRoute('task.read', {
  method: 'get',
  path: '/tasks',
  summary: 'My inbox: a view of my department\'s tasks',
  description:
    'Views (`view`): to do, claimed by me, delegated to me, held by those I stand in for, done by me, done by my department. Open tasks by due time, most urgent first ' +
    '(`sort=dueAt`), or by the time they were received (`sort=openedAt`); done tasks by completion time, latest first (`sort=completedAt`). Either direction ' +
    '(`direction`), ties by id. Filtered, in every view, by service item, colour, due time (`dueBy`), case number, the start of the applicant\'s name and a ' +
    'licence number: a search by either of those two is written to the security log. Each row has its case number, service item, applicant (as you may ' +
    'see them), and while open the working days left on its clock and whether its due date is provisional. Only your department. A bad filter answers 400; ' +
    `a name's start that more than ${APPLICANT_SEARCH_CAP.toLocaleString('en')} applicants share answers 422 (TB-COMMAND-INVALID): give more of the name.`,
  request: { query: InboxQuery },
  responses: { 200: { description: 'A page of tasks', ...json(Page(InboxTask, 'TaskPage')) } },
});

const countTasks = protectedRoute('task.read', {
  method: 'get',
  path: '/tasks/counts',
  summary: 'How many tasks each view of my inbox holds, and my unread copies',
  description:
    'The badges of the inbox in one call: to do, claimed by me, delegated to me, held by those I stand in for, and copies to me or my department ' +
    `not yet read (抄送). Each is counted up to ${PAGE_COUNT_CAP.toLocaleString('en')} (then \`totalExact\` is false), as a list's total is.`,
  responses: { 200: { description: 'The counts', ...json(InboxCounts) } },
});

const getTask = protectedRoute('task.read', {
  method: 'get',
  path: '/tasks/{taskId}',
  summary: 'One task of my department, as its inbox row',
  request: { params: TaskParams },
  responses: { 200: { description: 'The task', ...json(InboxTask) } },
});

const claimTask = protectedRoute('task.claim', {
  method: 'post',
  path: '/tasks/{taskId}/claim',
  summary: 'Claim a task (签收)',
  description: 'Takes the task for yourself; others of your department can no longer complete it. Claiming your own claim again changes nothing.',
  request: { params: TaskParams, body: { required: false, ...json(ClaimTaskBody) } },
  responses: { 200: { description: 'Claimed', ...json(CommandResult) } },
});

const ReleaseTaskBody = z.object({ expectedVersion: ExpectedVersion }).strict().openapi('ReleaseTask');

const releaseTask = protectedRoute('task.release', {
  method: 'post',
  path: '/tasks/{taskId}/release',
  summary: 'Release a claim (释放)',
  description:
    "Gives a claimed task back to your department's inbox. You release your own claim; your department's lead releases " +
    "anyone's (the holder is away). Audited as task.released, naming whose claim it was. Releasing a task nobody holds changes nothing.",
  request: { params: TaskParams, body: { required: false, ...json(ReleaseTaskBody) } },
  responses: { 200: { description: 'Released', ...json(CommandResult) } },
});

const completeTask = protectedRoute('task.complete', {
  method: 'post',
  path: '/tasks/{taskId}/complete',
  summary: 'Complete a task with an outcome and an opinion',
  description:
    'approve, reject (with reasons) or return (with reasons; `returnTo` chooses among the targets the definition allows, ' +
    '`GET /api/tasks/{taskId}/return-targets`, the default when not given; a target not allowed answers 409; a return to the applicant names every ' +
    'material to supplement in `supplementRequest`, 一次性告知). The case moves on in the same transaction.',
  request: { params: TaskParams, body: { required: true, ...json(CompleteTaskBody) } },
  responses: { 200: { description: 'Completed', ...json(CommandResult) } },
});

export function taskRoutes(app: OpenAPIHono<IdempotentEnv>, deps: ApiDeps): void {
  /** An inbox row as `actor` reads it, an open task's clock read now (legal time is the engine's) on its calendar. */
  const rowView = async (actor: Actor, row: InboxRow, now: Date) =>
    inboxTaskView(actor, row, row.clock && workingDaysLeft(row.clock, await deps.queries.workingCalendar(row.calendarCode), now));

  app.openapi(listTasks, async (c) => {
    const { page, pageSize, dueBy, ...filter } = c.req.valid('query');
    const query = { ...filter, ...(dueBy === undefined ? {} : { dueBy: new Date(dueBy) }), page, pageSize };
    const now = deps.engine.now();
    const { items, total, totalExact } = await deps.queries.listInboxTasks(c.get('actor'), query, now);
    return c.json({ items: await Promise.all(items.map((row) => rowView(c.get('actor'), row, now))), page, pageSize, total, totalExact }, 200);
  });

  app.openapi(countTasks, async (c) => c.json(await deps.queries.countInbox(c.get('actor'), deps.engine.now()), 200));

  app.openapi(getTask, async (c) => {
    const { taskId: id } = c.req.valid('param');
    const task = await deps.queries.findDepartmentTask(c.get('actor').departmentCode, id);
    if (!task) throw new TaskNotFoundError(id);
    return c.json(await rowView(c.get('actor'), task, deps.engine.now()), 200);
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

  app.openapi(releaseTask, async (c) => {
    const { taskId: id } = c.req.valid('param');
    const body = c.req.valid('json') ?? {};
    const result = await deps.engine.execute({
      type: 'task.release',
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
      ...(body.returnTo ? { returnTo: body.returnTo } : {}),
      ...(body.supplementRequest ? { supplementRequest: body.supplementRequest } : {}),
      ...(body.expectedVersion ? { expectedVersion: body.expectedVersion } : {}),
    }, commandOptions(c, 200));
    return c.json(result, 200);
  });
}
