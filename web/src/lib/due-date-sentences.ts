import type { components } from '../api/schema.js';
import { countedFromLaterDay, startDayOf } from './clock-explanation.js';
import type { Wording } from './wording.js';

/** What the due-date explainer answers (`GET /api/calendars/{code}/due-dates`). */
export type DueDateExplanation = components['schemas']['DueDateExplanation'];
type SkipReason = DueDateExplanation['skipped'][number]['reason'];

/** The explainer's answer in sentences, every one built from the API's derivation: nothing is counted here. */
export interface DueDateSentences {
  /** "Due on 10/10/2026 (at the end of that day)". */
  readonly due: string;
  /** How the count ran: N working days from the start, received on which day, counted from the next. */
  readonly count: string;
  /** "Skipped: National Day (7 days, …); 2 weekend days" — holidays by name, weekends by number. */
  readonly skipped: string;
  /** The make-up working days (调休) that were counted, if any. */
  readonly makeUp: string | null;
  /** Why the date may still move (counted past the horizon), if it may. */
  readonly provisional: string | null;
}

/**
 * @example
 * dueDateSentences(answer, wording).skipped;
 * // 'Skipped: National Day (10/01/2026 – 10/07/2026, 7 days).' / '跳过：国庆节（2026/10/01 至 2026/10/07，共 7 天）。'
 */
export function dueDateSentences(e: DueDateExplanation, w: Wording): DueDateSentences {
  const countKey = countedFromLaterDay(e) ? 'calendars.explained.countLater' : 'calendars.explained.count';
  return {
    due: w.t('calendars.explained.due', { date: w.day(e.dueDate) }),
    count: w.t(countKey, { n: e.workingDays, start: w.instant(e.start), received: w.day(e.receivedOn), cutOff: e.rule.cutOffLocalTime }, e.workingDays),
    skipped: w.t('calendars.explained.skipped', { list: skippedList(e, w) }),
    makeUp:
      e.makeUpDaysUsed.length === 0
        ? null
        : w.t('calendars.explained.makeUp', { days: e.makeUpDaysUsed.map((d) => w.day(d)).join(w.t('calendars.explained.separator')) }, e.makeUpDaysUsed.length),
    provisional: e.provisional ? w.t('calendars.explained.provisional', { horizon: w.day(e.horizon) }) : null,
  };
}

function skippedList(e: DueDateExplanation, w: Wording): string {
  const parts = e.holidays.map((period) => {
    const name = period.holidays.length > 0 ? period.holidays.map((h) => w.t(`calendars.holiday.${h}`)).join(w.t('calendars.explained.and')) : w.t('calendars.explained.unnamedHoliday');
    const first = period.dates[0] as string;
    const last = period.dates.at(-1) as string;
    const range = first === last ? w.day(first) : w.t('calendars.explained.range', { from: w.day(first), to: w.day(last) });
    const estimated = period.estimated ? w.t('calendars.explained.estimated') : '';
    return w.t('calendars.explained.period', { name, range, n: period.dates.length }, period.dates.length) + estimated;
  });
  const weekends = e.skipped.filter((s) => s.reason === 'weekend').length;
  if (weekends > 0) parts.push(w.t('calendars.explained.weekends', { n: weekends }, weekends));
  return parts.length > 0 ? parts.join(w.t('calendars.explained.separator')) : w.t('calendars.explained.nothingSkipped');
}

/** One day from the start's to the due date, as the explainer's table lists it. */
export interface ExplainedDay {
  readonly date: string;
  /**
   * `counted` (day `n`; `makeUp` if a weekend day worked, 调休), the day of `receipt`, the start's own day when it
   * `arrivedLate` (after the cut-off), or why it was skipped.
   */
  readonly kind: 'counted' | 'makeUp' | 'receipt' | 'arrivedLate' | SkipReason;
  readonly n?: number;
}

/**
 * Every day the count went over, in order, for the table under the sentences.
 *
 * @example
 * explainedDays(answer).slice(0, 3);
 * // [{ date: '2026-09-28', kind: 'receipt' }, { date: '2026-09-29', kind: 'counted', n: 1 }, …]
 */
export function explainedDays(e: DueDateExplanation): ExplainedDay[] {
  const days = new Map<string, ExplainedDay>();
  for (const s of e.skipped) days.set(s.date, { date: s.date, kind: s.reason });
  const makeUp = new Set(e.makeUpDaysUsed);
  for (const c of e.counted) days.set(c.date, { date: c.date, kind: makeUp.has(c.date) ? 'makeUp' : 'counted', n: c.n });
  days.set(e.receivedOn, { date: e.receivedOn, kind: 'receipt' });
  const start = startDayOf(e);
  if (start !== null && !days.has(start)) days.set(start, { date: start, kind: 'arrivedLate' });
  return [...days.values()].sort((a, b) => a.date.localeCompare(b.date));
}

/**
 * The start as the API takes it: a calendar's local date and time (`YYYY-MM-DDTHH:mm`, as the date picker gives
 * it) with that calendar's offset, so that "10:00" means 10:00 where the calendar counts.
 *
 * @example instantOnCalendar('2026-09-28T10:00', 480); // '2026-09-28T10:00+08:00'
 */
export function instantOnCalendar(localDateTime: string, utcOffsetMinutes: number): string {
  const sign = utcOffsetMinutes < 0 ? '-' : '+';
  const minutes = Math.abs(utcOffsetMinutes);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${localDateTime}${sign}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}
