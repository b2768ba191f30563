import type { CaseMachineConfig, OpenTaskParams, TaskKind } from './case-machine.js';
import { LEAD_DEPARTMENT } from './case-machine.js';

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

export interface DepartmentReview {
  readonly department: string;
  readonly title: string;
  readonly workingDays: number;
  readonly kind?: TaskKind;
}

/**
 * One region of a parallel joint review (并联审查): the department reviews; approval ends the region;
 * a return sends the application back to the lead department for correction and then to review again.
 * When the review is `rejectable`, a rejection ends the region too, in `rejected`: the other departments
 * still finish their reviews, so a joint refusal can give the applicant every department's reasons at
 * once (the machine's `rejections`), not only the first. The parallel state's `onDone` then chooses the
 * refusal with the `anyRejected` guard.
 */
export function reviewRegion(review: DepartmentReview, options: { readonly rejectable: boolean }): StateConfig {
  const reviewTask = `review.${review.department}`;
  const correctionTask = `correction.${review.department}`;
  return {
    initial: 'reviewing',
    states: {
      reviewing: taskState(
        { task: reviewTask, kind: review.kind ?? 'review', title: review.title, department: review.department, workingDays: review.workingDays },
        {
          'task.approved': onOutcome(reviewTask, 'approved'),
          'task.returned': onOutcome(reviewTask, 'correcting'),
          ...(options.rejectable ? { 'task.rejected': onOutcome(reviewTask, 'rejected') } : {}),
        },
      ),
      correcting: taskState(
        { task: correctionTask, kind: 'correction', title: `Correction for ${review.title}`, department: LEAD_DEPARTMENT, workingDays: 2 },
        { 'task.approved': onOutcome(correctionTask, 'reviewing') },
      ),
      approved: { type: 'final' },
      ...(options.rejectable ? { rejected: { type: 'final' } } : {}),
    },
  };
}
