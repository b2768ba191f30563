import type { Actor } from '../access/actor.js';
import { authorizeUrge } from '../access/authorization-policy.js';
import { buildCommit } from '../case-commit.js';
import { notify } from '../effect-planner.js';
import { TaskNotActionableError, TaskNotFoundError } from '../errors.js';
import type { TaskId } from '../ids.js';
import type { CaseOperation } from './case-operation.js';
import { assertRunning, committed } from './decision.js';

/** 催办: a notice to the department holding an open task that it is waited for. */
export interface UrgeTask {
  readonly type: 'task.urge';
  readonly actor: Actor;
  readonly taskId: TaskId;
  readonly message: string;
}

/** Notifies the task's department and audits the urge; the case version stays (nothing a handler reads changed). */
export const urgeTask: CaseOperation<UrgeTask> = {
  type: 'task.urge',
  permission: 'task.urge',
  caseRef: (command) => ({ taskId: command.taskId }),
  decide(locked, command, env) {
    const task = locked.task;
    if (!task) throw new TaskNotFoundError(command.taskId);
    authorizeUrge(command.actor, task, locked.case);
    if (task.status !== 'open' && task.status !== 'claimed') throw new TaskNotActionableError(task.id, task.status);
    // A suspended case's work waits on its ground, not on the department: there is nothing to hurry.
    assertRunning(locked.case);
    const notice = { taskId: task.id, message: command.message, by: command.actor.userId, dueAt: task.dueAt.toISOString() };
    return committed(
      buildCommit(locked, env.now, {
        step: null,
        effects: [notify({ caseId: locked.case.id }, { departmentCode: task.departmentCode }, 'task.urged', notice)],
        auditType: 'task.urged',
        actor: command.actor,
        data: { taskId: task.id, task: task.key, department: task.departmentCode, message: command.message },
        // An urge changes no state a handler's expectedVersion protects.
        keepVersion: true,
      }),
    );
  },
};
