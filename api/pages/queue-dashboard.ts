import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import { can, PERMISSIONS } from '../../engine/access/permission-matrix.js';
import type { ApiDeps, QueueDashboardSource } from '../api-deps.js';
import { problem, problemType, type Problem } from '../problem.js';
import { QUEUE_DASHBOARD_PATH, readPass, type PassCheck } from '../queue-dashboard-pass.js';

/** Why there is no dashboard now (503): the dashboard's answers, and its sign-in route's. */
export const QUEUES_UNAVAILABLE = {
  noRedis: 'This API process runs without Redis (REDIS_URL): it has no queues to show.',
  redisSilent: 'Redis did not answer: the queues cannot be shown now.',
} as const;

/**
 * The queue dashboard (bull-board) at `/admin/queues`, for administrators: every request there, its page,
 * scripts and API alike, must carry a pass (`queue-dashboard-pass.ts`) naming a person whose roles, read from
 * the database on each request as for a bearer token, allow `queue-dashboard.open`. Read-only: the truth is in
 * PostgreSQL, so a failed timer is retried through its incident (audited), never by moving jobs in Redis.
 * Without Redis it answers 503. Registered before the workspace's catch-all, which leaves this path alone.
 */
export function queueDashboardRoutes(app: OpenAPIHono, deps: ApiDeps): void {
  const source = deps.queueDashboard;
  const board = new Hono();
  board.use('*', async (c, next) => {
    if (!source) return refuse(c, 503, QUEUES_UNAVAILABLE.noRedis);
    let pass: PassCheck;
    try {
      pass = await readPass(c, source, deps.clock.now());
    } catch {
      return refuse(c, 503, QUEUES_UNAVAILABLE.redisSilent);
    }
    if ('refused' in pass) return refuse(c, 401, pass.refused);
    const actor = await deps.queries.userActor(pass.userId);
    if (!actor) return refuse(c, 401, 'The pass names no active person.');
    if (!can(actor, 'queue-dashboard.open')) return refuse(c, 403, `The queue dashboard needs one of the roles ${PERMISSIONS['queue-dashboard.open'].join(', ')}.`);
    await next();
  });
  if (source) board.route('/', bullBoard(source));
  // The board's page is the path itself; with a slash it would be no route at all (Hono routes strictly).
  app.get(`${QUEUE_DASHBOARD_PATH}/`, (c) => c.redirect(QUEUE_DASHBOARD_PATH));
  app.route(QUEUE_DASHBOARD_PATH, board);
}

function bullBoard(source: QueueDashboardSource): Hono {
  const adapter = new HonoAdapter(serveStatic).setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: source.queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: true })),
    // @bull-board/hono 9.10.1 pins its own copy of @bull-board/api 9.10.1 (ours is 9.10.2): the same adapter
    // interface, declared twice, which TypeScript tells apart by their private members.
    serverAdapter: adapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
    options: { uiConfig: { boardTitle: '通办 Tongban', hideDocsLink: true, miscLinks: [{ text: '系统管理 Administration', url: '/admin' }] } },
  });
  return adapter.registerPlugin();
}

const REFUSALS = {
  401: { code: 'TB-UNAUTHENTICATED', type: 'unauthenticated', title: 'Authentication required', zh: '请从工作台的“系统管理”页打开队列看板。' },
  403: { code: 'TB-PERMISSION', type: 'TB-PERMISSION', title: 'Forbidden', zh: '只有管理员可以查看队列看板。' },
  503: { code: 'TB-QUEUES-UNAVAILABLE', type: 'queues-unavailable', title: 'Service unavailable', zh: '队列暂时无法显示。' },
} as const satisfies Record<number, { code: Problem['code']; type: string; title: string; zh: string }>;

/** The problem the dashboard (and its sign-in route) answers when it admits nobody. */
export function refusal(status: keyof typeof REFUSALS, detail: string): Omit<Problem, 'errors'> {
  const { code, type, title } = REFUSALS[status];
  return { type: problemType(type), title, status, code, detail };
}

/** A problem for the dashboard's own API calls; a short page for a person who navigated here. */
function refuse(c: Context, status: keyof typeof REFUSALS, detail: string): Response | Promise<Response> {
  if (!c.req.header('accept')?.includes('text/html')) return problem(c, refusal(status, detail));
  const { zh } = REFUSALS[status];
  return c.html(
    html`<!doctype html>
      <html lang="zh-CN">
        <meta charset="utf-8" />
        <title>队列看板 · Queue dashboard</title>
        <main>
          <h1>队列看板 · Queue dashboard</h1>
          <p>${zh}</p>
          <p lang="en">${detail}</p>
          <p><a href="/admin">系统管理 · Administration</a></p>
        </main>
      </html>`,
    status,
  );
}
