import { InvalidTimeLimitError } from '../errors.js';
import { worstColour, type Rung, type RungTrigger, type WarningColour } from './ladder.js';
import { epochDay } from './local-date.js';
import { clockStatus, type LegalClock } from './legal-clock.js';
import type { WorkingCalendar } from './working-calendar.js';
import { afterWorkingHours } from './working-hours.js';

/*
 * A clock's ladder placed on its working time (the rules in `ladder.ts`): which rungs it has yet to reach and
 * when, reaching them once, and taking off those an extension moved it back before.
 */

/** A rung (or one of its reminders: `reminder` ≥ 1) not yet reached, and the instant it will be. */
export interface PendingRung {
  readonly rung: Rung;
  readonly reminder: number;
  readonly at: Date;
}

/** How a rung or its n-th reminder is kept on the ledger: `yellow`, `yellow#2`. */
export const ledgerName = (rung: Rung, reminder: number): string => (reminder === 0 ? rung.name : `${rung.name}#${reminder}`);
const rungOf = (ledgerEntry: string): string => ledgerEntry.split('#')[0] ?? ledgerEntry;

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
    .filter((p) => !reached.has(ledgerName(p.rung, p.reminder)))
    // Rungs due at one instant (reached together) in the ladder's order, each before its reminders.
    .sort((a, b) => a.at.getTime() - b.at.getTime() || ladder.indexOf(a.rung) - ladder.indexOf(b.rung) || a.reminder - b.reminder);
}

/**
 * The clock with every rung due by `now` marked reached (once: one already on the ledger stays as it was), and
 * the rungs this reached, in the order they were due.
 */
export function reachRungs(clock: LegalClock, calendar: WorkingCalendar, now: Date): { clock: LegalClock; reached: PendingRung[] } {
  // Reached together, they go on the ledger in the ladder's order: a rung the clock moved past is placed at `now`
  // (its true instant is gone), so its instant would put it after a later rung whose instant is known.
  const ladder = clock.ladder ?? [];
  const due = pendingRungs(clock, calendar, now)
    .filter((p) => p.at <= now)
    .sort((a, b) => ladder.indexOf(a.rung) - ladder.indexOf(b.rung) || a.reminder - b.reminder);
  if (due.length === 0) return { clock, reached: [] };
  const warnings = [...(clock.warnings ?? []), ...due.map((p) => ({ rung: ledgerName(p.rung, p.reminder), at: now.toISOString() }))];
  return { clock: { ...clock, warnings }, reached: due };
}

/**
 * The clock with the rungs it is no longer on taken off (an extension moved its due date later, or a calendar
 * import did), and the rungs taken off: a rung reached stays reached while the clock is still past it.
 */
export function clearRungs(clock: LegalClock, calendar: WorkingCalendar, now: Date): { clock: LegalClock; cleared: Rung[] } {
  const warnings = clock.warnings ?? [];
  if (warnings.length === 0 || clockStatus(clock, calendar, now).due === null) return { clock, cleared: [] };
  // A rung the clock is no longer past is taken off with its reminders (they come again if it climbs back).
  const stillPast = new Set(placed(clock, calendar, now).filter((p) => p.at <= now && p.reminder === 0).map((p) => p.rung.name));
  const cleared = (clock.ladder ?? []).filter((r) => warnings.some((w) => w.rung === r.name) && !stillPast.has(r.name));
  if (cleared.length === 0) return { clock, cleared: [] };
  return { clock: { ...clock, warnings: warnings.filter((w) => stillPast.has(rungOf(w.rung))) }, cleared };
}

/** The clock's colour: that of the highest rung it reached; green when none. */
export function clockColour(clock: LegalClock): WarningColour {
  const reached = new Set((clock.warnings ?? []).map((w) => rungOf(w.rung)));
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
  // Reminders count from when the rung was reached (from when it will be, until then).
  const reachedAt = new Map((clock.warnings ?? []).map((w) => [w.rung, new Date(w.at)]));
  return (clock.ladder ?? []).flatMap((rung) => {
    const at = new Date(Math.min(...rung.when.map((t) => instantOf(t).getTime())));
    const from = reachedAt.get(rung.name) ?? at;
    const reminders = Array.from({ length: rung.remind?.times ?? 0 }, (_, i) => ({ rung, reminder: i + 1, at: afterWorkingHours(calendar, from, (i + 1) * (rung.remind?.everyWorkingHours ?? 1), clock.rule) }));
    return [{ rung, reminder: 0, at }, ...reminders];
  });
}
