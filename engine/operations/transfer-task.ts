import type { Actor } from '../access/actor.js';
import { assertHandles, authorizeTransfer, type Colleague } from '../access/authorization-policy.js';
import { buildCommit } from '../case-commit.js';
import type { TaskKind } from '../definitions/case-machine.js';
import { notify } from '../effect-planner.js';
import { InvalidCommandError, TaskNotFoundError, TransferNotAllowedError } from '../errors.js';
import type { DepartmentCode, TaskId } from '../ids.js';
import { assertNotDelegated, isClosedTask } from './actionable-task.js';
import type { CaseOperation } from './case-operation.js';
import { assertRunning, committed, unchanged } from './decision.js';

/**
 * Whom a task is transferred to. A person comes as the API found them in the users table (active, their
 * department and roles): the engine reads no database, and which roles handle which kind of task is its rule
 * (`TASK_ROLES`), decided here under the case's lock where the task's kind is known.
 */
export type TransferTarget = Colleague | { readonly departmentCode: DepartmentCode };

/** 转办: an open task changes hands — to another person of its department, or (the lead department agreeing) to another department. */
export interface TransferTask {
  readonly type: 'task.transfer';
  readonly actor: Actor;
  readonly taskId: TaskId;
  readonly to: TransferTarget;
  readonly reason: string;
  readonly expectedVersion?: number;
}

/**
 * The kinds that may leave their department: a review or a department's countersign sent to the wrong office.
 * The window's tasks (intake, correction), the decision and the licence are the definition's to place.
 */
const MOVABLE: ReadonlySet<TaskKind> = new Set(['review', 'countersign']);

/**
 * `task.transfer` (转办): the task keeps its id, its due instant and its clock; only who holds it changes. To a
 * person of its department (by its holder or the department's lead), it becomes claimed by them; to another
 * department (by the lead of the case's lead department), it lands unclaimed in that department's inbox, which
 * thereby takes part in the case. The receiving department is told; the audit event names both sides. A named
 * signer's task stays with them (the definition named that person). Transferring to whom already holds it
 * changes nothing.
 */
export const transferTask: CaseOperation<TransferTask> = {
  type: 'task.transfer',
  permission: 'task.transfer',
  caseRef: (command) => ({ taskId: command.taskId }),
  decide(locked, command, env) {
    const task = locked.task;
    if (!task) throw new TaskNotFoundError(command.taskId);
    const { to } = command;
    const toPerson = 'userId' in to;
    authorizeTransfer(command.actor, task, locked.case, locked.openTasks, !toPerson);
    if (isClosedTask(task)) throw new TransferNotAllowedError(task.id, `it is ${task.status}`);
    assertRunning(locked.case);
    assertNotDelegated(task);
    if (task.signerId !== null) throw new TransferNotAllowedError(task.id, 'the definition named its signer, who signs it');
    if (toPerson) assertHandles(to, task);
    else if (to.departmentCode === task.departmentCode) throw new InvalidCommandError(`Task ${task.id} is already ${to.departmentCode}'s.`, ['to', 'departmentCode']);
    else if (!MOVABLE.has(task.kind)) throw new TransferNotAllowedError(task.id, `a ${task.kind} task stays in its department`);
    const assigneeId = toPerson ? to.userId : null;
    if (toPerson && task.assigneeId === assigneeId) return unchanged(locked);
    const from = { departmentCode: task.departmentCode, assigneeId: task.assigneeId };
    const moved = { departmentCode: to.departmentCode, assigneeId };
    return committed(
      buildCommit(locked, env.now, {
        step: null,
        effects: [
          { type: 'task.transfer', taskId: task.id, ...moved },
          notify({ caseId: locked.case.id }, { departmentCode: to.departmentCode }, 'task.transferred', { taskId: task.id, title: task.title, to: assigneeId }),
        ],
        auditType: 'task.transferred',
        actor: command.actor,
        data: { taskId: task.id, task: task.key, from, to: moved, reason: command.reason },
      }),
    );
  },
};
