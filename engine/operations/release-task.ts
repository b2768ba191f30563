import { authorizeRelease } from '../access/authorization-policy.js';
import { buildCommit } from '../case-commit.js';
import type { ReleaseTask } from '../case-command.js';
import type { CommandResult, DecisionEnv } from './decide-command.js';
import type { Decision, LockedCase } from '../case-store.js';
import { committed, unchanged } from './decision.js';
import { notify } from '../effect-planner.js';
import { CaseClosedError, TaskNotActionableError, TaskNotFoundError } from '../errors.js';

/**
 * `task.release` (释放): a claimed task goes back to its department's inbox, open to everyone of the
 * department again, and the department is told. Releasing a task nobody holds changes nothing, like
 * claiming one's own claim again. The audit event names whose claim was released, since a lead may
 * release someone else's.
 */
export function releaseTask(locked: LockedCase, command: ReleaseTask, env: DecisionEnv): Decision<CommandResult> {
  const task = locked.task;
  if (!task) throw new TaskNotFoundError(command.taskId);
  authorizeRelease(command.actor, task);
  if (task.status === 'completed' || task.status === 'cancelled') throw new TaskNotActionableError(task.id, task.status);
  if (locked.case.status !== 'running') throw new CaseClosedError(locked.case.id, locked.case.status);
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
}
