import { createHash } from 'node:crypto';
import { canonicalJson } from '../engine/audit/canonical-json.js';
import { validateCalendarYear, type CalendarYear } from '../engine/time/calendar-year.js';
import { CalendarNotFoundError, CalendarYearInvalidError } from '../engine/errors.js';
import { WorkingCalendar } from '../engine/time/working-calendar.js';
import type { Sql } from './connection.js';
import { calendarDataOf, readStoredCalendars } from './calendars.js';
import { notifyCalendarChanged } from './deadline-recompute-queries.js';
import { withSecurityEvent, type SecurityActor, type Tx } from './security-log.js';

/** A year of official data to import into a calendar; `replace` allows replacing a year it already has. */
export interface CalendarYearImport extends CalendarYear {
  readonly calendarCode: string;
  readonly replace?: boolean | undefined;
}

/**
 * What an import wrote: the year's checksum and, when it replaced one, the checksum it replaced; the
 * calendar's horizon and version with it (the horizon rises when the year extends the data).
 */
export interface ImportedCalendarYear {
  readonly calendarCode: string;
  readonly year: number;
  readonly source: string;
  readonly checksum: string;
  readonly replacedChecksum: string | null;
  /** Null while a parent calendar has no year of data: nothing can be counted on this one yet. */
  readonly horizon: string | null;
  readonly calendarVersion: string | null;
}

/**
 * `sha256:` of the canonical JSON of what a year decides, `{ calendar, holidays, makeUpWorkdays, year }`
 * with the dates sorted and listed once; the source is not part of it (the same days from another
 * notice are the same data). Migration 0009 computes the same in SQL for the rows it moved.
 *
 * @example calendarYearChecksum('cn', { year: 2026, holidays: ['2026-10-01'], makeUpWorkdays: [] }); // 'sha256:…'
 */
export function calendarYearChecksum(calendarCode: string, days: Pick<CalendarYear, 'year' | 'holidays' | 'makeUpWorkdays'>): string {
  const data = { calendar: calendarCode, year: days.year, holidays: sortedOnce(days.holidays), makeUpWorkdays: sortedOnce(days.makeUpWorkdays) };
  return `sha256:${createHash('sha256').update(canonicalJson(data)).digest('hex')}`;
}

const sortedOnce = (dates: readonly string[]): string[] => [...new Set(dates)].sort();

/**
 * Imports a year of official data into a calendar, in ONE transaction with its `calendar.year-imported`
 * event on the security log (carrying the data's checksum): validated against the calendar's weekend and
 * the years it has (`validateCalendarYear`), inside the transaction so that two imports cannot both pass
 * against the same years (security-log appends take turns on the chain head). Its commit wakes the workers'
 * recount of the deadlines counted on the calendar's previous data. Nothing is written when it is refused.
 *
 * @throws CalendarNotFoundError when there is no such calendar.
 * @throws CalendarYearInvalidError with every problem, by field path, when the year is refused.
 */
export function importCalendarYear(sql: Sql, input: CalendarYearImport, by: SecurityActor, at: Date): Promise<ImportedCalendarYear> {
  return withSecurityEvent(
    sql,
    (tx) => writeYear(tx, input, by, at),
    (imported) => ({ type: 'calendar.year-imported', actor: by, at, data: { ...imported } }),
  );
}

async function writeYear(tx: Tx, input: CalendarYearImport, by: SecurityActor, at: Date): Promise<ImportedCalendarYear> {
  const { calendarCode, year, source } = input;
  const stored = await readStoredCalendars(tx, calendarCode);
  const calendar = stored.find((c) => c.code === calendarCode);
  if (!calendar) throw new CalendarNotFoundError(calendarCode);
  // A regional calendar's year lists only its own days: the parent's count as they are unless it lists them.
  const parentData = calendar.parentCode === null ? undefined : calendarDataOf(calendar.parentCode, stored);
  const parent = parentData && new WorkingCalendar(parentData);
  const problems = validateCalendarYear(input, calendar.years, { replace: input.replace === true, weekendDays: calendar.weekendDays, ...(parent ? { parent } : {}) });
  if (problems.length > 0) throw new CalendarYearInvalidError(calendarCode, year, problems);
  const checksum = calendarYearChecksum(calendarCode, input);
  await tx`insert into calendar_years (calendar_code, year, holidays, make_up_workdays, source, checksum, imported_at, imported_by)
    values (${calendarCode}, ${year}, ${sortedOnce(input.holidays)}, ${sortedOnce(input.makeUpWorkdays)}, ${source}, ${checksum}, ${at.toISOString()}, ${by.userId})
    on conflict (calendar_code, year) do update set holidays = excluded.holidays, make_up_workdays = excluded.make_up_workdays,
      source = excluded.source, checksum = excluded.checksum, imported_at = excluded.imported_at, imported_by = excluded.imported_by`;
  // Deadlines counted on the calendar's previous data are recounted by the workers once this commits.
  await notifyCalendarChanged(tx);
  const replaced = calendar.years.find((y) => y.year === year);
  const written = { year, holidays: input.holidays, makeUpWorkdays: input.makeUpWorkdays, source, checksum, importedAt: at, importedBy: by.userId };
  const after = stored.map((c) => (c === calendar ? { ...c, years: [...c.years.filter((y) => y.year !== year), written] } : c));
  const data = calendarDataOf(calendarCode, after);
  const counted = data && new WorkingCalendar(data);
  return {
    calendarCode,
    year,
    source,
    checksum,
    replacedChecksum: replaced?.checksum ?? null,
    horizon: counted?.horizon ?? null,
    calendarVersion: counted?.version ?? null,
  };
}
