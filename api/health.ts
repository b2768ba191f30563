import type { OpenAPIHono } from '@hono/zod-openapi';
import { whatIsWrong, type Readiness } from '../platform/readiness.js';
import { problem, problemType, type Problem } from './problem.js';

/**
 * Probes for the orchestrator, public (they hold no case data):
 * - `GET /healthz`, liveness: the process runs and answers HTTP. It checks nothing else, so that a
 *   database outage does not get every API process restarted;
 * - `GET /readyz`, readiness: what `readiness` reports (the process composes it: PostgreSQL answers with
 *   every migration applied, deliveries keep up, and where this process has Redis, Redis answers and the
 *   reconciler ran lately), with every check in `checks`. 200 `{ ready: true, status: 'ready' }` when all
 *   hold; 200 `{ ready: true, status: 'degraded', detail }` naming what is wrong when only deliveries are hurt
 *   (Redis, the reconciler, the outbox): commands still commit, so the process stays in rotation; 503
 *   problem+json naming what is wrong when commands cannot run (PostgreSQL, migrations).
 */
export function healthRoutes(app: OpenAPIHono, readiness: () => Promise<Readiness>): void {
  app.get('/healthz', (c) => c.json({ ok: true }));
  app.get('/readyz', async (c) => {
    const report = await readiness();
    if (report.status === 'ready') return c.json({ ready: true, status: report.status, checks: report.checks });
    if (report.status === 'degraded') return c.json({ ready: true, status: report.status, detail: `Degraded: ${whatIsWrong(report)}.`, checks: report.checks });
    const notReady: Problem & Pick<Readiness, 'checks'> = {
      type: problemType('not-ready'),
      title: 'Service unavailable',
      status: 503,
      code: 'TB-NOT-READY',
      detail: `Not ready: ${whatIsWrong(report)}.`,
      checks: report.checks,
    };
    return problem(c, notReady);
  });
}
