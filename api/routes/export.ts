import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { ExportedCase } from '../../db/case-export.js';
import { CASE_STATUSES } from '../../engine/case-record.js';
import type { ApiDeps } from '../api-deps.js';
import type { IdempotentEnv } from '../idempotency.js';
import { rateLimit } from '../rate-limit.js';
import { protectedRoute } from './protected-route.js';

const COLUMNS: readonly (keyof ExportedCase)[] = [
  'id', 'serviceItemCode', 'status', 'state', 'leadDepartment', 'applicantName', 'applicantIdNumber', 'createdAt', 'dueAt', 'completedAt', 'overdue',
];

/** RFC 4180 fields; a leading = + - @ is neutralised so a spreadsheet never runs a cell as a formula. */
function csvField(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

const exportRoute = (deps: ApiDeps) =>
  protectedRoute('case.export', {
    method: 'get',
    path: '/cases/export',
    summary: 'Export cases as CSV (supervisors; written to the security log; at most 10,000 rows)',
    request: {
      query: z.object({
        status: z.enum(CASE_STATUSES).optional(),
        serviceItemCode: z.string().max(100).optional(),
        createdFrom: z.iso.datetime({ offset: true }).optional(),
        createdTo: z.iso.datetime({ offset: true }).optional(),
      }),
    },
    responses: {
      200: { description: 'CSV; X-Export-Truncated: true when the limit cut it', content: { 'text/csv': { schema: z.string() } } },
      429: { description: 'Too many exports; see Retry-After' } },
  }, rateLimit(deps.queries, deps.clock, 'case.export', { limit: 5, windowSeconds: 600 }));

export function exportRoutes(app: OpenAPIHono<IdempotentEnv>, deps: ApiDeps): void {
  app.openapi(exportRoute(deps), async (c) => {
    const q = c.req.valid('query');
    const { rows, truncated } = await deps.queries.exportCases(
      c.get('actor'),
      {
        status: q.status,
        serviceItemCode: q.serviceItemCode,
        createdFrom: q.createdFrom ? new Date(q.createdFrom) : undefined,
        createdTo: q.createdTo ? new Date(q.createdTo) : undefined,
      },
      deps.clock.now(),
    );
    const csv = [COLUMNS.join(','), ...rows.map((r) => COLUMNS.map((k) => csvField(r[k])).join(','))].join('\r\n');
    return c.body(`${csv}\r\n`, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="cases.csv"',
      'x-export-truncated': String(truncated),
    });
  });
}
