import { ClockExtensionRefusedError, ClockPauseRefusedError, ClockStateError, InvalidCommandError, InvalidTimeLimitError } from '../errors.js';
import type { DepartmentCode } from '../ids.js';
import type { CountingRule } from './counting-rule.js';
import { validateLadder, type Ladder, type RungReached } from './ladder.js';
import { deadline, WORKING_DAYS_LIMITS, type DeadlineDerivation } from './deadline.js';
import { epochDay, isoDateOf } from './local-date.js';
import type { WorkingCalendar } from './working-calendar.js';

/**
 * A legal clock (计时) as a ledger, not a date: what was granted (budget, extensions) and what stopped the
 * count (pauses), from which everything else is derived by {@link clockStatus}. Plain JSON (stored in jsonb
 * as is); never changed in place: every command returns a new clock.
 *
 * The day rules, whole working days only (行政许可法 art. 82):
 * - The start is received as `deadline()` receives it (the service item's `CountingRule`); day 1 is the first
 *   working day after the day of receipt, which is not counted (民法典 art. 201).
 * - A working day is consumed as soon as it begins: the day in progress counts, so `remaining` is what is left
 *   after today, and the clock expires at the end of its last working day.
 * - A pause (art. 45: hearing, testing, expert review…; art. 32: a supplement) is rounded to local dates,
 *   whatever the hour: the day it begins (the notice is served) is still counted; counting resumes on the
 *   first working day after the day it ends (the supplement is received: a new day of receipt, not counted).
 *   The working days after the first date up to and including the second are not counted and move the due
 *   date by exactly their number: a pause begun and ended on one day costs nothing, nor does one spanning
 *   only days off. A pause begun on the last day of the budget leaves nothing to resume (unless extended).
 */
export interface LegalClock {
  readonly id: string;
  readonly calendarCode: string;
  readonly budgetWorkingDays: number;
  /** The instant the clock started (the application or task received), ISO 8601. */
  readonly start: string;
  readonly rule: CountingRule;
  readonly extensionPolicy: ExtensionPolicy;
  /**
   * The procedures whose time the law behind the limit does not count (art. 32, art. 45, or the item's own
   * law, e.g. a public notice); a pause for any other reason is refused. Absent on clocks stored before it
   * was kept: every reason.
   */
  readonly uncounted?: readonly PauseReasonKind[];
  /** The warning ladder it climbs (`ladder.ts`); absent on clocks stored before ladders were kept: none. */
  readonly ladder?: Ladder;
  /**
   * Who answers to the clock when that is neither a task's department (a `task:<key>` clock) nor the case's lead
   * department (the case's own clocks): a supervision notice's holding department (`notice:<id>`).
   */
  readonly holder?: DepartmentCode;
  /** The rungs it reached, each once, in order. */
  readonly warnings?: readonly RungReached[];
  /** In order; only the last may be open (`until: null`). */
  readonly pauses: readonly ClockPause[];
  readonly extensions: readonly ClockExtension[];
  /** When the clock stopped (decision made, case withdrawn), ISO 8601; null while it counts. */
  readonly stoppedAt: string | null;
}

/**
 * Why a clock stops counting: the time of art. 45, the supplement of art. 32, another legal ground named in the
 * text, or the case's suspension (中止), which no process starts: a person suspends the case with its legal basis.
 */
export const PAUSE_REASONS = ['supplement', 'hearing', 'expert-review', 'testing', 'public-notice', 'tender', 'other', 'suspension'] as const;
export type PauseReasonKind = (typeof PAUSE_REASONS)[number];

/**
 * What the Administrative Licensing Law itself leaves out of every limit: the supplement (art. 32) and the
 * hearing, tendering/auction, testing/inspection/quarantine and expert review (art. 45). A public notice, or
 * another ground, is left out only where the item's own law says so.
 */
export const STATUTORY_UNCOUNTED: readonly PauseReasonKind[] = ['supplement', 'hearing', 'tender', 'testing', 'expert-review'];

/**
 * Whether the clock's law leaves time of this kind out of its count. A suspended case (中止) is not being handled
 * at all: no limit counts that time, whatever its item's law lists.
 */
export function pausesFor(clock: LegalClock, kind: PauseReasonKind): boolean {
  return kind === 'suspension' || clock.uncounted === undefined || clock.uncounted.includes(kind);
}
export interface PauseReason {
  readonly kind: PauseReasonKind;
  /** What the applicant was told in writing (art. 45: how long it takes). */
  readonly text: string;
}

export interface ClockPause {
  /** ISO 8601 instants; `until` is null while the pause lasts. */
  readonly from: string;
  readonly until: string | null;
  readonly reason: PauseReason;
}

/** An extension (延期, art. 42): granted by `approver` (the head of the organ, or of the government), the applicant told why. */
export interface ClockExtension {
  readonly workingDays: number;
  readonly approver: string;
  readonly reason: string;
  readonly legalBasis: string;
  readonly at: string;
}

/** What a service item allows: at most `maxWorkingDays` in all, in at most `maxTimes` extensions (art. 42: 10 or 15, once). */
export interface ExtensionPolicy {
  readonly maxWorkingDays: number;
  readonly maxTimes: number;
}

export type ClockState = 'running' | 'paused' | 'stopped' | 'expired';

/** A due date's derivation (`deadline()`'s, counted over budget + extensions + paused days) and its three parts. */
export interface ClockDerivation extends DeadlineDerivation {
  readonly budgetWorkingDays: number;
  readonly extensionWorkingDays: number;
  readonly pausedWorkingDays: number;
}

/** A clock as read at an instant. */
export interface ClockStatus {
  readonly state: ClockState;
  readonly budget: number;
  /** Working days added by extensions, in all. */
  readonly extensionWorkingDays: number;
  /** Working days counted through the day of the reading (or of the stop), at most budget + extensions. */
  readonly consumed: number;
  /** budget + extensions − consumed. */
  readonly remaining: number;
  /** The end of the last working day, and why; null while paused (no timer runs) or when stopped in a pause. */
  readonly due: { readonly due: Date; readonly derivation: ClockDerivation } | null;
  /** True when a day counted or to count lies past the calendar's horizon (statutory estimate). */
  readonly provisional: boolean;
  /** Each pause with the working days it moved the due date by (0 while it lasts, or begun with no day left). */
  readonly pauses: readonly (ClockPause & { readonly workingDaysNotCounted: number })[];
  readonly extensions: readonly ClockExtension[];
}

/**
 * A running clock of `budgetWorkingDays` from `start`, under the service item's counting rule and extension policy.
 *
 * @throws InvalidTimeLimitError for a budget, start, rule or policy `deadline()` could not count on.
 * @example
 * const clock = startClock(cn, { id: 'case-1/legal', budgetWorkingDays: 20, start: new Date('2026-09-21T10:00:00+08:00'),
 *   rule: DEFAULT_COUNTING_RULE, extensionPolicy: { maxWorkingDays: 10, maxTimes: 1 }, uncounted: STATUTORY_UNCOUNTED });
 */
export function startClock(
  calendar: WorkingCalendar,
  init: { id: string; budgetWorkingDays: number; start: Date; rule: CountingRule; extensionPolicy: ExtensionPolicy; uncounted: readonly PauseReasonKind[]; ladder: Ladder },
): LegalClock {
  const unknown = init.uncounted.find((kind) => !PAUSE_REASONS.includes(kind));
  if (unknown !== undefined) throw new InvalidTimeLimitError(`uncounted names the pause reasons ${PAUSE_REASONS.join(', ')}, not ${JSON.stringify(unknown)}`, ['uncounted']);
  const { maxWorkingDays, maxTimes } = init.extensionPolicy;
  for (const [key, value] of Object.entries({ maxWorkingDays, maxTimes })) {
    if (!Number.isInteger(value) || value < 0 || value > WORKING_DAYS_LIMITS.max) {
      throw new InvalidTimeLimitError(`extensionPolicy.${key} must be a whole number from 0 to ${WORKING_DAYS_LIMITS.max}, not ${value}`, ['extensionPolicy', key]);
    }
  }
  deadline(calendar, init.start, init.budgetWorkingDays, init.rule); // refuses what cannot be counted
  return {
    id: init.id,
    calendarCode: calendar.code,
    budgetWorkingDays: init.budgetWorkingDays,
    start: init.start.toISOString(),
    rule: { cutOffLocalTime: init.rule.cutOffLocalTime, ...(init.rule.openingLocalTime ? { openingLocalTime: init.rule.openingLocalTime } : {}) },
    extensionPolicy: { maxWorkingDays, maxTimes },
    uncounted: [...init.uncounted],
    ladder: validateLadder(init.ladder),
    warnings: [],
    pauses: [],
    extensions: [],
    stoppedAt: null,
  };
}

/**
 * Stops the count at `at` (clock.paused); the day `at` falls on is still counted.
 *
 * @throws ClockStateError unless the clock is running at `at`; ClockPauseRefusedError for a reason its law counts
 *   (`uncounted`); InvalidCommandError for an unknown reason.
 * @example
 * pauseClock(clock, cn, new Date('2026-09-29T10:00:00+08:00'), { kind: 'supplement', text: '补正通知: 消防设计文件' });
 */
export function pauseClock(clock: LegalClock, calendar: WorkingCalendar, at: Date, reason: PauseReason): LegalClock {
  if (!PAUSE_REASONS.includes(reason.kind)) throw new InvalidCommandError(`A pause reason is one of ${PAUSE_REASONS.join(', ')}, not ${JSON.stringify(reason.kind)}`, ['reason', 'kind']);
  if (!pausesFor(clock, reason.kind)) throw new ClockPauseRefusedError(clock.id, reason.kind);
  const { state } = clockStatus(clock, calendar, after(clock, at));
  if (state !== 'running') throw new ClockStateError(clock.id, state, 'be paused');
  return { ...clock, pauses: [...clock.pauses, { from: at.toISOString(), until: null, reason: { kind: reason.kind, text: reason.text } }] };
}

/**
 * Ends the open pause at `at` (clock.resumed): counting resumes on the first working day after `at`'s date,
 * with the remaining budget; the due date moves by the working days paused.
 *
 * @throws ClockStateError unless the clock is paused.
 * @example
 * resumeClock(paused, cn, new Date('2026-10-09T15:00:00+08:00')); // 30 Sep, 8 and 9 Oct not counted
 */
export function resumeClock(clock: LegalClock, calendar: WorkingCalendar, at: Date): LegalClock {
  const { state } = clockStatus(clock, calendar, after(clock, at));
  const open = clock.pauses.at(-1);
  if (state !== 'paused' || open === undefined) throw new ClockStateError(clock.id, state, 'be resumed');
  const resumed = { ...clock, pauses: [...clock.pauses.slice(0, -1), { ...open, until: at.toISOString() }] };
  clockStatus(resumed, calendar, at); // refuses a due date past what the calendar can count
  return resumed;
}

/**
 * Adds working days to a running or paused clock (延期, art. 42), within its extension policy.
 *
 * @throws ClockExtensionRefusedError beyond the policy's days or times; ClockStateError once stopped or expired;
 *   InvalidTimeLimitError for a number of days that is not a whole number ≥ 1; InvalidCommandError without
 *   an approver, reason or legal basis.
 * @example
 * extendClock(clock, cn, { workingDays: 10, approver: 'head-of-bureau', reason: '现场核查未完成', legalBasis: '行政许可法第四十二条', at });
 */
export function extendClock(
  clock: LegalClock,
  calendar: WorkingCalendar,
  extension: { workingDays: number; approver: string; reason: string; legalBasis: string; at: Date },
): LegalClock {
  const { workingDays, approver, reason, legalBasis } = extension;
  if (!Number.isInteger(workingDays) || workingDays < 1) throw new InvalidTimeLimitError(`An extension is a whole number of working days from 1, not ${workingDays}`, ['workingDays']);
  for (const [key, text] of Object.entries({ approver, reason, legalBasis })) {
    if (text.trim() === '') throw new InvalidCommandError(`An extension names its ${key}`, [key]);
  }
  const status = clockStatus(clock, calendar, after(clock, extension.at));
  if (status.state === 'stopped' || status.state === 'expired') throw new ClockStateError(clock.id, status.state, 'be extended');
  const { maxWorkingDays, maxTimes } = clock.extensionPolicy;
  if (clock.extensions.length >= maxTimes) {
    throw new ClockExtensionRefusedError(clock.id, workingDays, `the service item allows ${maxTimes} extension${maxTimes === 1 ? '' : 's'}, and ${clock.extensions.length} ${clock.extensions.length === 1 ? 'was' : 'were'} granted`);
  }
  if (status.extensionWorkingDays + workingDays > maxWorkingDays) {
    throw new ClockExtensionRefusedError(clock.id, workingDays, `the service item allows ${maxWorkingDays} working days in all, and ${status.extensionWorkingDays} were granted`);
  }
  const extended = { ...clock, extensions: [...clock.extensions, { workingDays, approver, reason, legalBasis, at: extension.at.toISOString() }] };
  clockStatus(extended, calendar, extension.at); // refuses a due date past what the calendar can count
  return extended;
}

/**
 * Stops the clock for good at `at` (a decision made, the case withdrawn), late or not, paused or not.
 *
 * @throws ClockStateError when it has stopped already.
 * @example
 * stopClock(clock, new Date('2026-10-20T11:00:00+08:00'));
 */
export function stopClock(clock: LegalClock, at: Date): LegalClock {
  after(clock, at);
  if (clock.stoppedAt !== null) throw new ClockStateError(clock.id, 'stopped', 'be stopped');
  return { ...clock, stoppedAt: at.toISOString() };
}

/**
 * A stopped clock counting again from where it stopped, as if it never had: a completion taken back (撤回)
 * gives its task back the time it had, and the time since it stopped is the task's as well.
 */
export function reopenClock(clock: LegalClock): LegalClock {
  return clock.stoppedAt === null ? clock : { ...clock, stoppedAt: null };
}

/**
 * The clock read at `now`: state, budget, consumed and remaining working days, the due instant with its
 * derivation (what `deadline()` counts over budget + extensions + working days paused), and the ledger.
 *
 * @throws InvalidTimeLimitError for another calendar than the clock's, or a count past what it can count.
 * @example
 * // 20 working days from Mon 21 Sep 2026, paused 29 Sep–9 Oct for a supplement: 30 Sep, 8 and 9 Oct not counted
 * clockStatus(clock, cn, new Date('2026-10-12T09:00:00+08:00'));
 * // { state: 'running', consumed: 7, remaining: 13, due: { derivation: { dueDate: '2026-10-29', pausedWorkingDays: 3, … } }, … }
 */
export function clockStatus(clock: LegalClock, calendar: WorkingCalendar, now: Date): ClockStatus {
  if (calendar.code !== clock.calendarCode) throw new InvalidTimeLimitError(`Clock ${clock.id} counts on calendar ${clock.calendarCode}, not ${calendar.code}`, ['calendar']);
  const start = new Date(clock.start);
  const extensionWorkingDays = clock.extensions.reduce((sum, e) => sum + e.workingDays, 0);
  const total = clock.budgetWorkingDays + extensionWorkingDays;
  const received = epochDay(deadline(calendar, start, total, clock.rule).derivation.receivedOn);
  // Working days counted through `day`: after the day of receipt, less those inside the pauses so far.
  const countedThrough = (day: number) =>
    clock.pauses.reduce(
      (n, p) => n - calendar.workingDaysBetween(Math.max(calendar.localDay(new Date(p.from)), received), p.until === null ? day : Math.min(calendar.localDay(new Date(p.until)), day)),
      calendar.workingDaysBetween(received, day),
    );
  // A pause begun with days left moves the due date; those left when it began lie after it (art. 45).
  const pauses = clock.pauses.map((p) => {
    const from = Math.max(calendar.localDay(new Date(p.from)), received);
    const movesDue = p.until !== null && countedThrough(from) < total;
    return { ...p, workingDaysNotCounted: movesDue ? calendar.workingDaysBetween(from, calendar.localDay(new Date(p.until ?? p.from))) : 0 };
  });
  const pausedWorkingDays = pauses.reduce((sum, p) => sum + p.workingDaysNotCounted, 0);
  const open = clock.pauses.at(-1)?.until === null ? clock.pauses.at(-1) : undefined;
  const counted = deadline(calendar, start, total + pausedWorkingDays, clock.rule);
  const due = open ? null : { due: counted.due, derivation: { ...counted.derivation, budgetWorkingDays: clock.budgetWorkingDays, extensionWorkingDays, pausedWorkingDays } };
  const readAt = clock.stoppedAt !== null && new Date(clock.stoppedAt) < now ? new Date(clock.stoppedAt) : now;
  const lastDay = open ? calendar.localDay(new Date(open.from)) : epochDay(counted.derivation.dueDate);
  const consumed = Math.min(total, Math.max(0, countedThrough(Math.min(calendar.localDay(readAt), lastDay))));
  const state: ClockState = clock.stoppedAt !== null ? 'stopped' : open ? 'paused' : readAt >= counted.due ? 'expired' : 'running';
  const provisional = due ? due.derivation.provisional : isoDateOf(Math.max(lastDay, received)) > calendar.horizon;
  return { state, budget: clock.budgetWorkingDays, extensionWorkingDays, consumed, remaining: total - consumed, due, provisional, pauses, extensions: clock.extensions };
}

/** `at`, once it is known to be an instant no earlier than the ledger's last entry: a ledger is written in order. */
function after(clock: LegalClock, at: Date): Date {
  const entries = [clock.start, ...clock.pauses.flatMap((p) => [p.from, p.until ?? p.from]), ...clock.extensions.map((e) => e.at), clock.stoppedAt ?? clock.start];
  const last = Math.max(...entries.map((iso) => new Date(iso).getTime()));
  if (!(at instanceof Date) || !(at.getTime() >= last)) {
    throw new InvalidTimeLimitError(`Clock ${clock.id} was last written at ${new Date(last).toISOString()}; an entry at ${String(at)} would come before it`, ['at']);
  }
  return at;
}
