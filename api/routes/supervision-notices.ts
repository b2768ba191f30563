import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { NoticeNotFoundError } from '../../engine/errors.js';
import { caseId, taskId } from '../../engine/ids.js';
import { NOTICE_STATUSES } from '../../engine/supervision-notice.js';
import { WORKING_DAYS_LIMITS } from '../../engine/time/deadline.js';
import type { ApiDeps } from '../api-deps.js';
import { commandOptions, type IdempotentEnv } from '../idempotency.js';
import { CaseParams, CommandResult, Page, PageQuery, Uuid } from '../schemas.js';
import { noticeView } from '../views.js';
import { protectedRoute } from './protected-route.js';
import { json } from './responses.js';

/**
 * Supervision notices (督办): a supervisor issues one on a case or one of its open tasks, the department holding
 * it answers within its response limit (working days, its own clock and ladder), a supervisor closes it (settled
 * once answered, or withdrawn). The
 * engine decides (`engine/operations/*-supervision-notice.ts`); these routes validate and render.
 */

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

const NoticeParams = z.object({ noticeId: Uuid.openapi({ param: { name: 'noticeId', in: 'path' } }) });

const IssueNoticeBody = z
  .object({
    message: text(2000).openapi({ description: 'What the supervisor asks the department to explain or do.' }),
    responseWorkingDays: z
      .number()
      .int()
      .min(WORKING_DAYS_LIMITS.min)
      .max(WORKING_DAYS_LIMITS.max)
      .openapi({ description: "The response limit in working days on the case's calendar; case pauses (补正, special procedures) do not stop it." }),
    taskId: Uuid.optional().openapi({ description: "An open task of the case: its department must answer. Without one, the case's lead department." }),
  })
  .strict()
  .openapi('IssueSupervisionNotice');

const RespondBody = z.object({ response: text(4000).openapi({ description: "The department's answer to the supervisor." }) }).strict().openapi('SupervisionNoticeResponse');

const CloseBody = z.object({}).strict().openapi('CloseSupervisionNotice');

const Issued = CommandResult.extend({ noticeId: z.string().openapi({ description: 'The notice issued.' }) }).openapi('SupervisionNoticeIssued');

const SupervisionNotice = z
  .object({
    id: z.string(),
    caseId: z.string(),
    caseNumber: z.string().openapi({ description: "The case's number (受理编号)." }),
    serviceItemCode: z.string(),
    taskId: z.string().nullable(),
    department: z.string().openapi({ description: 'The department that must answer.' }),
    message: z.string(),
    issuedBy: z.string(),
    issuedAt: z.string(),
    responseWorkingDays: z.number().int(),
    dueAt: z.string().openapi({ description: 'When the answer is due: the end of the last working day of the response limit.' }),
    status: z.enum(NOTICE_STATUSES),
    overdue: z.boolean().openapi({ description: 'Open and past its due.' }),
    colour: z.enum(['green', 'yellow', 'red']).nullable().openapi({ description: 'While open: red when overdue, yellow from the start of its last working day (its clock’s rung), else green. Null once answered or closed.' }),
    response: z.string().nullable(),
    respondedBy: z.string().nullable(),
    respondedAt: z.string().nullable(),
    closedBy: z.string().nullable(),
    closedAt: z.string().nullable(),
  })
  .openapi('SupervisionNotice');

const issueRoute = protectedRoute('supervision-notice.issue', {
  method: 'post',
  path: '/cases/{caseId}/supervision-notices',
  summary: '督办: issue a supervision notice on a case or one of its open tasks',
  description:
    "Supervisors, on any running case. The department holding it (the task's, else the case's lead department) is told and must answer within `responseWorkingDays`: " +
    'the notice runs its own clock (`notice:<id>`) and ladder — yellow one working day before the due (the department told), red at the due (the department, its lead and the supervisors told). ' +
    "Audited (`supervision-notice.issued`); the case's version stays. A closed case: 409 `TB-CASE-CLOSED`; a task not of the case: 404 `TB-TASK-404`, one no longer open: 409 `TB-TASK-STATE`.",
  request: { params: CaseParams, body: { required: true, ...json(IssueNoticeBody) } },
  responses: { 201: { description: 'Issued', ...json(Issued) } },
});

const respondRoute = protectedRoute('supervision-notice.respond', {
  method: 'post',
  path: '/supervision-notices/{noticeId}/responses',
  summary: 'Answer a supervision notice your department holds',
  description:
    'The notice is answered: its clock stops, the supervisors are told (`supervision-notice.answered`, saying whether it came late) and the answer is audited. ' +
    'Only the department holding it (any other: 404 `TB-NOTICE-404`); answered or closed already: 409 `TB-NOTICE-STATE`, nothing changed.',
  request: { params: NoticeParams, body: { required: true, ...json(RespondBody) } },
  responses: { 200: { description: 'Answered', ...json(CommandResult) } },
});

const closeRoute = protectedRoute('supervision-notice.close', {
  method: 'post',
  path: '/supervision-notices/{noticeId}/close',
  summary: 'Close a supervision notice: settled once answered, or withdrawn before',
  description:
    'Supervisors. An answered notice is settled (its answer kept); an open one is withdrawn: its clock stops. The department holding it is told (`supervision-notice.closed`, `answered` saying whether it had answered), audited. Closed already: 409 `TB-NOTICE-STATE`.',
  request: { params: NoticeParams, body: { required: false, ...json(CloseBody) } },
  responses: { 200: { description: 'Closed', ...json(CommandResult) } },
});

const listRoute = protectedRoute('supervision-notice.read', {
  method: 'get',
  path: '/supervision-notices',
  summary: 'Supervision notices by due time, most urgent first',
  description:
    'Supervisors read every notice (filter by the holding `department`); a department reads those it holds. `status` filters open, answered or closed; ' +
    '`overdue=true` keeps the open ones past their due (red). Paged with a capped total, like the inbox.',
  request: {
    query: PageQuery.extend({
      status: z.enum(NOTICE_STATUSES).optional(),
      overdue: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
      department: z.string().min(1).max(100).optional(),
    }),
  },
  responses: { 200: { description: 'A page of notices', ...json(Page(SupervisionNotice, 'SupervisionNoticePage')) } },
});

const getRoute = protectedRoute('supervision-notice.read', {
  method: 'get',
  path: '/supervision-notices/{noticeId}',
  summary: 'One supervision notice',
  description: 'Supervisors, or the department holding it (any other: 404 `TB-NOTICE-404`).',
  request: { params: NoticeParams },
  responses: { 200: { description: 'The notice', ...json(SupervisionNotice) } },
});

export function supervisionNoticeRoutes(app: OpenAPIHono<IdempotentEnv>, deps: ApiDeps): void {
  app.openapi(issueRoute, async (c) => {
    const { caseId: id } = c.req.valid('param');
    const body = c.req.valid('json');
    const result = await deps.engine.execute(
      {
        type: 'supervision-notice.issue',
        actor: c.get('actor'),
        caseId: caseId(id),
        message: body.message,
        responseWorkingDays: body.responseWorkingDays,
        ...(body.taskId === undefined ? {} : { taskId: taskId(body.taskId) }),
      },
      commandOptions(c, 201),
    );
    return c.json({ ...result, noticeId: result.noticeId ?? '' }, 201);
  });

  app.openapi(respondRoute, async (c) => {
    const { noticeId } = c.req.valid('param');
    const result = await deps.engine.execute({ type: 'supervision-notice.respond', actor: c.get('actor'), noticeId, response: c.req.valid('json').response }, commandOptions(c, 200));
    return c.json(result, 200);
  });

  app.openapi(closeRoute, async (c) => {
    const { noticeId } = c.req.valid('param');
    const result = await deps.engine.execute({ type: 'supervision-notice.close', actor: c.get('actor'), noticeId }, commandOptions(c, 200));
    return c.json(result, 200);
  });

  app.openapi(listRoute, async (c) => {
    const { page, pageSize, status, overdue, department } = c.req.valid('query');
    const now = deps.engine.now(); // legal time is the engine's
    const { items, total, totalExact } = await deps.queries.listSupervisionNotices(c.get('actor'), { status, overdue, department, page, pageSize }, now);
    return c.json({ items: items.map((n) => noticeView(n, now)), page, pageSize, total, totalExact }, 200);
  });

  app.openapi(getRoute, async (c) => {
    const { noticeId } = c.req.valid('param');
    const notice = await deps.queries.findSupervisionNotice(c.get('actor'), noticeId);
    if (!notice) throw new NoticeNotFoundError(noticeId);
    return c.json(noticeView(notice, deps.engine.now()), 200);
  });
}
