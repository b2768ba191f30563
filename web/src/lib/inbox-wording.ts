import type { Wording } from './wording.js';

/** The inbox's light: a warning level as a colour people read (with its word beside it: never colour alone). */
export type Light = 'green' | 'yellow' | 'red';
export const LIGHTS: readonly Light[] = ['green', 'yellow', 'red'];

/** The light of a task's `warningLevel`; a level the page does not know reads as green (nothing reached). */
export function lightOf(level: string): Light {
  return LIGHTS.find((l) => l === level) ?? 'green';
}

/**
 * A task's working days left as the inbox says them (`GET /api/tasks`' `remainingWorkingDays` and `clockState`):
 * "剩 3 个工作日" / "3 working days left", "今日到期" / "due today" on its last day, "超期 2 个工作日" / "2 working days
 * overdue", "已超期" / "overdue" past the due before a working day has passed, "计时暂停" with what is left while
 * paused; nothing for a task without a clock (done, or a case that kept none).
 */
export function workingDaysLeftText(days: number | null, state: string | null, w: Wording): string {
  if (days === null) return '';
  if (days < 0) return w.t('inbox.left.overdue', { n: -days }, -days);
  if (state === 'expired') return w.t('inbox.left.pastDue');
  if (state === 'paused') return w.t('inbox.left.paused', { n: days }, days);
  if (days === 0) return w.t('inbox.left.today');
  return w.t('inbox.left.days', { n: days }, days);
}

/**
 * The instant ending a Beijing calendar day, `YYYY-MM-DDT00:00:00+08:00` of the next day: the due instant of the
 * tasks due on that day, which the inbox's `dueBy` filter takes ("due by 10 December" includes those due that day).
 *
 * @example endOfBeijingDay('2026-12-31') // '2027-01-01T00:00:00+08:00'
 */
export function endOfBeijingDay(date: string): string {
  const next = new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000);
  return `${next.toISOString().slice(0, 10)}T00:00:00+08:00`;
}

/** What the inbox shows of a task's due (`Task.due`): the date and how it was counted. */
export interface DueFacts {
  readonly date: string | null;
  readonly provisional: boolean;
  readonly derivation: { readonly workingDays: number; readonly receivedOn: string; readonly dueDate: string; readonly horizon: string } | null;
}

/**
 * Why a task is due when it is, from the derivation kept with its due date (nothing counted here): "received
 * 2026-11-30; 5 working days counted from the next working day, the last 2026-12-07", and why a provisional date
 * may still move.
 */
export function dueExplanationText(due: DueFacts, w: Wording): string {
  const d = due.derivation;
  if (!d) return w.t('inbox.due.unexplained');
  const because = w.t('inbox.due.because', { n: d.workingDays, received: w.day(d.receivedOn), date: w.day(d.dueDate) }, d.workingDays);
  return due.provisional ? `${because} ${w.t('inbox.due.provisional', { horizon: w.day(d.horizon) })}` : because;
}
