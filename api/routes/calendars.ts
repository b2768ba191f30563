import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { CalendarEntry, StoredCalendarYear } from '../../db/calendars.js';
import { CalendarNotFoundError } from '../../engine/errors.js';
import { DEFAULT_COUNTING_RULE } from '../../engine/time/counting-rule.js';
import { WORKING_DAYS_LIMITS } from '../../engine/time/deadline.js';
import { explainDueDate } from '../../engine/time/due-date-explanation.js';
import { STATUTORY_HOLIDAYS } from '../../engine/time/statutory-holidays.js';
import type { ApiDeps } from '../api-deps.js';
import type { IdempotentEnv } from '../idempotency.js';
import { CalendarYearBody, Instant } from '../schemas.js';
import { protectedRoute } from './protected-route.js';
import { json } from './responses.js';

const CalendarCode = z
  .string()
  .min(1)
  .max(100)
  .openapi({ param: { name: 'code', in: 'path' }, example: 'cn' });

const YearSummary = z
  .object({
    year: z.number().int(),
    source: z.string(),
    checksum: z.string(),
    importedAt: z.string(),
    importedBy: z.string().nullable().openapi({ description: 'Who imported it; null for a year installed from the maintained package.' }),
  })
  .openapi('CalendarYearSummary');

const CalendarSummary = z
  .object({
    code: z.string(),
    name: z.string(),
    timeZone: z.string(),
    utcOffsetMinutes: z.number().int(),
    weekendDays: z.array(z.number().int()).openapi({ description: '0 = Sunday … 6 = Saturday' }),
    parentCode: z.string().nullable(),
    since: z.string().nullable().openapi({ description: 'First date counted on official data (with the parents).' }),
    horizon: z.string().nullable().openapi({
      description: 'Last date the official data covers (with the parents); past it days are estimated and due dates provisional. Null: no year yet.',
    }),
    version: z.string().nullable().openapi({ description: 'Checksum of the data counted on; stored derivations name it.' }),
    source: z.string().nullable().openapi({ description: 'Where the years up to the horizon come from.' }),
    years: z.array(YearSummary),
  })
  .openapi('CalendarSummary');

const Calendar = CalendarSummary.extend({
  years: z.array(YearSummary.extend({ holidays: z.array(z.string()), makeUpWorkdays: z.array(z.string()) })),
}).openapi('Calendar');

const ImportedYear = z
  .object({
    calendarCode: z.string(),
    year: z.number().int(),
    source: z.string(),
    checksum: z.string(),
    replacedChecksum: z.string().nullable(),
    horizon: z.string().nullable(),
    calendarVersion: z.string().nullable(),
  })
  .openapi('ImportedCalendarYear');

const DueDateQuery = z.object({
  start: Instant.openapi({ description: 'When the budget starts (receipt), with its offset; send `+` as `%2B`.' }),
  workingDays: z.coerce.number().int().min(WORKING_DAYS_LIMITS.min).max(WORKING_DAYS_LIMITS.max),
  cutOff: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM')
    .optional()
    .openapi({ description: `Local time from which a receipt counts as the next working day's (default ${DEFAULT_COUNTING_RULE.cutOffLocalTime}).` }),
});

const DueDate = z
  .object({
    dueDate: z.string(),
    due: z.string(),
    provisional: z.boolean(),
    horizon: z.string(),
    receivedOn: z.string(),
    calendarCode: z.string(),
    calendarVersion: z.string(),
    start: z.string(),
    workingDays: z.number().int(),
    rule: z.object({ cutOffLocalTime: z.string() }),
    utcOffsetMinutes: z.number().int().optional(),
    counted: z.array(z.object({ date: z.string(), n: z.number().int() })),
    skipped: z.array(z.object({ date: z.string(), reason: z.enum(['weekend', 'holiday', 'statutory-holiday-estimate']) })),
    makeUpDaysUsed: z.array(z.string()),
    holidays: z
      .array(z.object({ holidays: z.array(z.enum(STATUTORY_HOLIDAYS)), dates: z.array(z.string()), estimated: z.boolean() }))
      .openapi({
        description:
          'The skipped holidays by period, named after the statutory holidays (全国年节及纪念日放假办法) in their run of days off; ' +
          'no name for a day off the law does not name, or before 2025. `estimated`: past the horizon.',
      }),
  })
  .openapi('DueDateExplanation');

const listCalendars = protectedRoute('calendar.read', {
  method: 'get',
  path: '/calendars',
  summary: 'Working calendars (工作日历): their horizon, version and where each year comes from',
  responses: { 200: { description: 'Calendars', ...json(z.object({ items: z.array(CalendarSummary) })) } },
});

const showCalendar = protectedRoute('calendar.read', {
  method: 'get',
  path: '/calendars/{code}',
  summary: 'One working calendar with the days of every year',
  request: { params: z.object({ code: CalendarCode }) },
  responses: { 200: { description: 'The calendar', ...json(Calendar) } },
});

const importYear = protectedRoute('calendar.import', {
  method: 'post',
  path: '/calendars/{code}/years',
  summary: "Import a year of official data (the State Council's 放假调休 arrangement, or a region's)",
  description:
    'Checked against the year and the calendar (dates inside the year, make-up days on weekends, no day both off and working, ' +
    'statutory days off, no gap after the last year, an existing year only with `replace: true`): refused with 422 and every ' +
    'problem in `errors[]`, nothing written. Written with its `calendar.year-imported` security-log event, carrying the checksum, ' +
    'in one transaction; every API process counts on it within 30 seconds.',
  request: { params: z.object({ code: CalendarCode }), body: { required: true, ...json(CalendarYearBody) } },
  responses: { 201: { description: 'Imported; the calendar’s horizon after it', ...json(ImportedYear) } },
});

const explain = protectedRoute('calendar.read', {
  method: 'get',
  path: '/calendars/{code}/due-dates',
  summary: 'The due-date explainer: when N working days from an instant end, and every day counted or skipped',
  description:
    'Counted as the engine counts a deadline: received on the start date if it is a working day before the cut-off (default 17:00, ' +
    'a service item may set its own: pass it as `cutOff`), else on the next working day; day 1 is the working day after receipt; due ' +
    'at the end of the Nth. `provisional` when the due date is past the horizon (days there are the statutory estimate).',
  request: { params: z.object({ code: CalendarCode }), query: DueDateQuery },
  responses: { 200: { description: 'The due date and how it came about', ...json(DueDate) } },
});

const yearSummary = (y: StoredCalendarYear) => ({
  year: y.year,
  source: y.source,
  checksum: y.checksum,
  importedAt: y.importedAt.toISOString(),
  importedBy: y.importedBy,
});

const summary = (c: CalendarEntry) => ({
  code: c.code,
  name: c.name,
  timeZone: c.timeZone,
  utcOffsetMinutes: c.utcOffsetMinutes,
  weekendDays: [...c.weekendDays],
  parentCode: c.parentCode,
  since: c.working?.since ?? null,
  horizon: c.working?.horizon ?? null,
  version: c.working?.version ?? null,
  source: c.working?.source ?? null,
  years: c.years.map(yearSummary),
});

export function calendarRoutes(app: OpenAPIHono<IdempotentEnv>, deps: ApiDeps): void {
  app.openapi(listCalendars, async (c) => c.json({ items: (await deps.queries.listCalendars()).map(summary) }, 200));

  app.openapi(showCalendar, async (c) => {
    const { code } = c.req.valid('param');
    const calendar = await deps.queries.findCalendar(code);
    if (!calendar) throw new CalendarNotFoundError(code);
    const years = calendar.years.map((y) => ({ ...yearSummary(y), holidays: [...y.holidays], makeUpWorkdays: [...y.makeUpWorkdays] }));
    return c.json({ ...summary(calendar), years }, 200);
  });

  app.openapi(importYear, async (c) => {
    const { code } = c.req.valid('param');
    const imported = await deps.queries.importCalendarYear({ calendarCode: code, ...c.req.valid('json') }, c.get('actor'), deps.clock.now());
    return c.json(imported, 201);
  });

  app.openapi(explain, async (c) => {
    const { code } = c.req.valid('param');
    const { start, workingDays, cutOff } = c.req.valid('query');
    const calendar = await deps.queries.workingCalendar(code);
    const rule = cutOff === undefined ? DEFAULT_COUNTING_RULE : { cutOffLocalTime: cutOff };
    const explained = explainDueDate(calendar, new Date(start), workingDays, rule);
    return c.json({ ...explained, counted: [...explained.counted], skipped: [...explained.skipped], makeUpDaysUsed: [...explained.makeUpDaysUsed] }, 200);
  });
}
