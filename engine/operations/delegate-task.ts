import type { Actor } from '../access/actor.js';
import { assertHandles, type Colleague } from '../access/authorization-policy.js';
import { buildCommit } from '../case-commit.js';
import { notify } from '../effect-planner.js';
import { DelegationNotAllowedError, InvalidCommandError } from '../errors.js';
import type { TaskId } from '../ids.js';
import { actionableTask } from './actionable-task.js';
import type { CaseOperation } from './case-operation.js';
import { committed } from './decision.js';

/** 委派: the holder of a task hands it to a colleague, who acts on it and returns it for the holder to confirm. */
export interface DelegateTask {
  readonly type: 'task.delegate';
  readonly actor: Actor;
  readonly taskId: TaskId;
  /** The colleague, as the API found them in the users table; the engine decides whether they may handle the task. */
  readonly to: Colleague;
  /** What the delegate is asked to do: audited with the delegation. */
  readonly note: string;
  readonly expectedVersion?: number;
}

/**
 * `task.delegate` (委派, as Flowable's delegateTask): by whoever holds the task (an unclaimed one is claimed first), to
 * a person of its department whose roles handle its kind. The task stays the holder's to decide: the delegate holds it
 * (`delegation` pending, `delegatedBy` the holder) until they return it with a proposal (`task.delegation.resolve`) or
 * the holder takes it back (`task.delegation.recall`); meanwhile nobody completes, transfers, releases or delegates it
 * again. A named signer may delegate: the delegate drafts, the signer still confirms. The department is told.
 */
export const delegateTask: CaseOperation<DelegateTask> = {
  type: 'task.delegate',
  permission: 'task.delegate',
  caseRef: (command) => ({ taskId: command.taskId }),
  decide(locked, command, env) {
    const { actor, to } = command;
    const task = actionableTask(locked, command.taskId, actor, 'complete');
    if (task.assigneeId !== actor.userId) throw new DelegationNotAllowedError(task.id, 'only who holds it delegates it: claim it first');
    if (to.userId === actor.userId) throw new InvalidCommandError('A task is delegated to someone other than its holder.', ['to', 'userId']);
    assertHandles(to, task);
    return committed(
      buildCommit(locked, env.now, {
        step: null,
        effects: [
          { type: 'task.delegation', taskId: task.id, assigneeId: to.userId, delegatedBy: actor.userId, delegation: 'pending', proposal: null },
          notify({ caseId: locked.case.id }, { departmentCode: task.departmentCode }, 'task.delegated', { taskId: task.id, title: task.title, to: to.userId, by: actor.userId }),
        ],
        auditType: 'task.delegated',
        actor,
        data: { taskId: task.id, task: task.key, from: actor.userId, to: to.userId, note: command.note },
      }),
    );
  },
};
