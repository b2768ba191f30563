import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { NotificationNotFoundError } from '../../engine/errors.js';
import type { ApiDeps } from '../api-deps.js';
import type { IdempotentEnv } from '../idempotency.js';
import { Page, PageQuery, Uuid } from '../schemas.js';
import { notificationView } from '../views.js';
import { protectedRoute } from './protected-route.js';
import { json } from './responses.js';

/** A template's name, e.g. `task.opened`, `warning.reached`, `special-procedure.started`. */
const TemplateName = z
  .string()
  .max(100)
  .regex(/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/, 'must be a template name such as warning.reached');

const Notification = z
  .object({
    id: z.string(),
    caseId: z.string(),
    template: TemplateName.openapi({ description: 'What happened: `task.opened`, `task.urged`, `warning.reached`, `case.overdue`, `clock.extended`…' }),
    data: z.record(z.string(), z.unknown()).openapi({
      description: "The template's facts, e.g. for `warning.reached` `{ clock, rung, colour, taskId? }`, with `for: 'lead'` when meant for the department's lead.",
    }),
    caseNumber: z.string().nullable().openapi({ description: 'Its case number (受理编号).' }),
    taskTitle: z.string().nullable().openapi({ description: 'The title of the task its data names (`data.taskId`); null when it names none.' }),
    createdAt: z.string(),
    read: z.boolean().openapi({ description: 'Whether you have read it (each person reads for themselves).' }),
    readAt: z.string().nullable().openapi({ description: 'When you first marked it read; null while unread.' }),
  })
  .openapi('Notification');

const NotificationParams = z.object({ notificationId: Uuid.openapi({ param: { name: 'notificationId', in: 'path' } }) });

const listRoute = protectedRoute('notification.read', {
  method: 'get',
  path: '/notifications',
  summary: 'My notifications: unread first, then read, newest first',
  description:
    "Notices to your department (those meant for its lead only to leads) and, for supervisors, the supervisors' notices; never the applicant's. " +
    'Read or unread is yours: a colleague reading a notice does not read it for you. Filter with `unread=true`, `template` and `caseId`. ' +
    'Unread counts per template: `GET /api/notifications/unread-counts`.',
  request: {
    query: PageQuery.extend({
      unread: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
      template: TemplateName.optional(),
      caseId: Uuid.optional(),
    }),
  },
  responses: { 200: { description: 'A page of notifications', ...json(Page(Notification, 'NotificationPage')) } },
});

const countsRoute = protectedRoute('notification.read', {
  method: 'get',
  path: '/notifications/unread-counts',
  summary: 'How many of my notifications I have not read, by template',
  description: 'The same notices as `GET /api/notifications`, counted exactly; a badge asks this rather than paging the list.',
  responses: {
    200: {
      description: 'Unread counts',
      ...json(
        z
          .object({
            unread: z.number().int().openapi({ description: 'All your unread notifications.' }),
            byTemplate: z.record(z.string(), z.number().int()).openapi({ description: 'Unread per template; templates with none are left out.' }),
          })
          .openapi('UnreadNotificationCounts'),
      ),
    },
  },
});

const readRoute = protectedRoute('notification.read', {
  method: 'post',
  path: '/notifications/{notificationId}/read',
  summary: 'Mark one of my notifications read',
  description: 'For you only. Marking it again changes nothing and answers the same (the first time it was read). A notification you may not read answers 404.',
  request: { params: NotificationParams },
  responses: { 200: { description: 'The notification, read', ...json(Notification) } },
});

const readManyRoute = protectedRoute('notification.read', {
  method: 'post',
  path: '/notifications/read',
  summary: 'Mark several of my notifications read',
  description:
    'Up to 100 ids at once, for you only. Answers those now read (newest first) and, in `notFound`, the ids that do not exist or that you may not read; nothing is written for those.',
  request: { body: { required: true, ...json(z.object({ ids: z.array(Uuid).min(1).max(100) }).strict().openapi('ReadNotifications')) } },
  responses: { 200: { description: 'The notifications, read', ...json(z.object({ items: z.array(Notification), notFound: z.array(z.string()) })) } },
});

/**
 * A reader's notifications. Marking one read writes a read receipt only: it is not a case command (see
 * `db/notification-queries.ts`), so it goes through no engine and no audit chain.
 */
export function notificationRoutes(app: OpenAPIHono<IdempotentEnv>, deps: ApiDeps): void {
  app.openapi(listRoute, async (c) => {
    const { page, pageSize, unread, template, caseId } = c.req.valid('query');
    const { items, total, totalExact } = await deps.queries.listNotifications(c.get('actor'), { unread, template, caseId, page, pageSize });
    return c.json({ items: items.map(notificationView), page, pageSize, total, totalExact }, 200);
  });

  app.openapi(countsRoute, async (c) => {
    const byTemplate = await deps.queries.countUnreadNotifications(c.get('actor'));
    return c.json({ unread: Object.values(byTemplate).reduce((a, b) => a + b, 0), byTemplate }, 200);
  });

  app.openapi(readRoute, async (c) => {
    const { notificationId } = c.req.valid('param');
    const [notice] = await deps.queries.markNotificationsRead(c.get('actor'), [notificationId], deps.clock.now());
    if (!notice) throw new NotificationNotFoundError(notificationId);
    return c.json(notificationView(notice), 200);
  });

  app.openapi(readManyRoute, async (c) => {
    const ids = [...new Set(c.req.valid('json').ids.map((id) => id.toLowerCase()))];
    const read = await deps.queries.markNotificationsRead(c.get('actor'), ids, deps.clock.now());
    const found = new Set(read.map((n) => n.id));
    return c.json({ items: read.map(notificationView), notFound: ids.filter((id) => !found.has(id)) }, 200);
  });
}
