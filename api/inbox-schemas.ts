import { z } from '@hono/zod-openapi';
import { ALL_INBOX_SORTS, INBOX_SORTS, INBOX_VIEWS } from '../db/inbox-views.js';
import { PAGE_COUNT_CAP } from '../db/page-total.js';
import { WARNING_COLOURS } from '../engine/time/ladder.js';
import { Instant, PageQuery, Task } from './schemas.js';

/** The inbox's query and rows (`GET /api/tasks`): request and response schemas, also OpenAPI components. */

/** A case number (受理编号) as the database gives it: the year of intake, a dash, 6 digits or more. */
export const CaseNumber = z
  .string()
  .regex(/^\d{4}-\d{6,}$/, 'must be a case number such as 2026-000123')
  .openapi({ description: 'The case number (受理编号): year of intake (Beijing time) and a sequence, e.g. `2026-000123`.', example: '2026-000123' });

/** What each view lists, for its description. */
const VIEWS_TEXT =
  '`todo` (the default): your department\'s open tasks, claimed or not. `claimed`: the open tasks you hold (less those delegated to you). ' +
  '`delegated`: tasks a colleague delegated to you (委派), pending your proposal. `standIn`: tasks held by the people you stand in for now (代理). ' +
  "`done`: the tasks you completed. `departmentDone`: your department's completed tasks. Copies to you (抄送) are listed at `GET /api/copies`.";

export const InboxQuery = PageQuery.extend({
  view: z.enum(INBOX_VIEWS).default('todo').openapi({ description: VIEWS_TEXT }),
  sort: z.enum(ALL_INBOX_SORTS).optional().openapi({
    description:
      'Open tasks (`todo`, `claimed`, `delegated`, `standIn`): `dueAt` (the default) or `openedAt` (received time). Done (`done`, `departmentDone`): ' +
      '`completedAt` (the default). Another combination answers 400.',
  }),
  direction: z.enum(['asc', 'desc']).optional().openapi({ description: 'By default `asc` for open tasks (most urgent first), `desc` for done ones (latest first).' }),
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
  applicantName: z
    .string()
    .trim()
    .refine((name) => [...name].length >= 2, 'must be at least 2 characters of the name\'s start')
    .refine((name) => [...name].length <= 100, 'must be at most 100 characters')
    .optional()
    .openapi({
      description:
        "The start of the applicant's name (a person or a company), at least 2 characters, as written (case counts). Personal data: the search is " +
        'written to the security log (who, which view, how many tasks; not the name).',
      example: '上海',
    }),
  licenceNumber: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .openapi({
      description: 'The number of the licence (电子证照) the case issued, exactly. Personal data: the search is written to the security log as a name search is.',
      example: 'CONSTRUCTION-PERMIT-20261201-0A1B2C3D',
    }),
})
  // A parameter it does not know is a mistake (the old `status`, a misspelt filter): answered 400, never ignored.
  .strict()
  .superRefine((query, ctx) => {
  const allowed: readonly string[] = INBOX_SORTS[query.view];
  if (query.sort !== undefined && !allowed.includes(query.sort)) {
    ctx.addIssue({ code: 'custom', path: ['sort'], message: `the ${query.view} view sorts by ${allowed.join(' or ')}` });
  }
});

const CAP = PAGE_COUNT_CAP.toLocaleString('en');
const Count = (what: string) =>
  z
    .object({
      total: z.number().int().openapi({ description: `${what}: the number when \`totalExact\`; otherwise a lower bound.` }),
      totalExact: z.boolean().openapi({ description: `false past ${CAP}: show it as e.g. "${CAP}+".` }),
    })
    .openapi({ description: what });

export const InboxCounts = z
  .object({
    todo: Count("Your department's open tasks"),
    claimed: Count('The open tasks you hold'),
    delegated: Count('Tasks delegated to you, pending your proposal'),
    standIn: Count('Tasks held by the people you stand in for now'),
    copied: Count('Copies to you or your department not yet read (已阅)'),
  })
  .openapi('InboxCounts');

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
