import type { Actor } from '../access/actor.js';
import { buildCommit } from '../case-commit.js';
import type { TaskId } from '../ids.js';
import { actionableTask } from './actionable-task.js';
import type { CaseOperation } from './case-operation.js';
import { committed, unchanged } from './decision.js';

/** 签收: a handler takes a task for themselves; others of the department can no longer complete it. */
export interface ClaimTask {
  readonly type: 'task.claim';
  readonly actor: Actor;
  readonly taskId: TaskId;
  readonly expectedVersion?: number;
}

/** Claiming one's own claim again changes nothing. */
export const claimTask: CaseOperation<ClaimTask> = {
  type: 'task.claim',
  permission: 'task.claim',
  caseRef: (command) => ({ taskId: command.taskId }),
  decide(locked, command, env) {
    const task = actionableTask(locked, command.taskId, command.actor, 'claim');
    if (task.assigneeId === command.actor.userId) return unchanged(locked);
    return committed(
      buildCommit(locked, env.now, {
        step: null,
        effects: [{ type: 'task.claim', taskId: task.id, assigneeId: command.actor.userId }],
        auditType: 'task.claimed',
        actor: command.actor,
        data: { taskId: task.id, task: task.key },
      }),
    );
  },
};
