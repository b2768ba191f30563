// The package ships a UMD bundle as `main`: Node's ESM sees only its default export.
import chineseDays from 'chinese-days';
import type { CalendarData } from './working-calendar.js';

/**
 * Mainland China's working calendar for the years the `chinese-days` package knows (it follows the State
 * Council's yearly holiday notices): weekday holidays and weekend make-up working days (调休).
 */
export function chinaCalendar(fromYear: number, toYear: number): CalendarData & { holidays: string[]; makeUpWorkdays: string[] } {
  const holidays: string[] = [];
  const makeUpWorkdays: string[] = [];
  for (let day = Date.UTC(fromYear, 0, 1); day < Date.UTC(toYear + 1, 0, 1); day += 86_400_000) {
    const date = new Date(day);
    const iso = date.toISOString().slice(0, 10);
    const weekend = date.getUTCDay() === 0 || date.getUTCDay() === 6;
    const { work } = chineseDays.getDayDetail(iso);
    if (!weekend && !work) holidays.push(iso);
    if (weekend && work) makeUpWorkdays.push(iso);
  }
  return { code: 'cn', utcOffsetMinutes: 480, holidays, makeUpWorkdays };
}
