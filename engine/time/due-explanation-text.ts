import type { DeadlineDerivation } from './deadline.js';

/** How a stored due date is shown: the instant, the local due date, whether provisional, and why, in words. */
export interface DueExplanation {
  /** The due instant, ISO 8601 (local midnight ending the due date). */
  readonly at: string;
  /** The local due date, `YYYY-MM-DD`; null when counted before derivations were kept. */
  readonly date: string | null;
  /**
   * True when the count reached past the calendar's horizon and judged some day on the statutory estimate:
   * the date may still move when the year's arrangement is imported. False also for a due date without a
   * derivation (not knowable: `because` says so).
   */
  readonly provisional: boolean;
  readonly derivation: DeadlineDerivation | null;
  /** "due on X because …", from the derivation kept with the date: nothing is counted again to say it. */
  readonly because: string;
}

/**
 * A stored due date explained from its derivation, without counting again: what `GET /api/cases/{id}` shows
 * for the case and each task. A due date stored before derivations were kept says so.
 *
 * @example
 * dueExplanation(task.dueAt, task.dueDerivation).because;
 * // 'due at the end of 2027-01-13: 20 working days on calendar cn (data sha256:3f2a1b9c…), day 1 the first
 * //  working day after receipt on 2026-12-14 (started 2026-12-11T10:30:00.000Z; a start after 17:00 local
 * //  time or on a day off counts as received on the next working day); past the calendar's horizon
 * //  2026-12-31 statutory holidays are estimated — provisional'
 */
export function dueExplanation(dueAt: Date, derivation: DeadlineDerivation | null): DueExplanation {
  const at = dueAt.toISOString();
  if (!derivation) {
    return { at, date: null, provisional: false, derivation: null, because: 'counted before due dates kept how they were counted: no derivation is on record' };
  }
  const { workingDays, calendarCode, calendarVersion, receivedOn, start, rule, dueDate, horizon, provisional } = derivation;
  const counted =
    `due at the end of ${dueDate}: ${workingDays} working day${workingDays === 1 ? '' : 's'} on calendar ${calendarCode} ` +
    `(data ${calendarVersion.slice(0, 15)}…), day 1 the first working day after receipt on ${receivedOn} ` +
    `(started ${start}; a start after ${rule.cutOffLocalTime} local time or on a day off counts as received on the next working day)`;
  const estimate = provisional
    ? `; past the calendar's horizon ${horizon} statutory holidays are estimated — provisional`
    : `; within the calendar's official data (to ${horizon})`;
  return { at, date: dueDate, provisional, derivation, because: counted + estimate };
}
