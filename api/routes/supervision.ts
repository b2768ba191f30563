import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { SUPERVISED_COLOURS, supervisionMonth, type SupervisedCase, type SupervisedTask, type SupervisionCount } from '../../db/supervision-queries.js';
import { departmentCode } from '../../engine/ids.js';
import type { ApiDeps } from '../api-deps.js';
import type { IdempotentEnv } from '../idempotency.js';
import { Instant, Page, PageQuery } from '../schemas.js';
import { protectedRoute } from './protected-route.js';
import { json } from './responses.js';

/**
 * What supervisors (效能监察) read across departments: the running cases and open steps that are at risk (yellow)
 * or overdue (red), most late first, and per department and service item how much is open, yellow and red and
 * how much finished on time or late in a month. A department's lead reads the same for their own department.
 */

const LateHours = z.number().openapi({
  description: 'Hours past the due instant (wall-clock, one decimal): positive when overdue, negative while time is left.',
});
const Colour = z.enum(SUPERVISED_COLOURS).openapi({ description: '`yellow`: at risk (a rung before the due reached); `red`: overdue.' });

const SupervisedCaseItem = z
  .object({
    id: z.string(),
    caseNumber: z.string().openapi({ description: 'The case number (受理编号) people read.' }),
    serviceItemCode: z.string(),
    leadDepartment: z.string(),
    state: z.string(),
    dueAt: z.string(),
    warningLevel: Colour,
    lateHours: LateHours,
  })
  .openapi('SupervisedCase');

const SupervisedTaskItem = z
  .object({
    id: z.string(),
    caseId: z.string(),
    caseNumber: z.string().openapi({ description: "The case's number (受理编号)." }),
    serviceItemCode: z.string(),
    leadDepartment: z.string(),
    key: z.string(),
    title: z.string(),
    departmentCode: z.string(),
    status: z.string().openapi({ description: '`open`, or `claimed` by `assigneeId`.' }),
    assigneeId: z.string().nullable(),
    openedAt: z.string(),
    dueAt: z.string(),
    warningLevel: Colour,
    lateHours: LateHours,
  })
  .openapi('SupervisedTask');

const ListQuery = PageQuery.extend({
  colour: Colour.optional().openapi({ description: 'One colour; yellow and red when absent (green rows are never listed).' }),
  department: z.string().min(1).max(100).optional().openapi({ description: "Cases: the lead department; steps: the step's department." }),
  serviceItem: z.string().min(1).max(100).optional(),
  dueBefore: Instant.optional().openapi({ description: 'Due strictly before this instant (send `+` as `%2B`).' }),
  dueAfter: Instant.optional().openapi({ description: 'Due at or after this instant.' }),
});

const Counts = {
  open: z.number().int(),
  yellow: z.number().int(),
  red: z.number().int(),
  finishedOnTime: z.number().int().openapi({ description: 'Finished in the month at or before their due instant.' }),
  finishedLate: z.number().int(),
  onTimeRate: z.number().nullable().openapi({ description: 'finishedOnTime ÷ (finishedOnTime + finishedLate), 4 decimals; null when none finished.' }),
  averageWorkingDays: z.number().nullable().openapi({
    description: "Steps only: the average working days a step finished in the month took on its clock (pauses left out), 2 decimals; null when none had a clock (and always for cases).",
  }),
};

const SupervisionTally = z.object(Counts).openapi('SupervisionTally');

const ServiceItemSteps = z.object({ serviceItemCode: z.string(), ...Counts }).openapi('SupervisionServiceItemSteps');

const SupervisionCounts = z
  .object({
    month: z.string().openapi({ description: '`YYYY-MM`, Beijing time: the month whose finished work is counted.' }),
    departments: z
      .array(z.object({ departmentCode: z.string(), ...Counts, serviceItems: z.array(ServiceItemSteps) }).openapi('SupervisionDepartment'))
      .openapi({ description: "Each department's steps (tasks): open now, of them yellow and red; finished in the month; and the same per service item." }),
    serviceItems: z
      .array(z.object({ serviceItemCode: z.string(), leadDepartment: z.string(), ...Counts }).openapi('SupervisionServiceItem'))
      .openapi({ description: 'Cases per service item and lead department: running now, of them yellow and red; finished (approved or refused) in the month.' }),
    totals: z
      .object({ steps: SupervisionTally, cases: SupervisionTally })
      .openapi({ description: "All the departments' steps, and all the cases, together (the average per step over every timed step, not of the departments' averages)." }),
  })
  .openapi('SupervisionCounts');

const supervisedRoles = 'Supervisors read every department; a lead reads their own (a `department` naming another finds nothing).';

/** A paged list of what is late or about to be, at `path`: its items, the name of its page's schema, what it says. */
const listRoute = <const P extends string, T extends z.ZodType>(path: P, item: T, page: string, summary: string, description: string) =>
  protectedRoute('supervision.read', {
    method: 'get',
    path,
    summary,
    description: `${description} Paged with a capped total, like the inbox. ${supervisedRoles}`,
    request: { query: ListQuery },
    responses: { 200: { description: 'A page of them', ...json(Page(item, page)) } },
  });

const casesRoute = listRoute(
  '/supervision/cases',
  SupervisedCaseItem,
  'SupervisedCasePage',
  'Running cases at risk or overdue, the latest first',
  'Cases whose worst running clock is yellow or red, by due time (earliest first: the most overdue lead), filtered by colour, lead department, service item and due time.',
);

const tasksRoute = listRoute(
  '/supervision/tasks',
  SupervisedTaskItem,
  'SupervisedTaskPage',
  'Open steps at risk or overdue, the latest first',
  "Open (or claimed) tasks coloured yellow or red (环节预警/超时), by due time, filtered by colour, the task's department, its case's service item and due time. A late step is red even when its case is on time.",
);

const countsRoute = protectedRoute('supervision.read', {
  method: 'get',
  path: '/supervision/departments',
  summary: 'Open, yellow, red, finished on time and late, per department and service item',
  description:
    'From counters kept with every change (not counted when asked): as cheap at a million cases as at ten. Finished = completed (a step) or approved/refused (a case) in the month; on time = completed at or before its due instant. ' +
    supervisedRoles,
  request: {
    query: z.object({
      month: z
        .string()
        .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be YYYY-MM')
        .optional()
        .openapi({ description: 'Default: the current month, Beijing time.' }),
      department: z.string().min(1).max(100).optional(),
    }),
  },
  responses: { 200: { description: 'The counts', ...json(SupervisionCounts) } },
});

export function supervisionRoutes(app: OpenAPIHono<IdempotentEnv>, deps: ApiDeps): void {
  app.openapi(casesRoute, async (c) => {
    const query = c.req.valid('query');
    const now = deps.engine.now(); // legal time is the engine's
    const { items, total, totalExact } = await deps.queries.listSupervisedCases(c.get('actor'), listFilter(query));
    return c.json({ items: items.map((i) => supervisedCaseView(i, now)), page: query.page, pageSize: query.pageSize, total, totalExact }, 200);
  });

  app.openapi(tasksRoute, async (c) => {
    const query = c.req.valid('query');
    const now = deps.engine.now();
    const { items, total, totalExact } = await deps.queries.listSupervisedTasks(c.get('actor'), listFilter(query));
    return c.json({ items: items.map((i) => supervisedTaskView(i, now)), page: query.page, pageSize: query.pageSize, total, totalExact }, 200);
  });

  app.openapi(countsRoute, async (c) => {
    const { month = supervisionMonth(deps.engine.now()), department } = c.req.valid('query');
    const counts = await deps.queries.countSupervision(c.get('actor'), { month, ...(department ? { department: departmentCode(department) } : {}) });
    return c.json({ month, ...countsView(counts) }, 200);
  });
}

type ListQueryIn = z.infer<typeof ListQuery>;

/** The query string as the list queries take it (absent filters left out). */
function listFilter(q: ListQueryIn) {
  return {
    page: q.page,
    pageSize: q.pageSize,
    ...(q.colour ? { colour: q.colour } : {}),
    ...(q.department ? { department: departmentCode(q.department) } : {}),
    ...(q.serviceItem ? { serviceItem: q.serviceItem } : {}),
    ...(q.dueBefore ? { dueBefore: new Date(q.dueBefore) } : {}),
    ...(q.dueAfter ? { dueAfter: new Date(q.dueAfter) } : {}),
  };
}

const lateHours = (dueAt: Date, now: Date) => Math.round((now.getTime() - dueAt.getTime()) / 360_000) / 10;

function supervisedCaseView(i: SupervisedCase, now: Date) {
  return {
    id: i.id,
    caseNumber: i.caseNumber,
    serviceItemCode: i.serviceItemCode,
    leadDepartment: i.leadDepartment,
    state: i.stateLabel,
    dueAt: i.dueAt.toISOString(),
    warningLevel: i.warningLevel,
    lateHours: lateHours(i.dueAt, now),
  };
}

function supervisedTaskView(i: SupervisedTask, now: Date) {
  return { ...i, openedAt: i.openedAt.toISOString(), dueAt: i.dueAt.toISOString(), lateHours: lateHours(i.dueAt, now) };
}

type Tally = Pick<SupervisionCount, 'open' | 'yellow' | 'red' | 'finishedOnTime' | 'finishedLate' | 'workingDays' | 'timedSteps'>;

const tallied = (rows: readonly Tally[]) => {
  const sum = (key: keyof Tally) => rows.reduce((n, r) => n + r[key], 0);
  const [finishedOnTime, finishedLate] = [sum('finishedOnTime'), sum('finishedLate')];
  const finished = finishedOnTime + finishedLate;
  return {
    open: sum('open'),
    yellow: sum('yellow'),
    red: sum('red'),
    finishedOnTime,
    finishedLate,
    onTimeRate: finished === 0 ? null : Math.round((finishedOnTime / finished) * 10_000) / 10_000,
    averageWorkingDays: sum('timedSteps') === 0 ? null : Math.round((sum('workingDays') / sum('timedSteps')) * 100) / 100,
  };
};

/** The counters' rows as the answer shows them: steps per department (and per item inside it), cases per item, and both in all. */
function countsView(counts: readonly SupervisionCount[]) {
  const steps = counts.filter((c) => c.subject === 'task');
  const departments = [...new Set(steps.map((c) => c.departmentCode))].map((departmentCode) => {
    const own = steps.filter((c) => c.departmentCode === departmentCode);
    return { departmentCode, ...tallied(own), serviceItems: own.map((c) => ({ serviceItemCode: c.serviceItemCode, ...tallied([c]) })) };
  });
  const cases = counts.filter((c) => c.subject === 'case');
  const serviceItems = cases.map((c) => ({ serviceItemCode: c.serviceItemCode, leadDepartment: c.departmentCode, ...tallied([c]) }));
  return { departments, serviceItems, totals: { steps: tallied(steps), cases: tallied(cases) } };
}
