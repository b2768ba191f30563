import type { Actor } from '../access/actor.js';
import { authorizeTaskAction } from '../access/authorization-policy.js';
import { buildCommit } from '../case-commit.js';
import type { TaskRecord } from '../case-record.js';
import type { LockedCase } from '../case-store.js';
import { planEffects } from '../effect-planner.js';
import { TaskNotFoundError, WithdrawalNotAllowedError } from '../errors.js';
import type { TaskId } from '../ids.js';
import type { CaseOperation } from './case-operation.js';
import { acceptedStep, assertRunning, committed, planning } from './decision.js';

/** 撤回: the handler who completed a task takes the completion back, with a reason. */
export interface WithdrawTask {
  readonly type: 'task.withdraw';
  readonly actor: Actor;
  readonly taskId: TaskId;
  readonly reason: string;
  readonly expectedVersion?: number;
}

/**
 * `task.withdraw` (撤回): allowed to whoever completed the task, while the step after it has not been acted on —
 * every task the completion opened is still open and unclaimed (a named signer's task counts as untouched until
 * they decide), and no task the withdrawal would cancel is being handled — and where the definition takes the completion back (`task.withdrawn`; in a joint review the
 * member reviews again while the other members' outcomes stand). The tasks the completion opened are cancelled,
 * the task is `withdrawn`, and it reopens as a new task on its own clock, which counts the time since as its own.
 */
export const withdrawTask: CaseOperation<WithdrawTask> = {
  type: 'task.withdraw',
  permission: 'task.withdraw',
  caseRef: (command) => ({ taskId: command.taskId }),
  decide(locked, command, env) {
    const task = locked.task;
    if (!task) throw new TaskNotFoundError(command.taskId);
    authorizeTaskAction(command.actor, task, 'complete');
    assertRunning(locked.case);
    if (task.status !== 'completed') throw new WithdrawalNotAllowedError(task.id, `it is ${task.status}, not completed`);
    if (task.completedBy !== command.actor.userId) throw new WithdrawalNotAllowedError(task.id, 'only the handler who completed it takes it back');
    const touched = actedOn(locked, task);
    if (touched) throw new WithdrawalNotAllowedError(task.id, `the next step (${touched}) has been acted on`);
    const step = acceptedStep(locked, { type: 'task.withdrawn', task: task.key, department: task.departmentCode }, env);
    const planned = planEffects(step.actions, planning(locked, env, step, null, task));
    // The step after it may be another's (an earlier member's approval opened nothing; the last one's opened the
    // decision): a task the withdrawal would cancel while someone handles it has been acted on.
    const handled = planned.flatMap((e) => (e.type === 'task.cancel' ? locked.openTasks.filter((t) => t.id === e.taskId && !untouched(t)) : []));
    if (handled[0]) throw new WithdrawalNotAllowedError(task.id, `the next step (${handled[0].key}) is being handled`);
    return committed(
      buildCommit(locked, env.now, {
        step,
        effects: [{ type: 'task.withdraw', taskId: task.id, at: env.now }, ...planned],
        auditType: 'task.withdrawn',
        actor: command.actor,
        data: { taskId: task.id, task: task.key, outcome: task.outcome, reason: command.reason },
      }),
    );
  },
};

/** The first task the completion opened that someone has acted on (claimed, completed or closed), if any. */
function actedOn(locked: LockedCase, task: TaskRecord): string | null {
  for (const id of task.openedTasks) {
    const next = locked.openTasks.find((t) => t.id === id);
    if (!next) return `a task it opened is no longer open`;
    if (!untouched(next)) return `${next.key}, claimed`;
  }
  return null;
}

/** Open and unclaimed, or a named signer's task they (or their substitute, for them: 代理) have not decided yet. */
const untouched = (task: TaskRecord): boolean =>
  task.status === 'open' || (task.signerId !== null && (task.assigneeId === task.signerId || task.substitutedFor === task.signerId));
