import { buildCommit } from '../case-commit.js';
import type { CaseEffect } from '../case-effect.js';
import type { LockedCase } from '../case-store.js';
import type { TimerRecord } from '../case-record.js';
import { colourEffects, COMMITTED_CLOCK, nextRungAt, rungSendId, rungTimer, taskClockId } from '../case-clocks.js';
import { clearRungs } from '../time/ladder-rungs.js';
import { clockContext } from './clock-change.js';
import type { CaseId } from '../ids.js';
import { deadline, type DeadlineDerivation } from '../time/deadline.js';
import { clockStatus } from '../time/legal-clock.js';
import type { WorkingCalendar } from '../time/working-calendar.js';

type Counted = { readonly due: Date; readonly derivation: DeadlineDerivation };
import type { CaseOperation } from './case-operation.js';
import { committed, openTaskIndex, unchanged, type DecisionEnv } from './decision.js';

/** Sent by the deadline recompute walk (`workers/deadline-recompute.ts`) after calendar data changed; the actor is the system. */
export interface RecomputeDeadlines {
  readonly type: 'deadlines.recompute';
  readonly caseId: CaseId;
}

/** One deadline counted again, as the audit event lists it. */
export interface RecountedDeadline {
  /** `case`, `task` or the timer's kind (`task.deadline`, `case.deadline`, `clock.deadline`, `period`). */
  readonly what: string;
  readonly id: string;
  readonly old: { readonly dueAt: string; readonly dueDate: string; readonly provisional: boolean };
  readonly new: { readonly dueAt: string; readonly dueDate: string; readonly provisional: boolean };
  /** Whether the due instant changed (else only the derivation did: e.g. no longer provisional). */
  readonly moved: boolean;
  /** `calendar <code> data <old version> → <new version>`. */
  readonly reason: string;
}

/**
 * `deadlines.recompute`: counts again, on the calendar's current data, every deadline of a running case that
 * was counted on other data — the case's own, its open tasks' and its pending timers' (task and case
 * deadlines, periods) — with the same start, number of working days and counting rule, as its derivation
 * records them. A statutory-holiday estimate past the old horizon (provisional) is replaced by the imported
 * arrangement; a replaced year moves what it moves. Each such deadline takes its new due instant and
 * derivation (`task.reschedule`, `timer.reschedule`, `case.reschedule`), moved or not, so that the walk does
 * not find it again; one audit event `deadline.recomputed` lists old and new due date of each with the reason.
 *
 * A deadline that follows a clock is recounted as `clockStatus()` reads that clock on the new data (budget,
 * extensions and the working days paused, counted again), not from its start-time derivation: the case's own
 * deadline and its `case.deadline` timer follow the committed clock, a task and its deadline timer the task's
 * clock, a `clock.deadline` timer its clock. Without such a clock, or while it is paused, the deadline is
 * recounted from its derivation as before (the last known due).
 *
 * Deadlines without a derivation (counted before derivations were kept) are left alone: their start and
 * budget are not on record. The case's version stays: a handler's `expectedVersion` protects what the
 * handler saw, and a recount changes none of it. A closed case, or one whose deadlines are all current,
 * changes nothing.
 */
export const recomputeDeadlines: CaseOperation<RecomputeDeadlines> = {
  type: 'deadlines.recompute',
  permission: null,
  caseRef: (command) => ({ caseId: command.caseId, pendingTimers: true }),
  decide(locked, _command, env) {
    if (locked.case.status !== 'running') return unchanged(locked);
    const effects: CaseEffect[] = [];
    const recounted: RecountedDeadline[] = [];
    for (const item of deadlinesOf(locked)) {
      const recount = recountOn(env.calendar, item.dueAt, item.dueDerivation, clockDue(locked, item.clock, env.calendar, env.now));
      if (!recount) continue;
      effects.push(item.reschedule(recount.due, recount.derivation));
      recounted.push({ what: item.what, id: item.id, ...recount.listed });
    }
    if (effects.length === 0) return unchanged(locked);
    const rungs = rungsRecounted(locked, env);
    return committed(
      buildCommit(locked, env.now, {
        step: null,
        effects: [...effects, ...rungs.effects],
        auditType: 'deadline.recomputed',
        actor: 'system',
        data: { calendar: env.calendar.code, version: env.calendar.version, deadlines: recounted, ...(rungs.cleared.length > 0 ? { cleared: rungs.cleared } : {}) },
        keepVersion: true,
      }),
    );
  },
};

/** A deadline of the case with the effect that moves it. */
interface CaseDeadline {
  readonly what: string;
  readonly id: string;
  readonly dueAt: Date;
  readonly dueDerivation: DeadlineDerivation | null;
  /** The clock it follows (counted on that clock's reading while it runs), if any. */
  readonly clock: string | null;
  reschedule(dueAt: Date, dueDerivation: DeadlineDerivation): CaseEffect;
}

function deadlinesOf(locked: LockedCase): CaseDeadline[] {
  const c = locked.case;
  const taskKeys = new Map(locked.openTasks.map((t) => [t.id as string, t.key]));
  const clockOfTimer = (t: TimerRecord): string | null => {
    if (t.kind === 'case.deadline') return COMMITTED_CLOCK;
    if (t.kind === 'clock.deadline') return String(t.event['clock']);
    const key = t.kind === 'task.deadline' && t.taskId ? taskKeys.get(t.taskId) : undefined;
    return key === undefined ? null : taskClockId(key);
  };
  return [
    { what: 'case', id: c.id, dueAt: c.dueAt, dueDerivation: c.dueDerivation, clock: COMMITTED_CLOCK, reschedule: (dueAt, dueDerivation) => ({ type: 'case.reschedule', dueAt, dueDerivation }) },
    ...locked.openTasks.map((t): CaseDeadline => ({
      what: 'task',
      id: t.id,
      dueAt: t.dueAt,
      dueDerivation: t.dueDerivation,
      clock: taskClockId(t.key),
      reschedule: (dueAt, dueDerivation) => ({ type: 'task.reschedule', taskId: t.id, dueAt, dueDerivation }),
    })),
    ...locked.pendingTimers.map((t): CaseDeadline => ({
      what: t.kind,
      id: t.id,
      dueAt: t.dueAt,
      dueDerivation: t.dueDerivation,
      clock: clockOfTimer(t),
      reschedule: (dueAt, dueDerivation) => ({ type: 'timer.reschedule', timerId: t.id, dueAt, dueDerivation }),
    })),
  ];
}

/**
 * The warning rungs placed again on the new data: a rung reached that the clock is no longer past (its due
 * moved later) is taken off, with the colours it gave, and each rung timer moves to the clock's next rung.
 */
function rungsRecounted(locked: LockedCase, env: DecisionEnv): { effects: CaseEffect[]; cleared: string[] } {
  const ctx = clockContext(locked, env);
  const before = locked.case.clocks;
  const cleared: string[] = [];
  const clocks = before.map((c) => {
    const off = clearRungs(c, env.calendar, env.now);
    cleared.push(...off.cleared.map((r) => `${c.id}/${r.name}`));
    return off.clock;
  });
  const effects: CaseEffect[] = cleared.length === 0 ? [] : [{ type: 'case.clocks', clocks }, ...colourEffects(before, clocks, openTaskIndex(locked.openTasks).byKey)];
  for (const timer of locked.pendingTimers.filter((t) => t.kind === 'clock.rung')) {
    const clock = clocks.find((c) => c.id === timer.event['clock']);
    const next = nextRungAt(clock, ctx);
    if (!clock || next?.getTime() === timer.dueAt.getTime()) continue;
    effects.push({ type: 'timer.cancel', match: { sendId: rungSendId(clock.id) } });
    if (next) effects.push({ type: 'timer.schedule', timer: rungTimer(ctx, clock.id, timer.taskId, next) });
  }
  return { effects, cleared };
}

/** The clock's due on `calendar` (null without one, on another calendar, or while it is paused). */
function clockDue(locked: LockedCase, id: string | null, calendar: WorkingCalendar, now: Date): Counted | null {
  const clock = locked.case.clocks.find((c) => c.id === id);
  if (!clock || clock.calendarCode !== calendar.code) return null;
  return clockStatus(clock, calendar, now).due;
}

/**
 * The deadline counted again on `calendar` (on the committed clock's reading when given), or undefined when it
 * was counted on this data (or has no derivation).
 */
function recountOn(calendar: WorkingCalendar, dueAt: Date, was: DeadlineDerivation | null, fromClock: Counted | null) {
  if (!was || was.calendarVersion === calendar.version) return undefined;
  const { due, derivation } = fromClock ?? deadline(calendar, new Date(was.start), was.workingDays, was.rule);
  return {
    due,
    derivation,
    listed: {
      old: { dueAt: dueAt.toISOString(), dueDate: was.dueDate, provisional: was.provisional },
      new: { dueAt: due.toISOString(), dueDate: derivation.dueDate, provisional: derivation.provisional },
      moved: due.getTime() !== dueAt.getTime(),
      reason: `calendar ${calendar.code} data ${was.calendarVersion} → ${calendar.version}`,
    },
  };
}
