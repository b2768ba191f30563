// The package's own data, as it ships it: the dates of every yearly notice it has (holidays, make-up days).
import packageJson from 'chinese-days/package.json' with { type: 'json' };
import days from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import type { CalendarData } from './calendar-data.js';
import { calendarFromYears, type CalendarBase, type CalendarYear } from './calendar-year.js';

/** Mainland China: Asia/Shanghai, +08:00 all year, Saturday and Sunday off. */
export const CHINA_CALENDAR_BASE: CalendarBase = { code: 'cn', timeZone: 'Asia/Shanghai', utcOffsetMinutes: 480, weekendDays: [0, 6] };

/** `chinese-days <version>`: the source every year from the package names. */
export const CHINESE_DAYS_SOURCE = `chinese-days ${packageJson.version}`;

const listed = [...Object.keys(days.holidays), ...Object.keys(days.workdays)].map((date) => Number(date.slice(0, 4)));

/**
 * The years the package has official data for (1.5.7: 2004–2026), read from its data; the package answers
 * "working day" for any weekday after them, holidays included, so it is never asked about a later date.
 */
export const CHINESE_DAYS_YEARS = { first: Math.min(...listed), last: Math.max(...listed) } as const;

/**
 * The package's years from `fromYear` to `toYear` (cut to the years it has), as imported years would be:
 * each year's days off as the State Council's notice gives them (weekend dates inside a holiday included)
 * and its make-up working days (调休).
 */
export function chineseDaysYears(fromYear: number = CHINESE_DAYS_YEARS.first, toYear: number = CHINESE_DAYS_YEARS.last): CalendarYear[] {
  const years: CalendarYear[] = [];
  for (let year = Math.max(fromYear, CHINESE_DAYS_YEARS.first); year <= Math.min(toYear, CHINESE_DAYS_YEARS.last); year++) {
    const inYear = (date: string) => date.startsWith(`${year}-`);
    years.push({
      year,
      holidays: Object.keys(days.holidays).filter(inYear).sort(),
      makeUpWorkdays: Object.keys(days.workdays).filter(inYear).sort(),
      source: CHINESE_DAYS_SOURCE,
    });
  }
  return years;
}

/**
 * Mainland China's working calendar from the `chinese-days` package (it follows the State Council's yearly
 * holiday notices), for `fromYear`–`toYear` cut to the years the package has; its horizon is the end of
 * the last of them (2026-12-31 with 1.5.7). Years it lacks are imported (`calendarFromYears` with the
 * imported years after these).
 *
 * @example
 * chinaCalendar(2024).horizon; // '2026-12-31'
 */
export function chinaCalendar(fromYear: number = CHINESE_DAYS_YEARS.first, toYear: number = CHINESE_DAYS_YEARS.last): CalendarData {
  return calendarFromYears(CHINA_CALENDAR_BASE, chineseDaysYears(fromYear, toYear));
}
