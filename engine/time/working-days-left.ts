import { clockStatus, type ClockState, type LegalClock } from './legal-clock.js';
import { epochDay } from './local-date.js';
import type { WorkingCalendar } from './working-calendar.js';

/** What a person in an inbox reads of a clock: how many working days are left (negative: overdue) and why to trust it. */
export interface WorkingDaysLeft {
  /**
   * While the clock counts: budget + extensions − working days consumed (the day in progress is consumed, so 0 on
   * its last day: due at the end of today). Once its due has passed: minus the working days after its due date
   * through today (−2: two working days overdue; 0 on a day off right after the due). Paused: what it had left
   * when it stopped; stopped: what it had left then, or how late it stopped.
   */
  readonly workingDays: number;
  readonly state: ClockState;
  /** The due date was counted past the calendar's horizon, on the statutory estimate: it may still move. */
  readonly provisional: boolean;
}

/**
 * The working days `clock` has left at `now`, on its own calendar (the rules of `legal-clock.ts`): the inbox's
 * "3 working days left" / "2 working days overdue".
 *
 * @example
 * // 5 working days received Monday 30 Nov 2026: day 1 is Tuesday; read on Thursday 3 Dec, 3 are consumed
 * workingDaysLeft(clock, cn, new Date('2026-12-03T10:00:00+08:00')); // { workingDays: 2, state: 'running', provisional: false }
 * // read on Wednesday 9 Dec, two working days after its due date (Monday 7 Dec)
 * workingDaysLeft(clock, cn, new Date('2026-12-09T10:00:00+08:00')); // { workingDays: -2, state: 'expired', provisional: false }
 */
export function workingDaysLeft(clock: LegalClock, calendar: WorkingCalendar, now: Date): WorkingDaysLeft {
  const status = clockStatus(clock, calendar, now);
  const readAt = clock.stoppedAt !== null && new Date(clock.stoppedAt) < now ? new Date(clock.stoppedAt) : now;
  const { due } = status;
  const workingDays = due !== null && readAt >= due.due ? -calendar.workingDaysBetween(epochDay(due.derivation.dueDate), calendar.localDay(readAt)) : status.remaining;
  // `-0` would print as "0" anyway, but a JSON answer and a strict test tell them apart.
  return { workingDays: workingDays === 0 ? 0 : workingDays, state: status.state, provisional: status.provisional };
}
