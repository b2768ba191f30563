import { assign, setup } from 'xstate';
import type { Ladder } from '../time/ladder.js';
import type { PauseReasonKind } from '../time/legal-clock.js';

/**
 * The vocabulary every process definition is written in. Definitions are JSON machine configs that name
 * these actions and guards (XState `setup()` registers the implementations by name), so a definition can
 * be stored, versioned and published without code. Side effects are never executed here: the named actions
 * come back from XState's pure `transition()` as data and the effect planner turns them into `CaseEffect`s.
 */

/** Who a task goes to: a department code, or the case's lead or intake department. */
export type TaskDepartment = string;
export const LEAD_DEPARTMENT = 'lead';
export const INTAKE_DEPARTMENT = 'intake';

export const TASK_KINDS = ['intake', 'review', 'countersign', 'correction', 'decision', 'licence'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

export const TASK_OUTCOMES = ['approve', 'reject', 'return'] as const;
export type TaskOutcome = (typeof TASK_OUTCOMES)[number];

export interface OpenTaskParams {
  /** Key of the task inside the definition, e.g. `review.fire`; at most one open task per key. */
  readonly task: string;
  readonly kind: TaskKind;
  readonly title: string;
  readonly department: TaskDepartment;
  /** Working-day budget of the task on the case's calendar: its clock (`task:<key>`). */
  readonly workingDays: number;
  /**
   * Reopened after a return (补正), the task continues its clock with the budget it had left — the clock
   * its return paused — instead of starting a new one. A task opened for the first time starts one.
   */
  readonly continueClock?: boolean | undefined;
  /** The warning ladder of the task's clock, when not the service item's. */
  readonly ladder?: Ladder | undefined;
}

export interface StartPeriodParams {
  /** Name of the period, e.g. `publicNotice`; `period.ended` carries it back. */
  readonly period: string;
  readonly workingDays: number;
}

/** Cancels a running period; compiling adds it on exit of the state that started it (`period-exits.ts`). */
export interface CancelPeriodParams {
  readonly period: string;
}

export interface IssueLicenceParams {
  readonly licenceType: string;
  readonly title: string;
}

export interface NotifyParams {
  readonly template: string;
}

/** Stops the case's clocks (`pauseCaseClocks`): the time of art. 45, or the supplement of art. 32. */
export interface PauseCaseClocksParams {
  readonly reason: PauseReasonKind;
}

/**
 * Starts a clock of the definition's own (e.g. a stage's limit) by name, of so many working days or of the
 * case's legal or committed limit; starting it again starts it anew. Its expiry sends `clock.expired`.
 */
export interface StartClockParams {
  readonly clock: string;
  readonly workingDays?: number | undefined;
  readonly limit?: 'legal' | 'committed' | undefined;
}

/** Stops a clock from counting for a reason its law leaves out of the limit (a running clock only). */
export interface PauseClockParams {
  readonly clock: string;
  readonly reason: PauseReasonKind;
}

/** Resumes, stops a clock by name: `legal`, `committed`, `task:<key>` or one the definition started. */
export interface ClockParams {
  readonly clock: string;
}

export interface OutcomeRecord {
  readonly outcome: TaskOutcome;
  readonly department: string;
  readonly reason?: string;
}

export interface Rejection {
  readonly task: string;
  readonly department: string;
  readonly reason: string;
}

export interface CaseContext {
  /** The latest outcome of each task key. */
  readonly outcomes: Readonly<Record<string, OutcomeRecord>>;
  /** Every rejection with its reasons, for the joint refusal (不予许可决定). */
  readonly rejections: readonly Rejection[];
}

/** Events in the past tense: what happened to the case. */
export type CaseEvent =
  | { type: 'task.approved' | 'task.rejected' | 'task.returned'; task: string; department: string; reason?: string }
  | { type: 'supplement.submitted' }
  | { type: 'period.ended'; period: string }
  | { type: 'deadline.elapsed'; task: string }
  /** A clock's due passed (the legal clock, or one the definition started). */
  | { type: 'clock.expired'; clock: string };

export const EVENT_BY_OUTCOME = {
  approve: 'task.approved',
  reject: 'task.rejected',
  return: 'task.returned',
} as const satisfies Record<TaskOutcome, CaseEvent['type']>;

/** The audit events of an outcome deemed by a rung of the service item's ladder (视为同意 / 视为不予同意). */
export const DEEMED_OUTCOME_EVENTS = { approve: 'task.deemed-approved', reject: 'task.deemed-rejected' } as const;

/** Actions without an implementation here are effects: the planner maps each by name. */
const effect = <P>() => (_: unknown, _params: P) => {};

export const caseMachineSetup = setup({
  types: {} as { context: CaseContext; events: CaseEvent },
  actions: {
    openTask: effect<OpenTaskParams>(),
    cancelTask: effect<{ task: string }>(),
    startPeriod: effect<StartPeriodParams>(),
    cancelPeriod: effect<CancelPeriodParams>(),
    issueLicence: effect<IssueLicenceParams>(),
    notifyApplicant: effect<NotifyParams>(),
    pauseCaseClocks: effect<PauseCaseClocksParams>(),
    resumeCaseClocks: effect<undefined>(),
    startClock: effect<StartClockParams>(),
    pauseClock: effect<PauseClockParams>(),
    resumeClock: effect<ClockParams>(),
    stopClock: effect<ClockParams>(),
    recordOutcome: assign(({ context, event }) => {
      if (!('task' in event) || !('department' in event)) return {};
      const outcome = (Object.keys(EVENT_BY_OUTCOME) as TaskOutcome[]).find((o) => EVENT_BY_OUTCOME[o] === event.type);
      if (!outcome) return {};
      const record: OutcomeRecord = { outcome, department: event.department, ...(event.reason ? { reason: event.reason } : {}) };
      return {
        outcomes: { ...context.outcomes, [event.task]: record },
        rejections:
          outcome === 'reject'
            ? [...context.rejections, { task: event.task, department: event.department, reason: event.reason ?? '' }]
            : context.rejections,
      };
    }),
  },
  guards: {
    taskIs: ({ event }, params: { task: string }) => 'task' in event && event.task === params.task,
    periodIs: ({ event }, params: { period: string }) => event.type === 'period.ended' && event.period === params.period,
    anyRejected: ({ context }) => context.rejections.length > 0,
  },
});

/** The JSON machine config a process definition holds. */
export type CaseMachineConfig = Parameters<typeof caseMachineSetup.createMachine>[0];
export type CaseMachine = ReturnType<typeof caseMachineSetup.createMachine>;
