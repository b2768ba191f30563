import { pauseKind } from '../../../diagram/diagram-labels.js';
import type { components } from '../api/schema.js';
import type { Wording } from './wording.js';

export type ClockStatus = components['schemas']['ClockStatus'];
type Derivation = NonNullable<ClockStatus['due']>['derivation'];

/**
 * A legal clock explained in words, from the structured ledger the API reads (`GET /api/cases/{id}/clocks`):
 * "due on X because: N working days from Y on calendar Z; paused M working days for …; extended by K working
 * days on … (reason …; legal basis …)". Nothing is counted again: every number is the API's.
 *
 * @example
 * clockExplanation(legal, wording);
 * // 'Due on 2027-01-05 because: 15 working days from 2026-11-30 09:00 on calendar cn; extended by 10 working days on …'
 */
export function clockExplanation(clock: ClockStatus, w: Wording): string {
  const reasons = [...budgetReasons(clock, w), ...clock.pauses.map((p) => pauseReason(p, w)), ...clock.extensions.map((e) => extensionReason(e, w))];
  const derivation = clock.due?.derivation;
  if (derivation?.provisional) reasons.push(w.t('case.explain.provisional', { horizon: w.day(derivation.horizon) }));
  return w.t('case.explain.sentence', { head: head(clock, w), reasons: reasons.join(w.t('case.explain.separator')) });
}

/** What the clock says now: its due date (or why it has none). */
function head(clock: ClockStatus, w: Wording): string {
  const date = clock.due ? w.day(clock.due.derivation.dueDate) : null;
  switch (clock.state) {
    case 'running':
      return date ? w.t('case.explain.dueOn', { date }) : w.t('case.explain.noDue');
    case 'expired':
      return date ? w.t('case.explain.expiredOn', { date }) : w.t('case.explain.noDue');
    case 'paused':
      return w.t('case.explain.pausedHead', { n: clock.remaining }, clock.remaining);
    case 'stopped':
      return date ? w.t('case.explain.stoppedDue', { n: clock.consumed, date }, clock.consumed) : w.t('case.explain.stoppedHead', { n: clock.consumed }, clock.consumed);
  }
}

/** The budget and where its count started; without a due date (paused) only the budget is known. */
function budgetReasons(clock: ClockStatus, w: Wording): string[] {
  const d = clock.due?.derivation;
  if (!d) return [w.t('case.explain.budgetOnly', { n: clock.budget }, clock.budget)];
  const budget = w.t('case.explain.budget', { n: d.budgetWorkingDays, start: w.instant(d.start), calendar: d.calendarCode }, d.budgetWorkingDays);
  return countedFromLaterDay(d) ? [budget, w.t('case.explain.countedFrom', { cutOff: d.rule.cutOffLocalTime, day: w.day(d.receivedOn) })] : [budget];
}

/** Whether the receipt counted as on a later day than it came (at or after the cut-off, or on a day off). */
export function countedFromLaterDay(d: Pick<Derivation, 'start' | 'receivedOn' | 'utcOffsetMinutes'>): boolean {
  const localDay = startDayOf(d);
  return localDay !== null && localDay !== d.receivedOn;
}

/** The start's date on the calendar (its offset is kept with it), or null when stored before the offset was kept. */
export function startDayOf(d: Pick<Derivation, 'start' | 'utcOffsetMinutes'>): string | null {
  if (d.utcOffsetMinutes === undefined) return null;
  return new Date(Date.parse(d.start) + d.utcOffsetMinutes * 60_000).toISOString().slice(0, 10);
}

function pauseReason(p: ClockStatus['pauses'][number], w: Wording): string {
  const reason = pauseKind(p.reason.kind, w);
  if (p.until === null) return w.t('case.explain.pausedSince', { reason, from: w.instant(p.from) });
  return w.t('case.explain.paused', { n: p.workingDaysNotCounted, reason, from: w.instant(p.from), until: w.instant(p.until) }, p.workingDaysNotCounted);
}

function extensionReason(e: ClockStatus['extensions'][number], w: Wording): string {
  return w.t('case.explain.extended', { n: e.workingDays, at: w.instant(e.at), reason: e.reason, basis: e.legalBasis }, e.workingDays);
}

/**
 * A clock's name: the legal (法定) and committed (承诺) limits, a task's limit by the task's title, a 督办's
 * answer limit; a clock the definition started by its id.
 */
export function clockName(id: string, taskTitle: (key: string) => string, w: Wording): string {
  if (id === 'legal' || id === 'committed') return w.t(`case.clock.${id}`);
  if (id.startsWith('task:')) return w.t('case.clock.task', { title: taskTitle(id.slice('task:'.length)) });
  if (id.startsWith('notice:')) return w.t('case.clock.notice');
  return id;
}
