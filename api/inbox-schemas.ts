import { z } from '@hono/zod-openapi';
import { INBOX_SORTS } from '../db/task-queries.js';
import { WARNING_COLOURS } from '../engine/time/ladder.js';
import { Instant, PageQuery, Task } from './schemas.js';

/** The inbox's query and rows (`GET /api/tasks`): request and response schemas, also OpenAPI components. */

/** A case number (受理编号) as the database gives it: the year of intake, a dash, 6 digits or more. */
export const CaseNumber = z
  .string()
  .regex(/^\d{4}-\d{6,}$/, 'must be a case number such as 2026-000123')
  .openapi({ description: 'The case number (受理编号): year of intake (Beijing time) and a sequence, e.g. `2026-000123`.', example: '2026-000123' });

const SORTS = [...INBOX_SORTS.open, ...INBOX_SORTS.done] as const;

export const InboxQuery = PageQuery.extend({
  status: z.enum(['open', 'done']).default('open').openapi({ description: '`open`: to do (open and claimed tasks); `done`: completed tasks.' }),
  sort: z.enum(SORTS).optional().openapi({
    description: 'To do: `dueAt` (the default) or `openedAt` (received time). Done: `completedAt` (the default). Another combination answers 400.',
  }),
  direction: z.enum(['asc', 'desc']).optional().openapi({ description: 'By default `asc` for to do (most urgent first), `desc` for done (latest first).' }),
  serviceItem: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be a service item code such as construction-permit')
    .optional()
    .openapi({ description: "The case's service item code." }),
  colour: z.enum(WARNING_COLOURS).optional().openapi({ description: '`green`, `yellow` (at risk) or `red` (overdue).' }),
  dueBy: Instant.optional().openapi({
    description: 'Due at or before this instant (send `+` as `%2B`). A due instant is the end of the due date: the tasks due by 10 Dec 2026 are `dueBy=2026-12-11T00:00%2B08:00`.',
  }),
  caseNumber: CaseNumber.optional(),
}).superRefine((query, ctx) => {
  const allowed: readonly string[] = INBOX_SORTS[query.status];
  if (query.sort !== undefined && !allowed.includes(query.sort)) {
    ctx.addIssue({ code: 'custom', path: ['sort'], message: `${query.status === 'open' ? 'to do' : 'done'} tasks sort by ${allowed.join(' or ')}` });
  }
});

export const InboxTask = Task.extend({
  caseNumber: CaseNumber,
  serviceItem: z.object({ code: z.string(), name: z.string() }),
  applicantName: z.string().openapi({ description: 'The applicant (a person or a company) as your department may see them: the name is always shown.' }),
  completedBy: z.string().nullable().openapi({ description: 'Who completed it; null while open.' }),
  remainingWorkingDays: z.number().int().nullable().openapi({
    description:
      "Working days left on the task's clock, read now (the day in progress counts as used: 0 on its last day). Negative once overdue: the working days " +
      'after its due date through today. While paused, what it had left. Null once done, or for a task whose case kept no clocks.',
  }),
  clockState: z.enum(['running', 'paused', 'stopped', 'expired']).nullable().openapi({ description: "The task's clock, read now; null when `remainingWorkingDays` is." }),
  provisional: z.boolean().openapi({
    description: "The due date was counted past the calendar's horizon on the statutory estimate of holidays: it may move when the year's arrangement is imported.",
  }),
  canClaim: z.boolean().openapi({ description: 'Whether you may claim it now (签收): open, held by nobody, of a kind your roles handle.' }),
}).openapi('InboxTask');
