import { InvalidTimeLimitError } from '../errors.js';
import { cutOffMs, type CountingRule } from './counting-rule.js';
import { isWorkingKind } from './day-table.js';
import { isoDateOf } from './local-date.js';
import { STATUTORY_YEARS } from './statutory-holidays.js';
import type { WorkingCalendar } from './working-calendar.js';

/** Task and case budgets run from 1 working day (a same-day promise is 1) to ten years of them. */
export const WORKING_DAYS_LIMITS = { min: 1, max: 3650 } as const;

/**
 * How a due date came about, kept with it (jsonb) so that a case can say "due on X because …" without
 * counting again, and so that a recount on other data is visible as another version.
 */
export interface DeadlineDerivation {
  readonly calendarCode: string;
  /** `CalendarData.version` of the data counted on. */
  readonly calendarVersion: string;
  /** The instant the budget started, ISO 8601. */
  readonly start: string;
  readonly workingDays: number;
  readonly rule: CountingRule;
  /** The working day the start counts as received on, `YYYY-MM-DD`; day 1 is the working day after it. */
  readonly receivedOn: string;
  /** The Nth working day, `YYYY-MM-DD`; the budget ends when it ends. */
  readonly dueDate: string;
  /** True when the count reached past the horizon: some day was judged on the statutory estimate. */
  readonly provisional: boolean;
  /** The calendar's horizon when counted. */
  readonly horizon: string;
  /**
   * The calendar's offset from UTC in minutes, so that the start can be shown as the local receipt time a
   * clerk knows; absent from derivations stored before it was kept (they show the start as an instant).
   */
  readonly utcOffsetMinutes?: number;
}

/** A due instant and its derivation. */
export interface Deadline {
  /** The end of the Nth working day: local midnight starting the next day. */
  readonly due: Date;
  readonly derivation: DeadlineDerivation;
}

/**
 * The deadline of `workingDays` started at `start` under a service item's counting rule (`CountingRule`):
 * received on the start's local date if it is a working day and the start is before the cut-off, else on
 * the next working day; due at the end of the Nth working day after the day of receipt. Provisional exactly
 * when the due date is past the calendar's horizon (every date looked at lies between the start and the
 * due date). O(1): two reads of the calendar's precomputed table, no list built.
 *
 * @throws InvalidTimeLimitError for a budget outside 1–3650 whole days, a start that is no instant or lies
 *   before the calendar's data, a malformed rule, or a count past 2100.
 * @example
 * // received Wednesday 30 Sep 2026 at 10:00; 1 Oct–7 Oct off; day 1 is Thursday 8 Oct
 * deadline(cn, new Date('2026-09-30T10:00:00+08:00'), 1, DEFAULT_COUNTING_RULE).derivation.dueDate; // '2026-10-08'
 */
export function deadline(calendar: WorkingCalendar, start: Date, workingDays: number, rule: CountingRule): Deadline {
  if (!Number.isInteger(workingDays) || workingDays < WORKING_DAYS_LIMITS.min || workingDays > WORKING_DAYS_LIMITS.max) {
    throw new InvalidTimeLimitError(`workingDays must be a whole number from ${WORKING_DAYS_LIMITS.min} to ${WORKING_DAYS_LIMITS.max}, not ${workingDays}`, ['workingDays']);
  }
  if (!(start instanceof Date) || Number.isNaN(start.getTime())) throw new InvalidTimeLimitError('start must be a valid instant', ['start']);
  const cutOff = cutOffMs(rule);
  const startDay = calendar.localDay(start);
  const kind = calendar.kindOf(startDay);
  if (kind === undefined) {
    throw new InvalidTimeLimitError(`start ${calendar.localDate(start)} is outside calendar ${calendar.code}, which counts from ${calendar.since} to ${STATUTORY_YEARS.last}-12-31`, ['start']);
  }
  const receivedOn = isWorkingKind(kind) && calendar.localTimeOfDay(start) < cutOff ? startDay : calendar.workingDayAfter(startDay, 1);
  const dueDay = receivedOn === undefined ? undefined : calendar.workingDayAfter(receivedOn, workingDays);
  if (receivedOn === undefined || dueDay === undefined) {
    throw new InvalidTimeLimitError(
      `${workingDays} working days from ${calendar.localDate(start)} reach past what calendar ${calendar.code} can count: official data to ${calendar.horizon}, statutory estimates for ${STATUTORY_YEARS.first}–${STATUTORY_YEARS.last}`,
      ['workingDays'],
    );
  }
  const dueDate = isoDateOf(dueDay);
  return {
    due: calendar.endOfDay(dueDay),
    derivation: {
      calendarCode: calendar.code,
      calendarVersion: calendar.version,
      start: start.toISOString(),
      workingDays,
      rule: { cutOffLocalTime: rule.cutOffLocalTime },
      receivedOn: isoDateOf(receivedOn),
      dueDate,
      provisional: dueDate > calendar.horizon,
      horizon: calendar.horizon,
      utcOffsetMinutes: calendar.utcOffsetMinutes,
    },
  };
}
