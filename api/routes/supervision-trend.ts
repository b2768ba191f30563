import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { isoWeekName, supervisionWeek, type WeekTally } from '../../db/supervision-trend-queries.js';
import { departmentCode } from '../../engine/ids.js';
import type { ApiDeps } from '../api-deps.js';
import type { IdempotentEnv } from '../idempotency.js';
import { protectedRoute } from './protected-route.js';
import { json } from './responses.js';

/**
 * The supervisors' trend over the last weeks (效能趋势): per ISO week in Beijing time, what was started or opened,
 * what of it is still open and overdue now, and what finished on time or late — cases and steps — from the weekly
 * counters the triggers keep. A department's lead reads the same for their own department.
 */

const Tally = {
  opened: z.number().int().openapi({ description: 'Cases started (steps opened) in the week.' }),
  openNow: z.number().int().openapi({ description: 'Of those, still running (open) now.' }),
  overdueNow: z.number().int().openapi({ description: 'Of those, red (overdue) now.' }),
  finishedOnTime: z.number().int().openapi({ description: 'Finished in the week at or before their due instant.' }),
  finishedLate: z.number().int().openapi({ description: 'Finished in the week after their due instant.' }),
  onTimeRate: z.number().nullable().openapi({ description: 'finishedOnTime ÷ (finishedOnTime + finishedLate), 4 decimals; null when none finished.' }),
};

const CasesWeek = z.object(Tally).openapi('SupervisionCasesWeek');
const StepsWeek = z
  .object({
    ...Tally,
    averageWorkingDays: z.number().nullable().openapi({
      description: 'The average working days a step finished in the week took on its clock (pauses left out), 2 decimals; null when none had a clock.',
    }),
  })
  .openapi('SupervisionStepsWeek');

const SupervisionTrend = z
  .object({
    weeks: z
      .array(
        z.object({
          week: z.string().openapi({ description: 'The ISO week, `YYYY-Www`.', example: '2026-W49' }),
          start: z.string().openapi({ description: 'Its Monday (Beijing time), `YYYY-MM-DD`.', example: '2026-11-30' }),
          cases: CasesWeek.openapi({ description: 'Cases, by their lead department.' }),
          steps: StepsWeek.openapi({ description: 'Steps (tasks), by their own department.' }),
        }),
      )
      .openapi({ description: 'Oldest first; the last is the current week (so far).' }),
  })
  .openapi('SupervisionTrend');

const trendRoute = protectedRoute('supervision.read', {
  method: 'get',
  path: '/supervision/trend',
  summary: 'Started, finished on time and late, still open and overdue, per week',
  description:
    'The last `weeks` ISO weeks in Beijing time, the current one last, from counters kept with every change (not counted when asked). ' +
    "A week's **cohort** (opened, openNow, overdueNow) is what was started or opened in it, as it stands now; **finished** is what finished in it, on time when at or before its due instant. " +
    'Per department, not per service item (the monthly counts are): cheap however large the catalogue. ' +
    'Supervisors read every department; a lead reads their own (a `department` naming another finds nothing).',
  request: {
    query: z.object({
      weeks: z.coerce.number().int().min(1).max(52).default(12).openapi({ description: 'How many weeks, the current one included (1–52).' }),
      department: z.string().min(1).max(100).optional().openapi({ description: "Cases: the lead department; steps: the step's department." }),
    }),
  },
  responses: { 200: { description: 'The weeks', ...json(SupervisionTrend) } },
});

export function supervisionTrendRoutes(app: OpenAPIHono<IdempotentEnv>, deps: ApiDeps): void {
  app.openapi(trendRoute, async (c) => {
    const { weeks, department } = c.req.valid('query');
    const rows = await deps.queries.supervisionTrend(c.get('actor'), {
      lastWeek: supervisionWeek(deps.engine.now()), // legal time is the engine's
      weeks,
      ...(department ? { department: departmentCode(department) } : {}),
    });
    return c.json(
      { weeks: rows.map((w) => ({ week: isoWeekName(w.week), start: w.week, cases: tallyView(w.cases), steps: { ...tallyView(w.steps), averageWorkingDays: average(w.steps) } })) },
      200,
    );
  });
}

const rounded = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;

function tallyView(t: WeekTally) {
  const finished = t.finishedOnTime + t.finishedLate;
  return {
    opened: t.opened,
    openNow: t.openNow,
    overdueNow: t.overdueNow,
    finishedOnTime: t.finishedOnTime,
    finishedLate: t.finishedLate,
    onTimeRate: finished === 0 ? null : rounded(t.finishedOnTime / finished, 4),
  };
}

const average = (t: WeekTally) => (t.timedSteps === 0 ? null : rounded(t.workingDays / t.timedSteps, 2));
