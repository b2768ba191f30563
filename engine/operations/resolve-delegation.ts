import type { Actor } from '../access/actor.js';
import { buildCommit } from '../case-commit.js';
import type { OpinionVisibility } from '../case-command.js';
import type { TaskOutcome } from '../definitions/case-machine.js';
import { notify } from '../effect-planner.js';
import { DelegationNotAllowedError } from '../errors.js';
import type { TaskId } from '../ids.js';
import type { CaseOperation } from './case-operation.js';
import { completionStep } from './completion.js';
import { committed } from './decision.js';
import { pendingDelegation } from './delegated-task.js';

/** 委派 returned (退回确认): the delegate gives the task back to its holder with the outcome and opinion they propose. */
export interface ResolveDelegation {
  readonly type: 'task.delegation.resolve';
  readonly actor: Actor;
  readonly taskId: TaskId;
  readonly outcome: TaskOutcome;
  readonly opinion: { readonly text: string; readonly visibility: OpinionVisibility };
  readonly expectedVersion?: number;
}

/**
 * `task.delegation.resolve` (as Flowable's resolveTask): by the delegate, while the delegation is pending. The proposal
 * must be an outcome the task could take now, checked as the completion will be (reasons for a refusal or a return;
 * the machine accepts it, a return to the task's default target). The task goes back to its holder, claimed by them,
 * `resolved` with the proposal, which their completion form offers; the holder confirms by completing it, as proposed
 * or otherwise. The audit names both people but not the outcome: before the joint decision other departments do not
 * learn a department's outcome (`timeline-visibility.ts`), and the proposal is kept on the task for its department.
 */
export const resolveDelegation: CaseOperation<ResolveDelegation> = {
  type: 'task.delegation.resolve',
  permission: 'task.delegation.resolve',
  caseRef: (command) => ({ taskId: command.taskId }),
  decide(locked, command, env) {
    const { actor, outcome, opinion } = command;
    const { task, holder, delegate } = pendingDelegation(locked, command.taskId, actor);
    if (delegate !== actor.userId) throw new DelegationNotAllowedError(task.id, `it is delegated to ${delegate}, who returns it`);
    completionStep(locked, task, { outcome, text: opinion.text }, env);
    const proposal = { outcome, opinion: { text: opinion.text, visibility: opinion.visibility }, by: actor.userId, at: env.now.toISOString() };
    return committed(
      buildCommit(locked, env.now, {
        step: null,
        effects: [
          { type: 'task.delegation', taskId: task.id, assigneeId: holder, delegatedBy: holder, delegation: 'resolved', proposal },
          notify({ caseId: locked.case.id }, { departmentCode: task.departmentCode }, 'task.delegation-resolved', { taskId: task.id, title: task.title, to: holder, by: actor.userId }),
        ],
        auditType: 'task.delegation-resolved',
        actor,
        data: { taskId: task.id, task: task.key, delegate, holder },
      }),
    );
  },
};
