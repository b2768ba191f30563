import type { CaseMachineConfig, OpenTaskParams, ReturnToParams, TaskKind } from './case-machine.js';

/**
 * Building blocks that process definitions share. They only assemble JSON in the engine's vocabulary,
 * so a definition built with them stays storable and diffable.
 */
export type StateConfig = NonNullable<CaseMachineConfig['states']>[string];

/** A task that opens when the state is entered and is cancelled if the state is left before it completes. */
export function taskState(task: OpenTaskParams, on: NonNullable<StateConfig['on']>): StateConfig {
  return {
    entry: [{ type: 'openTask', params: task }],
    exit: [{ type: 'cancelTask', params: { task: task.task } }],
    on,
  };
}

/** The transition taken when the named task completes with the given outcome; records the outcome. */
export function onOutcome(task: string, target: string) {
  return { guard: { type: 'taskIs' as const, params: { task } }, target, actions: ['recordOutcome' as const] };
}

/**
 * A return (退回) the handler may choose for a task: to the step `to` (shown as `title`), by the transition to
 * `target`; records the outcome, then runs `actions` (forgetting approvals, stopping clocks).
 */
export function onReturn<A extends readonly object[] = []>(r: ReturnToParams, target: string, actions?: A) {
  return { guard: { type: 'returnTo' as const, params: r }, target, actions: ['recordOutcome' as const, ...(actions ?? [])] };
}

export interface DepartmentReview {
  readonly department: string;
  readonly title: string;
  readonly workingDays: number;
  readonly kind?: TaskKind;
}
