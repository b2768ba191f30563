/**
 * Local calendar dates as numbers. A date `YYYY-MM-DD` is its epoch day: days since 1970-01-01, counted on
 * the calendar itself, so no time zone enters here (the calendar's offset turns an instant into its local
 * epoch day). Counting working days is then integer arithmetic on arrays indexed by epoch day.
 */

export const DAY_MS = 86_400_000;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The epoch day of `YYYY-MM-DD` (1970-01-01 is 0); NaN when the text is not a real date in that form. */
export function epochDay(isoDate: string): number {
  if (!ISO_DATE.test(isoDate)) return Number.NaN;
  const day = Date.UTC(Number(isoDate.slice(0, 4)), Number(isoDate.slice(5, 7)) - 1, Number(isoDate.slice(8, 10))) / DAY_MS;
  // Date.UTC rolls 2026-02-30 over into March: a real date comes back as itself.
  return isoDateOf(day) === isoDate ? day : Number.NaN;
}

/**
 * `YYYY-MM-DD` of an epoch day (years 1000–9999), by integer arithmetic: the deadline formats two dates per
 * computation, and going through `Date#toISOString` was most of its time.
 */
export function isoDateOf(day: number): string {
  // Howard Hinnant's civil_from_days: eras of 400 years (146,097 days) starting 0000-03-01.
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/** Day of the week of an epoch day, 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

/** The English name of an epoch day's day of the week, for messages and explanations (`Friday`). */
export function weekdayName(day: number): string {
  return WEEKDAY_NAMES[weekdayOf(day)] as string;
}

/** Epoch day of 1 January of `year`. */
export function firstDayOfYear(year: number): number {
  return Date.UTC(year, 0, 1) / DAY_MS;
}

/** The year an epoch day falls in. */
export function yearOf(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}
