import type { Actor } from '../access/actor.js';
import { buildCommit } from '../case-commit.js';
import { notify } from '../effect-planner.js';
import { DelegationNotAllowedError } from '../errors.js';
import type { TaskId } from '../ids.js';
import type { CaseOperation } from './case-operation.js';
import { committed } from './decision.js';
import { pendingDelegation } from './delegated-task.js';

/** 委派 taken back (收回): the holder takes a delegated task back before the delegate returns it. */
export interface RecallDelegation {
  readonly type: 'task.delegation.recall';
  readonly actor: Actor;
  readonly taskId: TaskId;
  readonly expectedVersion?: number;
}

/**
 * `task.delegation.recall`: by the holder who delegated it, while the delegation is pending. The task is claimed by
 * them again and no longer delegated, as if it never had been; the delegate learns it through the department's
 * notice. A returned delegation is the holder's already: there is nothing to take back.
 */
export const recallDelegation: CaseOperation<RecallDelegation> = {
  type: 'task.delegation.recall',
  permission: 'task.delegation.recall',
  caseRef: (command) => ({ taskId: command.taskId }),
  decide(locked, command, env) {
    const { actor } = command;
    const { task, holder, delegate } = pendingDelegation(locked, command.taskId, actor);
    if (holder !== actor.userId) throw new DelegationNotAllowedError(task.id, `only ${holder}, who delegated it, takes it back`);
    return committed(
      buildCommit(locked, env.now, {
        step: null,
        effects: [
          { type: 'task.delegation', taskId: task.id, assigneeId: holder, delegatedBy: null, delegation: null, proposal: null },
          notify({ caseId: locked.case.id }, { departmentCode: task.departmentCode }, 'task.delegation-recalled', { taskId: task.id, title: task.title, from: delegate, by: holder }),
        ],
        auditType: 'task.delegation-recalled',
        actor,
        data: { taskId: task.id, task: task.key, delegate, holder },
      }),
    );
  },
};
