import { randomUUID } from 'node:crypto';
import type { Actor } from '../access/actor.js';
import { buildCommit } from '../case-commit.js';
import type { OpinionVisibility } from '../case-command.js';
import type { CaseEffect } from '../case-effect.js';
import { EVENT_BY_OUTCOME, type CaseEvent, type TaskOutcome } from '../definitions/case-machine.js';
import { planEffects } from '../effect-planner.js';
import { InvalidCommandError } from '../errors.js';
import type { TaskId } from '../ids.js';
import { workingDaysTaken } from '../case-clocks.js';
import { actionableTask } from './actionable-task.js';
import { clockContext } from './clock-change.js';
import type { CaseOperation } from './case-operation.js';
import { acceptedStep, committed, planning } from './decision.js';

/** A department's decision on its task: approve, reject or return, with an opinion (审查意见). */
export interface CompleteTask {
  readonly type: 'task.complete';
  readonly actor: Actor;
  readonly taskId: TaskId;
  readonly outcome: TaskOutcome;
  readonly opinion: { readonly text: string; readonly visibility: OpinionVisibility };
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
    const event: CaseEvent = {
      type: EVENT_BY_OUTCOME[command.outcome],
      task: task.key,
      department: task.departmentCode,
      ...(command.outcome === 'approve' ? {} : { reason: command.opinion.text }),
    };
    const step = acceptedStep(locked, event, env);
    const effects: CaseEffect[] = [
      {
        type: 'task.complete',
        taskId: task.id,
        outcome: command.outcome,
        completedBy: command.actor.userId,
        at: env.now,
        workingDays: workingDaysTaken(locked.case.clocks, task.key, clockContext(locked, env)),
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
      ...planEffects(step.actions, planning(locked, env, step, { task, outcome: command.outcome })),
    ];
    return committed(
      buildCommit(locked, env.now, {
        step,
        effects,
        auditType: event.type,
        actor: command.actor,
        data: { taskId: task.id, task: task.key, outcome: command.outcome },
      }),
    );
  },
};
