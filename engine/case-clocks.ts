import { randomUUID } from 'node:crypto';
import type { CaseEffect, NewTimer } from './case-effect.js';
import { timerId, type CaseId, type TaskId } from './ids.js';
import type { CountingRule } from './time/counting-rule.js';
import type { DeadlineDerivation } from './time/deadline.js';
import {
  clockStatus,
  pauseClock,
  pausesFor,
  resumeClock,
  startClock,
  STATUTORY_UNCOUNTED,
  stopClock,
  type ClockDerivation,
  type LegalClock,
  type PauseReason,
  type PauseReasonKind,
} from './time/legal-clock.js';
import { clockColour, pendingRungs } from './time/ladder-rungs.js';
import { DEFAULT_LADDER, worstColour, type Ladder, type WarningColour } from './time/ladder.js';
import { epochDay } from './time/local-date.js';
import type { WorkingCalendar } from './time/working-calendar.js';

/**
 * A case's clocks as one list (the case row's `clocks`): `legal` (法定时限) and `committed` (承诺时限) from
 * its start, one per task (`task:<key>`, started when the task opens), and those its definition starts by
 * name (`startClock`). Commands change the list through the functions here, and every clock whose due
 * instant a command moved has its timer moved in the same commit (`clockTimers`).
 */
export const LEGAL_CLOCK = 'legal';
export const COMMITTED_CLOCK = 'committed';
const TASK_CLOCK_PREFIX = 'task:';
export const taskClockId = (taskKey: string): string => `${TASK_CLOCK_PREFIX}${taskKey}`;
const isTaskClock = (id: string): boolean => id.startsWith(TASK_CLOCK_PREFIX);
/** The key of the task whose clock this is; null for the case's own clocks. */
export const taskKeyOf = (id: string): string | null => (isTaskClock(id) ? id.slice(TASK_CLOCK_PREFIX.length) : null);
const NOTICE_CLOCK_PREFIX = 'notice:';
/** The response limit of a supervision notice (督办) on the case: supervision's clock, not the case's. */
export const noticeClockId = (noticeId: string): string => `${NOTICE_CLOCK_PREFIX}${noticeId}`;
export const isNoticeClock = (id: string): boolean => id.startsWith(NOTICE_CLOCK_PREFIX);
/** The clocks the engine keeps itself; a definition starts others by name. */
export const isEngineClock = (id: string): boolean => id === LEGAL_CLOCK || id === COMMITTED_CLOCK || isTaskClock(id) || isNoticeClock(id);
/**
 * The case's own clocks (its limits and the definition's clocks, not a task's nor a supervision notice's): what
 * `pauseCaseClocks` and a special procedure stop. A 督办's response limit runs on whatever the case waits for.
 */
export const isCaseClock = (clock: LegalClock): boolean => !isTaskClock(clock.id) && !isNoticeClock(clock.id);

/** The send id of the case's own deadline timer (kind `case.deadline`): it follows the committed clock. */
export const CASE_DEADLINE_SEND_ID = 'case.deadline';
/** The send id of the deadline timer of the legal clock and of a definition's clocks (kind `clock.deadline`). */
export const clockSendId = (id: string): string => `clock:${id}`;

/**
 * What the applicant is told in writing when a definition stops the clocks (art. 45 asks for a written
 * notice of the time a procedure takes; art. 32 for the supplement), by reason.
 */
export const PAUSE_NOTICES: Readonly<Record<PauseReasonKind, string>> = {
  supplement: '申请材料不齐全或者不符合法定形式，申请人补正的期间不计入办理时限（《行政许可法》第三十二条）',
  hearing: '依法举行听证，所需时间不计入办理时限（《行政许可法》第四十五条）',
  tender: '依法招标、拍卖，所需时间不计入办理时限（《行政许可法》第四十五条）',
  testing: '依法检验、检测、检疫，所需时间不计入办理时限（《行政许可法》第四十五条）',
  'expert-review': '依法鉴定、专家评审，所需时间不计入办理时限（《行政许可法》第四十五条）',
  'public-notice': '依法公示，公示期间不计入办理时限',
  other: '依法律、法规规定不计入办理时限的期间',
  suspension: '办件依法中止，中止期间不计入办理时限',
};

/** What clock changes need to know of the case and the command. */
export interface ClockContext {
  readonly caseId: CaseId;
  readonly calendar: WorkingCalendar;
  readonly countingRule: CountingRule;
  readonly now: Date;
}

/** A due instant and how it was counted. */
export interface ClockDue {
  readonly due: Date;
  readonly derivation: ClockDerivation;
}

/** What a deadline timer waits for: a clock's due, or a new clock's `deadline()`. */
type TimerDue = { readonly due: Date; readonly derivation: DeadlineDerivation };

/**
 * A new running clock `id` of `budgetWorkingDays` from now, replacing one of that id; it takes the case's
 * terms (the extension policy, the procedures not counted and the warning ladder, pinned on its legal clock at
 * start) unless it is given its own ladder.
 */
export function startCaseClock(clocks: readonly LegalClock[], ctx: ClockContext, id: string, budgetWorkingDays: number, ladder?: Ladder): readonly LegalClock[] {
  const legal = clocks.find((c) => c.id === LEGAL_CLOCK);
  const started = startClock(ctx.calendar, {
    id,
    budgetWorkingDays,
    start: ctx.now,
    rule: ctx.countingRule,
    // A case started before clocks were kept has no legal clock: no extension, what the law leaves out.
    extensionPolicy: legal?.extensionPolicy ?? { maxWorkingDays: 0, maxTimes: 0 },
    uncounted: legal?.uncounted ?? STATUTORY_UNCOUNTED,
    ladder: ladder ?? legal?.ladder ?? DEFAULT_LADDER,
  });
  return [...clocks.filter((c) => c.id !== id), started];
}

/** Pauses the picked clocks that are running and whose law leaves this time out; the others stay as they are. */
export function pauseClocks(clocks: readonly LegalClock[], ctx: ClockContext, pick: (c: LegalClock) => boolean, reason: PauseReason): readonly LegalClock[] {
  return changed(clocks, (c) => (pick(c) && pausesFor(c, reason.kind) && stateOf(c, ctx) === 'running' ? pauseClock(c, ctx.calendar, ctx.now, reason) : c));
}

/** Resumes the picked clocks that are paused; the others stay as they are. */
export function resumeClocks(clocks: readonly LegalClock[], ctx: ClockContext, pick: (c: LegalClock) => boolean): readonly LegalClock[] {
  return changed(clocks, (c) => (pick(c) && stateOf(c, ctx) === 'paused' ? resumeClock(c, ctx.calendar, ctx.now) : c));
}

/** Stops the picked clocks that have not stopped (a decision made, a task closed, the case closed). */
export function stopClocks(clocks: readonly LegalClock[], now: Date, pick: (c: LegalClock) => boolean): readonly LegalClock[] {
  return changed(clocks, (c) => (pick(c) && c.stoppedAt === null ? stopClock(c, now) : c));
}

/**
 * The working days a task has taken by now on its clock (pauses left out), past its due too: the budget (and
 * extensions) it used up and the working days after its due date through today. Null without a clock.
 */
export function workingDaysTaken(clocks: readonly LegalClock[], taskKey: string, ctx: ClockContext): number | null {
  const clock = clocks.find((c) => c.id === taskClockId(taskKey));
  if (!clock) return null;
  const status = clockStatus(clock, ctx.calendar, ctx.now);
  if (!status.due || ctx.now <= status.due.due) return status.consumed;
  return status.budget + status.extensionWorkingDays + ctx.calendar.workingDaysBetween(epochDay(status.due.derivation.dueDate), ctx.calendar.localDay(ctx.now));
}

/** The clocks' last value among a commit's effects, if any changed them. */
export function latestClocks(effects: readonly CaseEffect[]): readonly LegalClock[] | undefined {
  return effects.findLast((e): e is Extract<CaseEffect, { type: 'case.clocks' }> => e.type === 'case.clocks')?.clocks;
}

/** The due instant a timer should wait for: none while paused or once stopped. */
export function dueOf(clock: LegalClock | undefined, ctx: ClockContext): ClockDue | null {
  if (!clock || clock.stoppedAt !== null) return null;
  return clockStatus(clock, ctx.calendar, ctx.now).due;
}

/** When the clock's next rung is due (none while paused or stopped, or with every rung reached). */
export function nextRungAt(clock: LegalClock | undefined, ctx: ClockContext): Date | null {
  return clock ? (pendingRungs(clock, ctx.calendar, ctx.now)[0]?.at ?? null) : null;
}

/**
 * What follows the clocks a command changed, in the same commit: for each clock whose due instant moved
 * (started, paused, resumed, extended, stopped) the timer at the old due is cancelled and one at the new due is
 * scheduled, and likewise its rung timer (`clock.rung`, at its next warning rung); and every colour that changed
 * (`colourEffects`). A task's clock drives its `task.deadline` timer and `dueAt` while the task is open (the
 * command that closes a task cancels its timers); the committed clock drives the case's `case.deadline` timer and
 * `dueAt` (paused, the case keeps its last known due); the legal clock and a definition's clocks drive a
 * `clock.deadline` timer each, whose firing sends `clock.expired` into the case.
 *
 * `openTasks` are the tasks open after the command by key; `openBefore` the ids of those open before it.
 */
export function followClocks(
  ctx: ClockContext,
  before: readonly LegalClock[],
  after: readonly LegalClock[],
  openTasks: ReadonlyMap<string, TaskId>,
  openBefore: ReadonlySet<string>,
): CaseEffect[] {
  const effects: CaseEffect[] = [];
  for (const clock of after) {
    const was = before.find((c) => c.id === clock.id);
    if (was === clock) continue;
    const [old, now] = [dueOf(was, ctx), dueOf(clock, ctx)];
    const [oldRung, newRung] = [nextRungAt(was, ctx), nextRungAt(clock, ctx)];
    const dueMoved = old?.due.getTime() !== now?.due.getTime();
    if (!dueMoved && oldRung?.getTime() === newRung?.getTime()) continue;
    const key = taskKeyOf(clock.id);
    if (key !== null) {
      const id = openTasks.get(key);
      if (!id) continue;
      // A task's timers are cancelled together (by its id): when one moves, both are placed again.
      const wasOpen = openBefore.has(id);
      if (wasOpen && (old || oldRung)) effects.push({ type: 'timer.cancel', match: { taskId: id } });
      if (now) effects.push({ type: 'timer.schedule', timer: taskDeadlineTimer(ctx, id, key, now) });
      if (now && wasOpen && dueMoved) effects.push({ type: 'task.reschedule', taskId: id, dueAt: now.due, dueDerivation: now.derivation });
      if (newRung) effects.push({ type: 'timer.schedule', timer: rungTimer(ctx, clock.id, id, newRung) });
      continue;
    }
    // A notice's response limit runs no deadline timer: its red rung marks the due, and its expiry is no event of
    // the case's process (a definition's `clock.expired` transition must not move the case on a 督办).
    if (dueMoved && !isNoticeClock(clock.id)) {
      const sendId = clock.id === COMMITTED_CLOCK ? CASE_DEADLINE_SEND_ID : clockSendId(clock.id);
      if (old) effects.push({ type: 'timer.cancel', match: { sendId } });
      if (now && clock.id === COMMITTED_CLOCK) effects.push({ type: 'timer.schedule', timer: caseDeadlineTimer(ctx, now) }, { type: 'case.reschedule', dueAt: now.due, dueDerivation: now.derivation });
      else if (now) effects.push({ type: 'timer.schedule', timer: clockDeadlineTimer(ctx, clock.id, now) });
    }
    if (oldRung?.getTime() !== newRung?.getTime()) {
      if (oldRung) effects.push({ type: 'timer.cancel', match: { sendId: rungSendId(clock.id) } });
      if (newRung) effects.push({ type: 'timer.schedule', timer: rungTimer(ctx, clock.id, null, newRung) });
    }
  }
  return [...effects, ...colourEffects(before, after, openTasks)];
}

/**
 * The colours that changed with the clocks: a task's (its clock's highest rung reached) while it is open, and
 * the case's, the worst of its clocks still counting (环节超时: one late step makes the case red).
 */
export function colourEffects(before: readonly LegalClock[], after: readonly LegalClock[], openTasks: ReadonlyMap<string, TaskId>): CaseEffect[] {
  const effects: CaseEffect[] = [];
  for (const clock of after) {
    const key = taskKeyOf(clock.id);
    const id = key === null ? undefined : openTasks.get(key);
    const was = before.find((c) => c.id === clock.id);
    if (id && was !== clock && clockColour(clock) !== (was ? clockColour(was) : 'green')) effects.push({ type: 'task.warn', taskId: id, level: clockColour(clock) });
  }
  const [old, now] = [caseColour(before), caseColour(after)];
  if (old !== now) effects.push({ type: 'case.warn', level: now });
  return effects;
}

/** The case's colour: the worst of its clocks that still count (a 督办's response limit is the notice's colour, not the case's). */
export function caseColour(clocks: readonly LegalClock[]): WarningColour {
  return worstColour(clocks.filter((c) => c.stoppedAt === null && !isNoticeClock(c.id)).map(clockColour));
}

/** The send id of a clock's rung timer (kind `clock.rung`). */
export const rungSendId = (id: string): string => `rung:${id}`;

/** The timer of a clock's next warning rung; a task's carries the task, so closing the task cancels it. */
export function rungTimer(ctx: ClockContext, clock: string, task: TaskId | null, at: Date): NewTimer {
  return { id: timerId(randomUUID()), caseId: ctx.caseId, kind: 'clock.rung', taskId: task, event: { type: 'clock.rung', clock }, sendId: rungSendId(clock), dueAt: at, dueDerivation: null };
}

export function taskDeadlineTimer(ctx: ClockContext, task: TaskId, key: string, at: TimerDue): NewTimer {
  return { id: timerId(randomUUID()), caseId: ctx.caseId, kind: 'task.deadline', taskId: task, event: { type: 'deadline.elapsed', task: key }, sendId: null, dueAt: at.due, dueDerivation: at.derivation };
}

export function caseDeadlineTimer(ctx: ClockContext, at: TimerDue): NewTimer {
  return { id: timerId(randomUUID()), caseId: ctx.caseId, kind: 'case.deadline', taskId: null, event: { type: 'case.deadline.elapsed' }, sendId: CASE_DEADLINE_SEND_ID, dueAt: at.due, dueDerivation: at.derivation };
}

export function clockDeadlineTimer(ctx: ClockContext, clock: string, at: TimerDue): NewTimer {
  return { id: timerId(randomUUID()), caseId: ctx.caseId, kind: 'clock.deadline', taskId: null, event: { type: 'clock.expired', clock }, sendId: clockSendId(clock), dueAt: at.due, dueDerivation: at.derivation };
}

function stateOf(clock: LegalClock, ctx: ClockContext) {
  return clockStatus(clock, ctx.calendar, ctx.now).state;
}

/** The list with `change` applied to each clock; the same list when nothing changed (so callers can tell). */
function changed(clocks: readonly LegalClock[], change: (c: LegalClock) => LegalClock): readonly LegalClock[] {
  const next = clocks.map(change);
  return next.every((c, i) => c === clocks[i]) ? clocks : next;
}
