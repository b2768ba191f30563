/**
 * A jurisdiction's working days (工作日历): weekends, public holidays and make-up working days (调休).
 * Pure and immutable; dates are local calendar dates written `YYYY-MM-DD`.
 */
export interface CalendarData {
  readonly code: string;
  /** Offset of local time from UTC in minutes; mainland China is +480 all year (no daylight saving). */
  readonly utcOffsetMinutes: number;
  /** Local dates that are not working days although they fall on a weekday. */
  readonly holidays: readonly string[];
  /** Local weekend dates that are working days (调休上班). */
  readonly makeUpWorkdays: readonly string[];
}

const DAY_MS = 86_400_000;

export class WorkingCalendar {
  readonly code: string;
  readonly #offsetMs: number;
  readonly #holidays: ReadonlySet<string>;
  readonly #makeUp: ReadonlySet<string>;

  constructor(data: CalendarData) {
    this.code = data.code;
    this.#offsetMs = data.utcOffsetMinutes * 60_000;
    this.#holidays = new Set(data.holidays);
    this.#makeUp = new Set(data.makeUpWorkdays);
  }

  /** The local calendar date of an instant, `YYYY-MM-DD`. */
  localDate(instant: Date): string {
    return new Date(instant.getTime() + this.#offsetMs).toISOString().slice(0, 10);
  }

  isWorkingDay(localDate: string): boolean {
    if (this.#makeUp.has(localDate)) return true;
    if (this.#holidays.has(localDate)) return false;
    const weekday = new Date(`${localDate}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }

  /**
   * The due instant of a budget of `workingDays` started at `from`: counting begins on the first working
   * day after the start date (the start day itself is not counted, as in administrative practice) and the
   * budget ends at local midnight closing its last working day.
   *
   * @example
   * // started Friday 2026-11-27, 3 working days: Mon 30, Tue 1, Wed 2 -> due Thu 2026-12-03T00:00+08:00
   * calendar.addWorkingDays(new Date('2026-11-27T10:00:00+08:00'), 3);
   */
  addWorkingDays(from: Date, workingDays: number): Date {
    if (!Number.isInteger(workingDays) || workingDays < 0) {
      throw new RangeError(`workingDays must be a non-negative integer, got ${workingDays}`);
    }
    let day = this.#startOfLocalDay(from);
    let remaining = workingDays;
    while (remaining > 0) {
      day += DAY_MS;
      if (this.isWorkingDay(new Date(day).toISOString().slice(0, 10))) remaining -= 1;
    }
    return new Date(day + DAY_MS - this.#offsetMs);
  }

  /** Local midnight of the instant's local date, expressed as a shifted epoch (local time as if UTC). */
  #startOfLocalDay(instant: Date): number {
    const local = instant.getTime() + this.#offsetMs;
    return local - (((local % DAY_MS) + DAY_MS) % DAY_MS);
  }
}
