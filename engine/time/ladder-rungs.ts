import { InvalidTimeLimitError } from '../errors.js';
import { worstColour, type Rung, type RungTrigger, type WarningColour } from './ladder.js';
import { epochDay } from './local-date.js';
import { clockStatus, type LegalClock } from './legal-clock.js';
import type { WorkingCalendar } from './working-calendar.js';

/**
 * A clock's ladder placed on its working time (the rules in `ladder.ts`): which rungs it has yet to reach and
 * when, reaching them once, and taking off those an extension moved it back before.
 */
/** A rung not yet reached and the instant it will be (null: not while the clock is paused or stopped). */
export interface PendingRung {
  readonly rung: Rung;
  readonly at: Date;
}

/**
 * The rungs of the clock's ladder not yet reached, each with the instant it will be, earliest first; none while
 * the clock is paused or stopped. A rung whose instant has passed (the clock moved past it while nobody looked)
 * is due at `now`.
 *
 * @example
 * pendingRungs(clock, cn, now)[0] // { rung: { name: 'yellow', … }, at: 2026-11-26T00:00+08:00 }
 */
export function pendingRungs(clock: LegalClock, calendar: WorkingCalendar, now: Date): PendingRung[] {
  const reached = new Set((clock.warnings ?? []).map((w) => w.rung));
  const ladder = clock.ladder ?? [];
  return placed(clock, calendar, now)
    .filter((p) => !reached.has(p.rung.name))
    // Rungs due at one instant (reached together) in the ladder's order.
    .sort((a, b) => a.at.getTime() - b.at.getTime() || ladder.indexOf(a.rung) - ladder.indexOf(b.rung));
}

/**
 * The clock with every rung due by `now` marked reached (once: one already on the ledger stays as it was), and
 * the rungs this reached, in the order they were due.
 */
export function reachRungs(clock: LegalClock, calendar: WorkingCalendar, now: Date): { clock: LegalClock; reached: Rung[] } {
  const due = pendingRungs(clock, calendar, now).filter((p) => p.at <= now);
  if (due.length === 0) return { clock, reached: [] };
  const warnings = [...(clock.warnings ?? []), ...due.map((p) => ({ rung: p.rung.name, at: now.toISOString() }))];
  return { clock: { ...clock, warnings }, reached: due.map((p) => p.rung) };
}

/**
 * The clock with the rungs it is no longer on taken off (an extension moved its due date later, or a calendar
 * import did), and the rungs taken off: a rung reached stays reached while the clock is still past it.
 */
export function clearRungs(clock: LegalClock, calendar: WorkingCalendar, now: Date): { clock: LegalClock; cleared: Rung[] } {
  const warnings = clock.warnings ?? [];
  if (warnings.length === 0 || clockStatus(clock, calendar, now).due === null) return { clock, cleared: [] };
  const stillPast = new Set(placed(clock, calendar, now).filter((p) => p.at <= now).map((p) => p.rung.name));
  const cleared = (clock.ladder ?? []).filter((r) => warnings.some((w) => w.rung === r.name) && !stillPast.has(r.name));
  if (cleared.length === 0) return { clock, cleared: [] };
  return { clock: { ...clock, warnings: warnings.filter((w) => stillPast.has(w.rung)) }, cleared };
}

/** The clock's colour: that of the highest rung it reached; green when none. */
export function clockColour(clock: LegalClock): WarningColour {
  const reached = new Set((clock.warnings ?? []).map((w) => w.rung));
  return worstColour((clock.ladder ?? []).filter((r) => reached.has(r.name)).map((r) => r.colour));
}

/** Each rung of the ladder at the instant its earliest trigger places it; none while paused or stopped. */
function placed(clock: LegalClock, calendar: WorkingCalendar, now: Date): PendingRung[] {
  const status = clockStatus(clock, calendar, now);
  if (!status.due || status.state === 'stopped') return [];
  const { receivedOn, pausedWorkingDays } = status.due.derivation;
  const received = epochDay(receivedOn);
  const total = status.budget + status.extensionWorkingDays;
  // The n-th counted working day after receipt: the pauses so far lie before every day not yet begun.
  const countedDay = (n: number): number => {
    const day = calendar.workingDayAfter(received, n + pausedWorkingDays);
    if (day === undefined) throw new InvalidTimeLimitError(`Clock ${clock.id}: working day ${n} lies past what calendar ${calendar.code} can count`, ['ladder']);
    return day;
  };
  // Counted day k has begun: at once when it already has (the clock moved past it), else at its local midnight.
  const begins = (k: number): Date => (k <= status.consumed ? now : calendar.endOfDay(countedDay(k) - 1));
  const instantOf = (t: RungTrigger): Date => {
    if ('overdueWorkingDays' in t) return t.overdueWorkingDays === 0 ? status.due!.due : calendar.endOfDay(countedDay(total + t.overdueWorkingDays));
    const k = 'remainingWorkingDays' in t ? total - t.remainingWorkingDays : Math.ceil((total * t.consumedPercent) / 100);
    return begins(Math.max(1, k));
  };
  return (clock.ladder ?? []).map((rung) => ({ rung, at: new Date(Math.min(...rung.when.map((t) => instantOf(t).getTime()))) }));
}
