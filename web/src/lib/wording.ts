/**
 * How a page says things, handed to the pure functions of `lib/` that build sentences: vue-i18n's `t` (a plural
 * count picks `day | days`), `te` (whether a message exists) and its date formats. The page passes
 * `useI18n()`'s; a unit test passes a real vue-i18n instance's, so both languages are checked as people read them.
 */
export interface Wording {
  t(key: string, named?: Record<string, unknown>, plural?: number): string;
  te(key: string): boolean;
  /** A date of the calendar, `YYYY-MM-DD` (a due date is a day, not an instant). */
  day(localDate: string): string;
  /** An instant, ISO 8601, to the minute. */
  instant(iso: string): string;
}

/**
 * A due as people read it: the day it falls due, not the instant ending that day. `date` is the day the API
 * counted, when it says; otherwise a due at a Beijing midnight is the day that midnight ends (a limit counted in
 * days ends at 24:00), and any other instant is shown to the minute.
 *
 * @example dueText(wording, null, '2026-12-04T16:00:00.000Z') // the day 2026-12-04, not "2026/12/05 00:00"
 */
export function dueText(wording: Wording, date: string | null | undefined, dueAt: string): string {
  if (date) return wording.day(date);
  const beijing = new Date(Date.parse(dueAt) + 8 * 3_600_000);
  const atMidnight = beijing.getUTCHours() === 0 && beijing.getUTCMinutes() === 0 && beijing.getUTCSeconds() === 0 && beijing.getUTCMilliseconds() === 0;
  if (!atMidnight) return wording.instant(dueAt);
  return wording.day(new Date(beijing.getTime() - 86_400_000).toISOString().slice(0, 10));
}
