import { randomUUID } from 'node:crypto';
import type { Actor } from '../access/actor.js';
import { buildCommit } from '../case-commit.js';
import type { OpinionVisibility } from '../case-command.js';
import { EVENT_BY_OUTCOME, type CaseEvent, type TaskOutcome } from '../definitions/case-machine.js';
import { planEffects } from '../effect-planner.js';
import { InvalidCommandError, ReturnNotAllowedError } from '../errors.js';
import { openedIds, type CaseEffect } from '../case-effect.js';
import { declaredReturns } from '../definitions/declared-returns.js';
import type { TaskId } from '../ids.js';
import { workingDaysTaken } from '../case-clocks.js';
import { actionableTask } from './actionable-task.js';
import { clockContext } from './clock-change.js';
import type { CaseOperation } from './case-operation.js';
import { acceptedStep, committed, planning, type DecisionEnv } from './decision.js';
import type { MachineStep } from '../case-snapshot.js';

/** A department's decision on its task: approve, reject or return, with an opinion (审查意见). */
export interface CompleteTask {
  readonly type: 'task.complete';
  readonly actor: Actor;
  readonly taskId: TaskId;
  readonly outcome: TaskOutcome;
  readonly opinion: { readonly text: string; readonly visibility: OpinionVisibility };
  /** A return's target, among those the definition declares for the task (its first when not given). */
  readonly returnTo?: string | undefined;
  readonly expectedVersion?: number;
}

/**
 * Completes the task, records the opinion and moves the case on in the same commit: the machine takes
 * `task.approved` / `task.rejected` / `task.returned` and its actions become effects.
 */
export const completeTask: CaseOperation<CompleteTask> = {
  type: 'task.complete',
  permission: 'task.complete',
  caseRef: (command) => ({ taskId: command.taskId }),
  decide(locked, command, env) {
    const task = actionableTask(locked, command.taskId, command.actor, 'complete');
    // A refusal or a return for correction (不予许可 / 补正) must say why: the applicant is owed the reasons.
    if (command.outcome !== 'approve' && command.opinion.text.trim() === '') {
      throw new InvalidCommandError(`A ${command.outcome} must give its reasons`, ['opinion', 'text']);
    }
    const to = returnTarget(command, task.key, env);
    const event: CaseEvent = {
      type: EVENT_BY_OUTCOME[command.outcome],
      task: task.key,
      department: task.departmentCode,
      ...(command.outcome === 'approve' ? {} : { reason: command.opinion.text }),
      ...(to ? { to } : {}),
    };
    const step = acceptedStep(locked, event, env);
    const planned = planEffects(step.actions, planning(locked, env, step, { task, outcome: command.outcome }));
    const effects: CaseEffect[] = [
      {
        type: 'task.complete',
        taskId: task.id,
        outcome: command.outcome,
        completedBy: command.actor.userId,
        at: env.now,
        workingDays: workingDaysTaken(locked.case.clocks, task.key, clockContext(locked, env)),
        opened: openedIds(planned),
      },
      { type: 'timer.cancel', match: { taskId: task.id } },
      {
        type: 'opinion.record',
        opinion: {
          id: randomUUID(),
          caseId: locked.case.id,
          taskId: task.id,
          departmentCode: task.departmentCode,
          authorId: command.actor.userId,
          outcome: command.outcome,
          text: command.opinion.text,
          visibility: command.opinion.visibility,
          at: env.now,
        },
      },
      ...planned,
    ];
    return committed(
      buildCommit(locked, env.now, {
        step,
        effects,
        auditType: event.type,
        actor: command.actor,
        data: { taskId: task.id, task: task.key, outcome: command.outcome, ...(to ? { returnTo: to } : {}), ...decidedStep(task.key, step) },
      }),
    );
  },
};

/**
 * Where a return goes: the target the handler named, which the definition must declare for the task, or the
 * task's first declared one; none for a task whose definition declares no targets (its return is fixed).
 */
function returnTarget(command: CompleteTask, key: string, env: DecisionEnv): string | undefined {
  const declared = declaredReturns(env.definition).get(key) ?? [];
  if (command.outcome !== 'return') {
    if (command.returnTo !== undefined) throw new InvalidCommandError('Only a return names a return target', ['returnTo']);
    return undefined;
  }
  if (command.returnTo === undefined) return declared[0]?.to;
  if (!declared.some((r) => r.to === command.returnTo)) throw new ReturnNotAllowedError(command.taskId, command.returnTo, declared.map((r) => r.to));
  return command.returnTo;
}

/**
 * The countersign step this vote decided, with its outcome: the audit records when a step ended and how. A vote is
 * only taken while its step is undecided (a decided step is left at once), so a step with an outcome after the vote
 * was decided by it.
 */
function decidedStep(taskKey: string, step: MachineStep): { countersign?: { step: string; outcome: string } } {
  const decided = Object.entries(step.context.countersigns ?? {}).find(
    ([, s]) => s.outcome !== null && s.signers.some((signer) => signer.task === taskKey && signer.vote !== null),
  );
  return decided ? { countersign: { step: decided[0], outcome: decided[1].outcome ?? '' } } : {};
}
