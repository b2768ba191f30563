import type { CalendarYear } from '../../../engine/time/calendar-year.js';
import { CHINA_CALENDAR_BASE, chineseDaysYears } from '../../../engine/time/china-calendar.js';
import { calendarFromYears, type CalendarBase } from '../../../engine/time/calendar-year.js';
import { statutoryHolidays } from '../../../engine/time/statutory-holidays.js';

/**
 * A FICTIONAL 2027 arrangement, for tests only: no 2027 notice exists (LEGAL-TIME.md), and none may be
 * invented for `cn`. It keeps the statutory days and their substitutes off (so an import accepts it) and adds
 * Monday 4 January 2027 off, so that an import visibly moves a due date counted across New Year.
 */
export const FICTIONAL_2027: CalendarYear = {
  year: 2027,
  holidays: [...statutoryHolidays(2027).map((d) => d.date), '2027-01-04'],
  makeUpWorkdays: [],
  source: 'FICTIONAL test arrangement for 2027: no State Council notice for 2027 exists',
};

/** A test jurisdiction with mainland China's data (from the package) and its weekend: never `cn` itself. */
export const TEST_CALENDAR_BASE: CalendarBase = { ...CHINA_CALENDAR_BASE, code: 'test-cn' };

/** The test calendar as the package has it (to 2026), and with the fictional 2027 imported. */
export const testCalendarData = (with2027: boolean) =>
  calendarFromYears(TEST_CALENDAR_BASE, [...chineseDaysYears(2025, 2026), ...(with2027 ? [FICTIONAL_2027] : [])]);
