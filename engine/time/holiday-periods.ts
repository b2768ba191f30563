import { DayKind, isWorkingKind } from './day-table.js';
import { isoDateOf, yearOf } from './local-date.js';
import { STATUTORY_YEARS, statutoryHolidays, type StatutoryHoliday } from './statutory-holidays.js';
import type { WorkingCalendar } from './working-calendar.js';

/** A run of holidays a count stepped over, named after the law's holidays it is for ("国庆节" rather than seven dates). */
export interface HolidayPeriod {
  /**
   * The statutory holidays whose days fall in the run of days off around these dates, in date order: two when
   * they meet (Mid-Autumn and National Day, as in 2028); none for a day off the law does not name (a region's
   * own) or in a year before the 2024 revision, for which no statutory days are computed.
   */
  readonly holidays: StatutoryHoliday[];
  /** The holiday dates the count skipped, in order (weekend dates inside the notice's range are holidays too). */
  readonly dates: string[];
  /** Past the calendar's horizon: the statutory estimate, not an official arrangement (provisional). */
  readonly estimated: boolean;
}

/**
 * How far a run of days off is followed beyond the skipped dates to find its holiday: a count that starts
 * inside National Day week sees only its last days, while the law's days (1–3 October) are before them. Two
 * weeks hold the longest arrangement (the Spring Festival's 9 days in 2026) with its weekends.
 */
const LONGEST_RUN = 14;

/**
 * Groups skipped holiday days (local epoch days, ascending) into the periods they belong to — two dates are in
 * one period when only days off lie between them — and names each period after the statutory holidays whose
 * days (not their estimated substitutes: those always adjoin their day) fall in its run of days off.
 *
 * @example
 * holidayPeriods(cn, ['2026-10-01', …, '2026-10-07'].map(epochDay));
 * // [{ holidays: ['national-day'], dates: ['2026-10-01', …, '2026-10-07'], estimated: false }]
 */
export function holidayPeriods(calendar: WorkingCalendar, holidayDays: readonly number[]): HolidayPeriod[] {
  const groups: number[][] = [];
  for (const day of holidayDays) {
    const last = groups.at(-1);
    const previous = last?.at(-1);
    if (last && previous !== undefined && offBetween(calendar, previous, day)) last.push(day);
    else groups.push([day]);
  }
  return groups.map((days) => ({
    holidays: namesOf(calendar, days[0] as number, days.at(-1) as number),
    dates: days.map(isoDateOf),
    estimated: days.some((day) => calendar.kindOf(day) === DayKind.statutoryEstimate),
  }));
}

/** Whether every day strictly between two days is a day off. */
function offBetween(calendar: WorkingCalendar, from: number, to: number): boolean {
  for (let day = from + 1; day < to; day++) if (!isOff(calendar, day)) return false;
  return true;
}

const isOff = (calendar: WorkingCalendar, day: number): boolean => {
  const kind = calendar.kindOf(day);
  return kind !== undefined && !isWorkingKind(kind);
};

function namesOf(calendar: WorkingCalendar, first: number, last: number): StatutoryHoliday[] {
  let from = first;
  let to = last;
  while (first - from < LONGEST_RUN && isOff(calendar, from - 1)) from -= 1;
  while (to - last < LONGEST_RUN && isOff(calendar, to + 1)) to += 1;
  // ISO dates compare as text.
  const [since, until] = [isoDateOf(from), isoDateOf(to)];
  const names: StatutoryHoliday[] = [];
  for (let year = Math.max(yearOf(from), STATUTORY_YEARS.first); year <= Math.min(yearOf(to), STATUTORY_YEARS.last); year++) {
    for (const { date, holiday, substitute } of statutoryHolidays(year)) {
      if (!substitute && date >= since && date <= until && !names.includes(holiday)) names.push(holiday);
    }
  }
  return names;
}
