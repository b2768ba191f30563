import { CalendarNotFoundError, InvalidTimeLimitError } from '../engine/errors.js';
import type { CalendarData } from '../engine/time/calendar-data.js';
import { calendarFromYears, type CalendarYear } from '../engine/time/calendar-year.js';
import { WorkingCalendar } from '../engine/time/working-calendar.js';
import type { Sql } from './connection.js';
import { instant } from './instants.js';
import type { Queryable } from './delivery-queries.js';

/**
 * The calendar catalogue as stored: a `calendars` row per jurisdiction and a `calendar_years` row per year
 * of official data. Everything derived (the days merged, the horizon, the version) is computed here from
 * those rows, never stored, so it cannot disagree with them.
 */

/** One stored year of official data, with where it came from. */
export interface StoredCalendarYear extends CalendarYear {
  /** `sha256:` of the year's data (`calendarYearChecksum`), as the security log recorded it at import. */
  readonly checksum: string;
  readonly importedAt: Date;
  /** Who imported it (a user id, or `cli:<os user>`); null for a year installed from the maintained package. */
  readonly importedBy: string | null;
}

/** A stored calendar and its years, earliest first. */
export interface StoredCalendar {
  readonly code: string;
  readonly name: string;
  readonly timeZone: string;
  readonly utcOffsetMinutes: number;
  readonly weekendDays: readonly number[];
  readonly parentCode: string | null;
  readonly years: readonly StoredCalendarYear[];
}

/** A stored calendar with what it counts on: undefined `working` while it (or a parent) has no year yet. */
export interface CalendarEntry extends StoredCalendar {
  readonly working: WorkingCalendar | undefined;
}

/**
 * The calendar `code` and its parents (none when there is no such calendar), or every calendar; on a pool,
 * or in the transaction of an import, which validates against the years it reads. `union` (not `union all`)
 * ends the walk even if a parent chain were to loop.
 */
export async function readStoredCalendars(q: Queryable, code?: string): Promise<StoredCalendar[]> {
  const rows =
    code === undefined
      ? await q`select code, name, time_zone, utc_offset_minutes, weekend_days, parent_code from calendars order by code`
      : await q`with recursive chain as (
            select code, name, time_zone, utc_offset_minutes, weekend_days, parent_code from calendars where code = ${code}
            union
            select c.code, c.name, c.time_zone, c.utc_offset_minutes, c.weekend_days, c.parent_code
            from calendars c join chain on c.code = chain.parent_code)
          select * from chain`;
  const codes = rows.map((r) => r['code'] as string);
  const years = await q`select calendar_code, year, holidays, make_up_workdays, source, checksum, imported_at, imported_by
    from calendar_years where calendar_code = any(${codes}) order by calendar_code, year`;
  return rows.map((r) => ({
    code: r['code'] as string,
    name: r['name'] as string,
    timeZone: r['time_zone'] as string,
    utcOffsetMinutes: Number(r['utc_offset_minutes']),
    weekendDays: (r['weekend_days'] as number[]).map(Number),
    parentCode: (r['parent_code'] as string | null) ?? null,
    years: years
      .filter((y) => y['calendar_code'] === r['code'])
      .map((y) => ({
        year: Number(y['year']),
        holidays: y['holidays'] as string[],
        makeUpWorkdays: y['make_up_workdays'] as string[],
        source: y['source'] as string,
        checksum: y['checksum'] as string,
        importedAt: instant(y['imported_at']),
        importedBy: (y['imported_by'] as string | null) ?? null,
      })),
  }));
}

/**
 * The calendar data of `code` among `stored` (which holds its parents): its years on top of its parent's
 * data; undefined when it or a parent has no year of data yet.
 */
export function calendarDataOf(code: string, stored: readonly StoredCalendar[], seen: ReadonlySet<string> = new Set()): CalendarData | undefined {
  const calendar = stored.find((c) => c.code === code);
  if (!calendar || calendar.years.length === 0 || seen.has(code)) return undefined;
  const parent = calendar.parentCode === null ? undefined : calendarDataOf(calendar.parentCode, stored, new Set([...seen, code]));
  if (calendar.parentCode !== null && !parent) return undefined;
  const { timeZone, utcOffsetMinutes, weekendDays } = calendar;
  return calendarFromYears({ code, timeZone, utcOffsetMinutes, weekendDays, ...(parent ? { parent } : {}) }, calendar.years);
}

const entryOf = (calendar: StoredCalendar, stored: readonly StoredCalendar[]): CalendarEntry => {
  const data = calendarDataOf(calendar.code, stored);
  return { ...calendar, working: data && new WorkingCalendar(data) };
};

/** Every calendar with its years and what it counts on, by code. */
export async function listCalendars(sql: Sql): Promise<CalendarEntry[]> {
  const stored = await readStoredCalendars(sql);
  return stored.map((c) => entryOf(c, stored));
}

/** One calendar with its years and what it counts on; null when there is no such calendar. */
export async function findCalendar(sql: Sql, code: string): Promise<CalendarEntry | null> {
  const stored = await readStoredCalendars(sql, code);
  const calendar = stored.find((c) => c.code === code);
  return calendar ? entryOf(calendar, stored) : null;
}

/**
 * What calendar `code` counts on, read afresh (the engine's catalogue caches it).
 *
 * @throws CalendarNotFoundError when there is no such calendar.
 * @throws InvalidTimeLimitError when it, or a parent, has no year of data yet: nothing can be counted on it.
 */
export async function loadWorkingCalendar(sql: Sql, code: string): Promise<WorkingCalendar> {
  const entry = await findCalendar(sql, code);
  if (!entry) throw new CalendarNotFoundError(code);
  if (!entry.working) throw new InvalidTimeLimitError(`Calendar ${code} has no year of official data yet: import one before counting on it`, ['calendar']);
  return entry.working;
}
