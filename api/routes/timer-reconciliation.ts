import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { ApiDeps } from '../api-deps.js';
import type { IdempotentEnv } from '../idempotency.js';
import { refusal } from '../pages/queue-dashboard.js';
import { Problem } from '../schemas.js';
import { protectedRoute } from './protected-route.js';
import { json } from './responses.js';

const reconcileRoute = protectedRoute('timer.reconcile', {
  method: 'post',
  path: '/timers/reconciliation',
  summary: "Reconcile now: put the timers due soon and the overdue ones into Redis from PostgreSQL, without waiting for the reconciler's next tick",
  description:
    'Every pending timer due within the scheduling horizon is enqueued (a job already there is left as it is), and every pending timer overdue ' +
    'past the grace period is delivered again, as the workers’ reconciler does every 30 s. Harmless to repeat: each run enqueues a timer ' +
    'once. 503 when this API process has no Redis (`REDIS_URL`) or Redis does not answer.',
  // Each call is a new run: the state of Redis is what it acts on, not a kept answer.
  'x-idempotent-replay': 'rerun',
  responses: {
    200: { description: 'What the run did', ...json(z.object({ scheduled: z.number().int(), overdue: z.number().int() }).openapi('TimersReconciled')) },
    503: { description: 'This process has no Redis, or Redis did not answer', content: { 'application/problem+json': { schema: Problem } } },
  },
});

export function timerReconciliationRoutes(app: OpenAPIHono<IdempotentEnv>, deps: ApiDeps): void {
  app.openapi(reconcileRoute, async (c) => {
    const unavailable = (detail: string) => c.json(refusal(503, detail), 503, { 'Content-Type': 'application/problem+json' });
    if (!deps.reconcileTimers) return unavailable('This API process runs without Redis (REDIS_URL): it has no queues to reconcile.');
    try {
      return c.json(await deps.reconcileTimers(), 200);
    } catch (error) {
      deps.log({ level: 'warn', msg: 'timers.reconciliation-failed', error: String(error) });
      return unavailable('Redis did not answer: the timers cannot be reconciled now.');
    }
  });
}
