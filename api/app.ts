import { OpenAPIHono } from '@hono/zod-openapi';
import type { ApiDeps } from './api-deps.js';
import { authenticate } from './auth.js';
import type { Context } from 'hono';
import { limitBody } from './body-limit.js';
import { requestLog } from './request-log.js';
import { requestTrace } from './request-trace.js';
import { idempotencyKey, type IdempotentEnv } from './idempotency.js';
import { docsRoutes } from './pages/docs-page.js';
import { healthRoutes } from './health.js';
import { metricsRoutes, observeRequests } from './metrics-route.js';
import { licenceRoutes, licenceVerificationRoutes } from './routes/licences.js';
import { handleError, problem, problemType } from './problem.js';
import { queueDashboardRoutes } from './pages/queue-dashboard.js';
import { workspaceRoutes } from './pages/workspace.js';
import { apiKeyRoutes } from './routes/api-keys.js';
import { auditRoutes } from './routes/audit.js';
import { calendarRoutes } from './routes/calendars.js';
import { caseDiagramRoutes } from './routes/case-diagram.js';
import { definitionDiagramRoutes } from './routes/definition-diagram.js';
import { definitionMigrationRoutes } from './routes/definition-migrations.js';
import { caseMoveRoutes } from './routes/case-moves.js';
import { jointReviewRoutes } from './routes/joint-reviews.js';
import { withdrawalRoutes } from './routes/withdrawals.js';
import { signerRoutes } from './routes/signers.js';
import { transferRoutes } from './routes/transfers.js';
import { copyRoutes } from './routes/copies.js';
import { commentRoutes } from './routes/comments.js';
import { supplementRequestRoutes } from './routes/supplement-requests.js';
import { substitutionRoutes } from './routes/substitutions.js';
import { delegationRoutes } from './routes/delegations.js';
import { caseStatusRoutes } from './routes/case-status.js';
import { caseRoutes } from './routes/cases.js';
import { limitUpload, MATERIAL_UPLOAD_PATH, materialRoutes } from './routes/materials.js';
import { clockRoutes } from './routes/clocks.js';
import { departmentRoutes } from './routes/departments.js';
import { signInRoutes } from './routes/sign-in.js';
import { exportRoutes } from './routes/export.js';
import { incidentRoutes } from './routes/incidents.js';
import { meRoutes } from './routes/me.js';
import { notificationRoutes } from './routes/notifications.js';
import { personalDataRoutes } from './routes/personal-data.js';
import { queueDashboardSessionRoutes } from './routes/queue-dashboard-sessions.js';
import { timerReconciliationRoutes } from './routes/timer-reconciliation.js';
import { securityLogRoutes } from './routes/security-log.js';
import { supervisionNoticeRoutes } from './routes/supervision-notices.js';
import { supervisionRoutes } from './routes/supervision.js';
import { supervisionTrendRoutes } from './routes/supervision-trend.js';
import { catalogRoutes } from './routes/catalog.js';
import { catalogDefinitionRoutes } from './routes/catalog-definitions.js';
import { catalogItemRoutes } from './routes/catalog-items.js';
import { taskRoutes } from './routes/tasks.js';
import { urgeRoutes } from './routes/urge.js';
import { progressRoutes } from './routes/progress.js';
import { fixTaskRoutes } from './routes/fix-tasks.js';
import { queryCodeRoutes } from './routes/query-codes.js';
import { webhookRoutes } from './routes/webhooks.js';
import { validationHook } from './validation-hook.js';

/**
 * The HTTP API: `/api/*` routes (JSON, zod-validated, bearer-authenticated), the OpenAPI 3.1 document at
 * `/api/openapi.json` and interactive docs at `/api/docs` (public: they hold no case data), and the workspace
 * (web/) at every other path.
 *
 * @example
 * const app = createApp(deps);
 * const res = await app.request('/api/tasks', { headers: { authorization: `Bearer ${token}` } });
 */
export function createApp(deps: ApiDeps): OpenAPIHono {
  const app = new OpenAPIHono();
  app.use('*', requestLog(deps.logger));
  app.use('*', requestTrace());
  app.onError((error, c) => handleError(error, c, deps.log));
  app.notFound((c) => problem(c, { type: problemType('http-404'), title: 'Not found', status: 404, code: 'TB-HTTP-404', detail: `No route ${c.req.method} ${c.req.path}.` }));

  observeRequests(app, deps.metrics.metrics);
  healthRoutes(app, deps.readiness);
  metricsRoutes(app, deps.metrics);
  docsRoutes(app);
  signInRoutes(app, deps);

  // What anyone may ask without signing in (an applicant's progress, a licence's verification): routed before
  // `api`, so that its authentication never runs for them. Its POSTs live under /api/public/, their bodies limited
  // here; each route limits its own rate.
  const publicApi = new OpenAPIHono({ defaultHook: validationHook });
  publicApi.use('/public/*', limitBody());
  progressRoutes(publicApi, deps);
  licenceVerificationRoutes(publicApi, deps);

  const api = new OpenAPIHono<IdempotentEnv>({ defaultHook: validationHook });
  // An upload's body is a file: limited to the configured size instead.
  const isUpload = (c: Context) => c.req.path === `/api${MATERIAL_UPLOAD_PATH}`;
  // A plain condition rather than hono's `except`, which composes a middleware chain anew for every request.
  const jsonLimit = limitBody();
  api.use('*', (c, next) => (isUpload(c) ? next() : jsonLimit(c, next)));
  api.use(MATERIAL_UPLOAD_PATH, limitUpload(deps.materials.maxBytes));
  api.use('*', authenticate(deps.queries, deps.auth, deps.clock));
  api.use('*', idempotencyKey(deps.queries));
  api.openAPIRegistry.registerComponent('securitySchemes', 'Bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  api.openAPIRegistry.registerComponent('securitySchemes', 'ApiKey', {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description: 'Department systems: `ApiKey tbk.<id>.<secret>`',
  });
  meRoutes(api, deps);
  catalogRoutes(api, deps);
  catalogItemRoutes(api, deps);
  catalogDefinitionRoutes(api, deps);
  calendarRoutes(api, deps);
  departmentRoutes(api, deps);
  exportRoutes(api, deps);
  caseRoutes(api, deps);
  queryCodeRoutes(api, deps);
  fixTaskRoutes(api, deps);
  materialRoutes(api, deps);
  caseMoveRoutes(api, deps);
  jointReviewRoutes(api, deps);
  withdrawalRoutes(api, deps);
  signerRoutes(api, deps);
  transferRoutes(api, deps);
  copyRoutes(api, deps);
  commentRoutes(api, deps);
  supplementRequestRoutes(api, deps);
  substitutionRoutes(api, deps);
  delegationRoutes(api, deps);
  caseStatusRoutes(api, deps);
  caseDiagramRoutes(api, deps);
  definitionDiagramRoutes(api, deps);
  definitionMigrationRoutes(api, deps);
  clockRoutes(api, deps);
  auditRoutes(api, deps);
  taskRoutes(api, deps);
  urgeRoutes(api, deps);
  apiKeyRoutes(api, deps);
  webhookRoutes(api, deps);
  personalDataRoutes(api, deps);
  securityLogRoutes(api, deps);
  incidentRoutes(api, deps);
  queueDashboardSessionRoutes(api, deps);
  timerReconciliationRoutes(api, deps);
  notificationRoutes(api, deps);
  supervisionNoticeRoutes(api, deps);
  supervisionRoutes(api, deps);
  supervisionTrendRoutes(api, deps);
  licenceRoutes(api, deps);

  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Tongban joint approval API',
      version: '1',
      description:
        'Cross-department joint approval of government-service cases. Errors are RFC 9457 problem+json. Every request ' +
        'that carries credentials is rate limited per credential and API process (`TONGBAN_RATE_LIMIT_PER_MINUTE`, 1,200 ' +
        'a minute unless configured; N processes allow N times as many): over it, 429 `TB-RATE-LIMITED` with `Retry-After`.',
    },
  });
  app.route('/api', publicApi);
  app.route('/api', api);
  queueDashboardRoutes(app, deps);
  workspaceRoutes(app);
  return app;
}
