import type { CalendarData } from './calendar-data.js';
import { DayKind, DayTable, isWorkingKind } from './day-table.js';
import { DAY_MS, epochDay, isoDateOf } from './local-date.js';

export type { CalendarData } from './calendar-data.js';

/**
 * A jurisdiction's working days, ready to count on: the official data up to its horizon, the statutory
 * estimate past it (`statutoryHolidays`). Immutable; the engine builds one per calendar and shares it.
 * Days are local epoch days (`local-date.ts`); `deadline()` and `explainDueDate()` count on them.
 */
export class WorkingCalendar {
  readonly code: string;
  readonly version: string;
  readonly timeZone: string;
  readonly utcOffsetMinutes: number;
  readonly source: string;
  /** First date counted on official data: the latest `since` of the calendar and its parents. */
  readonly since: string;
  /** Last date counted on official data: the earliest `horizon` of the calendar and its parents. */
  readonly horizon: string;
  readonly #offsetMs: number;
  readonly #table: DayTable;

  constructor(data: CalendarData) {
    const chain = ancestry(data);
    const since = Math.max(...chain.map((c) => epochDay(c.since)));
    const horizon = Math.min(...chain.map((c) => epochDay(c.horizon)));
    if (!(since <= horizon)) throw new RangeError(`Calendar ${data.code} covers no date: since ${data.since}, horizon ${data.horizon} (with its parents)`);
    this.code = data.code;
    this.version = data.version;
    this.timeZone = data.timeZone;
    this.utcOffsetMinutes = data.utcOffsetMinutes;
    this.source = data.source;
    this.#offsetMs = data.utcOffsetMinutes * 60_000;
    this.#table = new DayTable(since, horizon, officialDays(chain), data.weekendDays);
    this.since = isoDateOf(since);
    this.horizon = isoDateOf(this.#table.horizon);
  }

  /** The local calendar date of an instant, `YYYY-MM-DD`. */
  localDate(instant: Date): string {
    return isoDateOf(this.localDay(instant));
  }

  /** The local epoch day of an instant. */
  localDay(instant: Date): number {
    return Math.floor((instant.getTime() + this.#offsetMs) / DAY_MS);
  }

  /** Milliseconds from local midnight to the instant. */
  localTimeOfDay(instant: Date): number {
    const local = instant.getTime() + this.#offsetMs;
    return local - Math.floor(local / DAY_MS) * DAY_MS;
  }

  /** The end of a local day: local midnight starting the next one. */
  endOfDay(day: number): Date {
    return new Date((day + 1) * DAY_MS - this.#offsetMs);
  }

  /** What a local day is here; undefined before `since` or past the last countable year (2100). */
  kindOf(day: number): DayKind | undefined {
    return this.#table.kind(day);
  }

  /**
   * Whether a local date is a working day: official data up to the horizon, the statutory estimate past it.
   *
   * @example
   * cn.isWorkingDay('2026-10-10'); // true: a Saturday made a working day (调休)
   */
  isWorkingDay(localDate: string): boolean {
    const kind = this.#table.kind(epochDay(localDate));
    if (kind === undefined) throw new RangeError(`${localDate} is outside calendar ${this.code} (${this.since} to 2100)`);
    return isWorkingKind(kind);
  }

  /** The `n`-th working day (n ≥ 1) after local day `day` (whose kind is known), or undefined past 2100. */
  workingDayAfter(day: number, n: number): number | undefined {
    return this.#table.workingDay(this.#table.rankThrough(day) + n - 1);
  }

  /**
   * How many working days lie after local day `after` up to and including `through` (0 when `through` is not
   * later); two reads of the table's ranks. `after` must be a day whose kind is known.
   *
   * @example
   * // 30 September 2026 to 9 October: 1–7 October off, so 8 and 9 October
   * cn.workingDaysBetween(epochDay('2026-09-30'), epochDay('2026-10-09')); // 2
   */
  workingDaysBetween(after: number, through: number): number {
    if (through <= after) return 0;
    if (this.#table.kind(through) === undefined) throw new RangeError(`${isoDateOf(through)} is outside calendar ${this.code} (${this.since} to 2100)`);
    return this.#table.rankThrough(through) - this.#table.rankThrough(after);
  }
}

/** The calendar and its parents, the root first. */
function ancestry(data: CalendarData): CalendarData[] {
  return data.parent ? [...ancestry(data.parent), data] : [data];
}

/**
 * The official holidays and make-up days of a calendar and its parents, the calendar's own entry winning
 * (`CalendarData.parent`). Within one calendar a date is never both (`validateCalendarYear`).
 */
function officialDays(chain: readonly CalendarData[]): Map<number, DayKind> {
  const days = new Map<number, DayKind>();
  for (const data of chain) {
    for (const date of data.holidays) days.set(epochDay(date), DayKind.holiday);
    for (const date of data.makeUpWorkdays) days.set(epochDay(date), DayKind.makeUp);
  }
  return days;
}
