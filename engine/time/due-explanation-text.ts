import type { DeadlineDerivation } from './deadline.js';
import { DAY_MS, epochDay, isoDateOf, weekdayName } from './local-date.js';

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
 * // 'due at the end of 2027-01-13: 20 working days on calendar cn (data sha256:3f2a1b9c…); received Friday
 * //  2026-12-11 18:05 (after 17:00): counted from Monday 2026-12-14, day 1 the working day after it; past
 * //  the calendar's horizon 2026-12-31 statutory holidays are estimated — provisional'
 */
export function dueExplanation(dueAt: Date, derivation: DeadlineDerivation | null): DueExplanation {
  const at = dueAt.toISOString();
  if (!derivation) {
    return { at, date: null, provisional: false, derivation: null, because: 'counted before due dates kept how they were counted: no derivation is on record' };
  }
  const { workingDays, calendarCode, calendarVersion, dueDate, horizon, provisional } = derivation;
  const counted =
    `due at the end of ${dueDate}: ${workingDays} working day${workingDays === 1 ? '' : 's'} on calendar ${calendarCode} ` +
    `(data ${calendarVersion.slice(0, 15)}…); ${receipt(derivation)}`;
  const estimate = provisional
    ? `; past the calendar's horizon ${horizon} statutory holidays are estimated — provisional`
    : `; within the calendar's official data (to ${horizon})`;
  return { at, date: dueDate, provisional, derivation, because: counted + estimate };
}

/**
 * The receipt as a clerk reads it: the local day and time, why it counts from a later day if it does (at or
 * after the cut-off, or a day off), and the day counted from.
 */
function receipt({ start, receivedOn, rule, utcOffsetMinutes }: DeadlineDerivation): string {
  const cutOff = rule.cutOffLocalTime;
  const countedFrom = `counted from ${weekdayName(epochDay(receivedOn))} ${receivedOn}, day 1 the working day after it`;
  // Derivations stored before the offset was kept: the instant, and the rule in words.
  if (utcOffsetMinutes === undefined) {
    return `started ${start} (a start at or after ${cutOff} local time or on a day off counts as received on the next working day): ${countedFrom}`;
  }
  const local = Date.parse(start) + utcOffsetMinutes * 60_000;
  const day = Math.floor(local / DAY_MS);
  const time = new Date(local).toISOString().slice(11, 16);
  const received = `received ${weekdayName(day)} ${isoDateOf(day)} ${time}`;
  if (isoDateOf(day) === receivedOn) return `${received} (before ${cutOff}): counted from that day, day 1 the working day after it`;
  // Received on a later day: at or after the cut-off, or (before it) on a day off. `HH:MM` compares as text.
  const why = time > cutOff ? `after ${cutOff}` : time === cutOff ? `at ${cutOff}, the cut-off` : 'a day off';
  return `${received} (${why}): ${countedFrom}`;
}
