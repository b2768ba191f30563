import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { ApiDeps } from '../api-deps.js';
import type { IdempotentEnv } from '../idempotency.js';
import { QUEUES_UNAVAILABLE, refusal } from '../pages/queue-dashboard.js';
import { issuePass, PASS_LIFETIME_SECONDS, QUEUE_DASHBOARD_PATH } from '../queue-dashboard-pass.js';
import { Problem } from '../schemas.js';
import { protectedRoute } from './protected-route.js';
import { json } from './responses.js';

const openRoute = protectedRoute('queue-dashboard.open', {
  method: 'post',
  path: '/queue-dashboard/sessions',
  summary: 'Open the queue dashboard (bull-board): a pass for its page, as a cookie',
  description:
    `The dashboard at \`${QUEUE_DASHBOARD_PATH}\` makes its own requests, without the bearer token: this sets a signed cookie ` +
    `for that path only (HttpOnly, SameSite=Strict, ${PASS_LIFETIME_SECONDS / 60} minutes), which every request there must carry; ` +
    "the person's roles are read again on each. Each call sets a new pass (a retried request too). 503 without Redis.",
  // Never the kept answer: a replay without its cookie would admit nobody.
  'x-idempotent-replay': 'rerun',
  responses: {
    201: { description: 'The pass is set', ...json(z.object({ url: z.string(), expiresAt: z.string() }).openapi('QueueDashboardSession')) },
    503: { description: 'This process has no Redis, or Redis did not answer', content: { 'application/problem+json': { schema: Problem } } },
  },
});

export function queueDashboardSessionRoutes(app: OpenAPIHono<IdempotentEnv>, deps: ApiDeps): void {
  app.openapi(openRoute, async (c) => {
    const unavailable = (detail: string) => c.json(refusal(503, detail), 503, { 'Content-Type': 'application/problem+json' });
    const source = deps.queueDashboard;
    if (!source) return unavailable(QUEUES_UNAVAILABLE.noRedis);
    let expiresAt: Date;
    try {
      ({ expiresAt } = await issuePass(c, source, c.get('actor').userId, deps.clock.now()));
    } catch {
      return unavailable(QUEUES_UNAVAILABLE.redisSilent);
    }
    return c.json({ url: QUEUE_DASHBOARD_PATH, expiresAt: expiresAt.toISOString() }, 201);
  });
}
