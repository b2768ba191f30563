import { epochDay, firstDayOfYear, weekdayOf, yearOf } from './local-date.js';
import { STATUTORY_YEARS, statutoryHolidays } from './statutory-holidays.js';

/** What a date is on a calendar; a number so that a year of them is a small typed array. */
export const DayKind = { working: 0, weekend: 1, holiday: 2, makeUp: 3, statutoryEstimate: 4 } as const;
export type DayKind = (typeof DayKind)[keyof typeof DayKind];

export const isWorkingKind = (kind: DayKind): boolean => kind === DayKind.working || kind === DayKind.makeUp;

/** The last epoch day any calendar counts to: the statutory estimate ends with the lunar tables (2100). */
export const LAST_COUNTABLE_DAY = firstDayOfYear(STATUTORY_YEARS.last + 1) - 1;

/**
 * Every date of a calendar from its `since` on, precomputed: its kind, how many working days run up to it
 * (its rank) and the list of working days in order. The deadline is then two array reads: the receipt
 * day's rank, and the working day N ranks later. The official data fills the table up to the horizon at
 * construction; the statutory estimate past it is added a year at a time when a count first reaches it.
 * Growing the table is the only mutation, invisible from outside (the same question always gets the same
 * answer).
 */
export class DayTable {
  readonly since: number;
  readonly horizon: number;
  readonly #weekend: readonly boolean[];
  /** First epoch day not in the table yet. */
  #end: number;
  #kinds: Uint8Array;
  /** `#rank[day - since]`: working days in [since, day]. */
  #rank: Int32Array;
  #working: Int32Array;
  #workingCount = 0;

  constructor(since: number, horizon: number, official: ReadonlyMap<number, DayKind>, weekendDays: readonly number[]) {
    this.since = since;
    this.horizon = Math.min(horizon, LAST_COUNTABLE_DAY);
    this.#weekend = [0, 1, 2, 3, 4, 5, 6].map((d) => weekendDays.includes(d));
    this.#end = since;
    const days = Math.max(this.horizon - since + 1, 0) + 366;
    this.#kinds = new Uint8Array(days);
    this.#rank = new Int32Array(days);
    this.#working = new Int32Array(days);
    for (let day = since; day <= this.horizon; day++) this.#append(official.get(day) ?? this.#plain(day));
  }

  /** The kind of a date, or undefined before `since` or past what can be counted. */
  kind(day: number): DayKind | undefined {
    if (day < this.since || !this.#cover(day)) return undefined;
    return this.#kinds[day - this.since] as DayKind;
  }

  /** How many working days run from `since` through `day` (which {@link kind} has answered for). */
  rankThrough(day: number): number {
    return this.#rank[day - this.since] as number;
  }

  /** The working day of 0-based `rank` from `since`, or undefined past what can be counted. */
  workingDay(rank: number): number | undefined {
    while (rank >= this.#workingCount && this.#extend());
    return rank < this.#workingCount ? this.#working[rank] : undefined;
  }

  #cover(day: number): boolean {
    while (day >= this.#end) if (!this.#extend()) return false;
    return true;
  }

  /** Adds the rest of the year after the table's end, on the statutory estimate; false when it cannot. */
  #extend(): boolean {
    const year = yearOf(this.#end);
    if (this.#end > LAST_COUNTABLE_DAY || year < STATUTORY_YEARS.first) return false;
    const estimated = new Set(statutoryHolidays(year).map((d) => epochDay(d.date)));
    for (let day = this.#end; day < firstDayOfYear(year + 1); day++) {
      this.#append(estimated.has(day) ? DayKind.statutoryEstimate : this.#plain(day));
    }
    return true;
  }

  #plain(day: number): DayKind {
    return this.#weekend[weekdayOf(day)] ? DayKind.weekend : DayKind.working;
  }

  #append(kind: DayKind): void {
    const i = this.#end - this.since;
    if (i >= this.#kinds.length) this.#grow();
    this.#kinds[i] = kind;
    if (isWorkingKind(kind)) this.#working[this.#workingCount++] = this.#end;
    this.#rank[i] = this.#workingCount;
    this.#end += 1;
  }

  #grow(): void {
    const size = this.#kinds.length * 2;
    const kinds = new Uint8Array(size);
    const rank = new Int32Array(size);
    const working = new Int32Array(size);
    kinds.set(this.#kinds);
    rank.set(this.#rank);
    working.set(this.#working);
    this.#kinds = kinds;
    this.#rank = rank;
    this.#working = working;
  }
}
