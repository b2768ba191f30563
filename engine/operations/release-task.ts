import { authorizeRelease } from '../access/authorization-policy.js';
import { buildCommit } from '../case-commit.js';
import type { Actor } from '../access/actor.js';
import type { TaskId } from '../ids.js';
import type { CaseOperation } from './case-operation.js';
import { assertRunning, committed, unchanged } from './decision.js';
import { notify } from '../effect-planner.js';
import { ForbiddenError, TaskNotActionableError, TaskNotFoundError } from '../errors.js';
import { assertNotDelegated, isClosedTask } from './actionable-task.js';

/**
 * 释放: gives a claimed task back to its department's inbox. The holder releases their own claim; the
 * department's lead releases anyone's, so that a task is not stuck while its assignee is away.
 */
export interface ReleaseTask {
  readonly type: 'task.release';
  readonly actor: Actor;
  readonly taskId: TaskId;
  readonly expectedVersion?: number;
}

/**
 * `task.release` (释放): a claimed task goes back to its department's inbox, open to everyone of the
 * department again, and the department is told. Releasing a task nobody holds changes nothing, like
 * claiming one's own claim again. The audit event names whose claim was released, since a lead may
 * release someone else's.
 */
export const releaseTask: CaseOperation<ReleaseTask> = {
  type: 'task.release',
  permission: 'task.release',
  caseRef: (command) => ({ taskId: command.taskId }),
  decide(locked, command, env) {
    const task = locked.task;
    if (!task) throw new TaskNotFoundError(command.taskId);
    authorizeRelease(command.actor, task);
    if (isClosedTask(task)) throw new TaskNotActionableError(task.id, task.status);
    assertRunning(locked.case);
    assertNotDelegated(task);
    // A named signer's task is theirs by the definition: giving it back would leave the step without its signer.
    if (task.signerId !== null) throw new ForbiddenError('release this task', 'it is for its named signer, who signs it');
    if (task.assigneeId === null) return unchanged(locked);
    return committed(
      buildCommit(locked, env.now, {
        step: null,
        effects: [
          { type: 'task.release', taskId: task.id },
          notify({ caseId: locked.case.id }, { departmentCode: task.departmentCode }, 'task.released', { taskId: task.id, title: task.title }),
        ],
        auditType: 'task.released',
        actor: command.actor,
        data: { taskId: task.id, task: task.key, releasedClaimOf: task.assigneeId },
      }),
    );
  },
};
