import type { CountingRule } from './counting-rule.js';
import { deadline, type DeadlineDerivation } from './deadline.js';
import { DayKind } from './day-table.js';
import { holidayPeriods, type HolidayPeriod } from './holiday-periods.js';
import { epochDay, isoDateOf } from './local-date.js';
import type { WorkingCalendar } from './working-calendar.js';

/** Why a date between the start and the due date was not counted. */
export type SkipReason = 'weekend' | 'holiday' | 'statutory-holiday-estimate';

/**
 * A due date with every day that made it: what `GET /api/calendars/{code}/due-dates` answers. JSON as is.
 * Carries the whole derivation (`receivedOn`, `rule`, `calendarVersion`…) besides the fields. Its
 * lists are built for each call and belong to the caller (mutable, as response schemas type them).
 */
export interface DueDateExplanation extends DeadlineDerivation {
  /** The due instant, ISO 8601: local midnight ending the due date. */
  readonly due: string;
  /** The working days counted after the day of receipt, n = 1 … N. */
  readonly counted: { date: string; n: number }[];
  /**
   * Every day off from the start's local date to the due date, with its reason: a weekend, an official
   * holiday, or, past the horizon, a statutory holiday or its substitute as estimated (provisional).
   */
  readonly skipped: { date: string; reason: SkipReason }[];
  /** The make-up working days (调休, weekend days worked) among the counted ones. */
  readonly makeUpDaysUsed: string[];
  /** The skipped holidays (official or estimated) by period, each named after the law's holidays it is for. */
  readonly holidays: HolidayPeriod[];
}

const REASONS: Partial<Record<DayKind, SkipReason>> = {
  [DayKind.weekend]: 'weekend',
  [DayKind.holiday]: 'holiday',
  [DayKind.statutoryEstimate]: 'statutory-holiday-estimate',
};

/**
 * {@link deadline}, and the days that make it, for a person to check: slower (it lists every day), so the
 * engine stores deadlines with `deadline()` and answers the explainer route with this.
 *
 * @example
 * explainDueDate(cn, new Date('2026-09-30T10:00:00+08:00'), 3, DEFAULT_COUNTING_RULE);
 * // { dueDate: '2026-10-10', receivedOn: '2026-09-30', counted: [{ date: '2026-10-08', n: 1 }, …,
 * //   { date: '2026-10-10', n: 3 }], skipped: [{ date: '2026-10-01', reason: 'holiday' }, …],
 * //   makeUpDaysUsed: ['2026-10-10'], holidays: [{ holidays: ['national-day'], dates: ['2026-10-01', …], estimated: false }],
 * //   provisional: false, … }
 */
export function explainDueDate(calendar: WorkingCalendar, start: Date, workingDays: number, rule: CountingRule): DueDateExplanation {
  const { due, derivation } = deadline(calendar, start, workingDays, rule);
  const received = epochDay(derivation.receivedOn);
  const dueDay = epochDay(derivation.dueDate);
  const counted: { date: string; n: number }[] = [];
  const skipped: { date: string; reason: SkipReason }[] = [];
  const makeUpDaysUsed: string[] = [];
  const holidayDays: number[] = [];
  for (let day = calendar.localDay(start); day <= dueDay; day++) {
    const kind = calendar.kindOf(day) as DayKind;
    const reason = REASONS[kind];
    const date = isoDateOf(day);
    if (reason) {
      skipped.push({ date, reason });
      if (reason !== 'weekend') holidayDays.push(day);
    } else if (day > received) {
      counted.push({ date, n: counted.length + 1 });
      if (kind === DayKind.makeUp) makeUpDaysUsed.push(date);
    }
  }
  return { ...derivation, due: due.toISOString(), counted, skipped, makeUpDaysUsed, holidays: holidayPeriods(calendar, holidayDays) };
}
