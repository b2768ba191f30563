import { InvalidTimeLimitError } from '../errors.js';
import { cutOffMs, openingMs, type CountingRule } from './counting-rule.js';
import { isWorkingKind } from './day-table.js';
import type { WorkingCalendar } from './working-calendar.js';

const HOUR_MS = 3_600_000;

/**
 * The instant `hours` working hours after `from`: working hours are those of a working day from the window's
 * opening to its cut-off (the counting rule's, local time); nights, days off and holidays are not counted. An
 * instant outside working hours counts from the next opening.
 *
 * @throws InvalidTimeLimitError for hours that are not a whole number from 1, or past what the calendar can count.
 * @example
 * // Friday 17 July 2026, 16:00 + 2 working hours (09:00–17:00): Monday 20 July, 10:00
 * afterWorkingHours(cn, new Date('2026-07-17T16:00:00+08:00'), 2, DEFAULT_COUNTING_RULE);
 */
export function afterWorkingHours(calendar: WorkingCalendar, from: Date, hours: number, rule: CountingRule): Date {
  if (!Number.isInteger(hours) || hours < 1) throw new InvalidTimeLimitError(`Working hours are a whole number from 1, not ${hours}`, ['hours']);
  const [opens, closes] = [openingMs(rule), cutOffMs(rule)];
  let left = hours * HOUR_MS;
  let day = calendar.localDay(from);
  let at = Math.max(from.getTime(), dayStart(calendar, day) + opens);
  // A day's working hours at a time: at most `hours` working days are walked, past days off.
  for (;;) {
    const kind = calendar.kindOf(day);
    if (kind === undefined) throw new InvalidTimeLimitError(`${hours} working hours from ${from.toISOString()} lie past what calendar ${calendar.code} can count`, ['hours']);
    const close = dayStart(calendar, day) + closes;
    if (isWorkingKind(kind) && at < close) {
      if (at + left <= close) return new Date(at + left);
      left -= close - at;
    }
    day += 1;
    at = dayStart(calendar, day) + opens;
  }
}

/** The local midnight that begins `day`. */
const dayStart = (calendar: WorkingCalendar, day: number): number => calendar.endOfDay(day - 1).getTime();
