import { calendarData, type CalendarData } from './calendar-data.js';
import { DayKind } from './day-table.js';
import { epochDay, weekdayName, weekdayOf, yearOf } from './local-date.js';
import { STATUTORY_YEARS, statutoryHolidays } from './statutory-holidays.js';
import type { WorkingCalendar } from './working-calendar.js';

/**
 * One year of a calendar's official data: the days off and the make-up working days (调休) of the State
 * Council's arrangement for that year (放假调休 notice), or of a region's. The unit that is imported.
 */
export interface CalendarYear {
  readonly year: number;
  /** Dates off; the weekend dates inside a holiday may be listed as the notice writes them (see below). */
  readonly holidays: readonly string[];
  /** Weekend dates that are working days. */
  readonly makeUpWorkdays: readonly string[];
  /** Where it comes from: the notice (e.g. `国办发明电〔2025〕7号`) or the package and its version. */
  readonly source: string;
}

/** A reason an imported year is refused, at a path into the {@link CalendarYear} (`holidays[3]`). */
export interface CalendarYearProblem {
  readonly path: string;
  readonly problem: string;
}

/** How a year is checked against the calendar it goes into. */
export interface CalendarYearOptions {
  /** Replace the year if the calendar has it already; without it an existing year is refused. */
  readonly replace?: boolean;
  /** The calendar's weekend (default Saturday and Sunday). */
  readonly weekendDays?: readonly number[];
  /**
   * What the calendar's parent counts on, when it extends one (a province's or autonomous region's calendar
   * on the national one): the year then lists only its own days — extra days off, extra working days — and
   * a day the parent has off or working counts as such unless the year lists it.
   */
  readonly parent?: Pick<WorkingCalendar, 'code' | 'kindOf'>;
}

const YEARS = { first: 1970, last: STATUTORY_YEARS.last };

/**
 * What is wrong with a year of official data, as problems with paths (none: it may be imported). Checked:
 * the year is in 1970–2100; every date is a real `YYYY-MM-DD` inside the year and listed once; make-up days
 * fall on days that would be off without them (the calendar's weekend, or a day its parent has off); no date
 * is both off and working; from 2025 every statutory day of 《全国年节及纪念日放假办法》 art. 2 is off —
 * listed here, or off on the parent and not made a working day here — (no notice makes one a working day: a
 * missing one is a typing error) and none is a make-up day; the year is not already final in `existing` (the years the calendar
 * has, all official) unless `replace` is set; and it continues the unbroken run of existing years (a gap
 * would leave the horizon where it is and the year unused).
 *
 * Weekend dates listed as holidays are accepted: the notice writes its ranges with them (“10月1日至7日放假”),
 * they change no count (off either way), and the explainer then names such a Saturday a holiday.
 *
 * @example
 * validateCalendarYear({ year: 2027, holidays: ['2027-01-01'], makeUpWorkdays: ['2027-01-04'], source: 'x' });
 * // [{ path: 'makeUpWorkdays[0]', problem: '2027-01-04 is a working Monday: …' }, …]
 */
export function validateCalendarYear(
  candidate: CalendarYear,
  existing: readonly CalendarYear[] = [],
  options: CalendarYearOptions = {},
): CalendarYearProblem[] {
  const { year } = candidate;
  if (!Number.isInteger(year) || year < YEARS.first || year > YEARS.last) {
    return [{ path: 'year', problem: `must be a whole year from ${YEARS.first} to ${YEARS.last}` }];
  }
  const problems: CalendarYearProblem[] = [];
  if (candidate.source.trim() === '') problems.push({ path: 'source', problem: 'must name the notice or package the days come from' });
  const offUnlisted = dayOffUnlisted(options);
  const holidays = checkDates(candidate, 'holidays', problems);
  const makeUp = checkDates(candidate, 'makeUpWorkdays', problems);
  candidate.makeUpWorkdays.forEach((date, i) => {
    const day = epochDay(date);
    if (makeUp.has(day) && !offUnlisted(day)) {
      const where = options.parent ? ` on calendar ${options.parent.code}` : '';
      problems.push({ path: `makeUpWorkdays[${i}]`, problem: `${date} is a working ${weekdayName(day)}${where}: only a day off can be made a working day` });
    }
    if (holidays.has(day)) problems.push({ path: `makeUpWorkdays[${i}]`, problem: `${date} is also listed as a holiday: a day is either off or working` });
  });
  if (year >= STATUTORY_YEARS.first) {
    for (const { date, holiday, substitute } of statutoryHolidays(year)) {
      const day = epochDay(date);
      if (substitute || holidays.has(day) || (offUnlisted(day) && !makeUp.has(day))) continue;
      problems.push({ path: 'holidays', problem: `${date} (${holiday}) is a statutory holiday (全国年节及纪念日放假办法 art. 2) but is not a day off here` });
    }
  }
  problems.push(...placeAmong(year, existing, options.replace === true));
  return problems;
}

/**
 * Whether a day is off when the year does not list it: the parent's holiday or estimated statutory day off
 * and its make-up day decide (as the merged calendar lets them: `WorkingCalendar`), else the calendar's own
 * weekend.
 */
function dayOffUnlisted(options: CalendarYearOptions): (day: number) => boolean {
  const weekend = options.weekendDays ?? [0, 6];
  return (day) => {
    const inherited = options.parent?.kindOf(day);
    if (inherited === DayKind.holiday || inherited === DayKind.statutoryEstimate) return true;
    if (inherited === DayKind.makeUp) return false;
    return weekend.includes(weekdayOf(day));
  };
}

/** The real dates of one list that fall inside the year, each listed once; problems for the rest. */
function checkDates(candidate: CalendarYear, list: 'holidays' | 'makeUpWorkdays', problems: CalendarYearProblem[]): Set<number> {
  const days = new Set<number>();
  candidate[list].forEach((date, i) => {
    const day = epochDay(date);
    const path = `${list}[${i}]`;
    if (Number.isNaN(day)) problems.push({ path, problem: `${JSON.stringify(date)} is not a date written YYYY-MM-DD` });
    else if (yearOf(day) !== candidate.year) problems.push({ path, problem: `${date} is not in ${candidate.year}` });
    else if (days.has(day)) problems.push({ path, problem: `${date} is listed twice` });
    else days.add(day);
  });
  return days;
}

/** Problems of the year's place among the existing ones: already final, or leaving a gap. */
function placeAmong(year: number, existing: readonly CalendarYear[], replace: boolean): CalendarYearProblem[] {
  const same = existing.find((y) => y.year === year);
  if (same) {
    return replace ? [] : [{ path: 'year', problem: `${year} is already final (from ${same.source}); import it with replace to replace it` }];
  }
  const run = unbrokenRun(existing);
  if (run && (year > run.last + 1 || year < run.first - 1)) {
    return [{ path: 'year', problem: `the calendar's data covers ${run.first}–${run.last}: import ${year > run.last ? run.last + 1 : run.first - 1} first` }];
  }
  return [];
}

/** The first year and the last year of the unbroken run of years starting with the earliest. */
function unbrokenRun(years: readonly CalendarYear[]): { first: number; last: number } | undefined {
  const have = new Set(years.map((y) => y.year));
  if (have.size === 0) return undefined;
  const first = Math.min(...have);
  let last = first;
  while (have.has(last + 1)) last += 1;
  return { first, last };
}

/** What a calendar is besides its years. */
export type CalendarBase = Pick<CalendarData, 'code' | 'timeZone' | 'utcOffsetMinutes'> & Partial<Pick<CalendarData, 'weekendDays' | 'parent'>>;

/**
 * A calendar from its years of official data. A year listed twice counts as its last listing (an import
 * after the package's year replaces it). The data covers the unbroken run of years from the earliest: its
 * horizon is the last day of the run's last year; years after a gap are left out (counting past the
 * horizon uses the statutory estimate, and `validateCalendarYear` refuses a year that would make a gap).
 *
 * @example
 * calendarFromYears({ code: 'cn', timeZone: 'Asia/Shanghai', utcOffsetMinutes: 480 }, [y2026, y2027]).horizon;
 * // '2027-12-31'
 */
export function calendarFromYears(base: CalendarBase, years: readonly CalendarYear[]): CalendarData {
  const byYear = new Map(years.map((y) => [y.year, y]));
  const run = unbrokenRun([...byYear.values()]);
  if (!run) throw new RangeError(`Calendar ${base.code} needs at least one year of data`);
  const covered = [...byYear.values()].filter((y) => y.year <= run.last).sort((a, b) => a.year - b.year);
  return calendarData({
    ...base,
    holidays: covered.flatMap((y) => y.holidays),
    makeUpWorkdays: covered.flatMap((y) => y.makeUpWorkdays),
    since: `${run.first}-01-01`,
    horizon: `${run.last}-12-31`,
    source: [...new Set(covered.map((y) => y.source))].join('; '),
  });
}
