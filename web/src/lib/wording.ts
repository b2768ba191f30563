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
