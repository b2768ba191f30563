import type { TaskRecord } from '../case-record.js';
import type { MachineStep } from '../case-snapshot.js';
import type { LockedCase } from '../case-store.js';
import { EVENT_BY_OUTCOME, type CaseEvent, type TaskOutcome } from '../definitions/case-machine.js';
import { declaredReturns } from '../definitions/declared-returns.js';
import { InvalidCommandError, ReturnNotAllowedError } from '../errors.js';
import { acceptedStep, type DecisionEnv } from './decision.js';

/** An outcome for a task with the opinion's text and, for a return, where to: what a completion, or a delegate's proposal (委派), names. */
export interface ProposedOutcome {
  readonly outcome: TaskOutcome;
  readonly text: string;
  readonly returnTo?: string | undefined;
}

/**
 * The machine's step if the task were completed so now: refused when a refusal or a return gives no reasons (422),
 * a return names a target the definition does not declare for the task, or the case in its state does not take it
 * (409). A delegate's proposal is checked by it as its holder's completion will be.
 */
export function completionStep(locked: LockedCase, task: TaskRecord, proposed: ProposedOutcome, env: DecisionEnv): { readonly event: CaseEvent; readonly step: MachineStep; readonly returnTo: string | undefined } {
  // A refusal or a return for correction (不予许可 / 补正) must say why: the applicant is owed the reasons.
  if (proposed.outcome !== 'approve' && proposed.text.trim() === '') {
    throw new InvalidCommandError(`A ${proposed.outcome} must give its reasons`, ['opinion', 'text']);
  }
  const to = returnTarget(proposed, task, env);
  const event: CaseEvent = {
    type: EVENT_BY_OUTCOME[proposed.outcome],
    task: task.key,
    department: task.departmentCode,
    ...(proposed.outcome === 'approve' ? {} : { reason: proposed.text }),
    ...(to ? { to } : {}),
  };
  return { event, step: acceptedStep(locked, event, env), returnTo: to };
}

/**
 * Where a return goes: the target the handler named, which the definition must declare for the task, or the
 * task's first declared one; none for a task whose definition declares no targets (its return is fixed).
 */
function returnTarget(proposed: ProposedOutcome, task: TaskRecord, env: DecisionEnv): string | undefined {
  const declared = declaredReturns(env.definition).get(task.key) ?? [];
  if (proposed.outcome !== 'return') {
    if (proposed.returnTo !== undefined) throw new InvalidCommandError('Only a return names a return target', ['returnTo']);
    return undefined;
  }
  if (proposed.returnTo === undefined) return declared[0]?.to;
  if (!declared.some((r) => r.to === proposed.returnTo)) throw new ReturnNotAllowedError(task.id, proposed.returnTo, declared.map((r) => r.to));
  return proposed.returnTo;
}
