import type { Actor } from '../access/actor.js';
import { authorizeTaskAction } from '../access/authorization-policy.js';
import type { TaskRecord } from '../case-record.js';
import type { LockedCase } from '../case-store.js';
import { TaskClaimedByOtherError, TaskDelegatedError, TaskNotActionableError, TaskNotFoundError } from '../errors.js';
import { assertRunning } from './decision.js';

/** Completed, cancelled or withdrawn: nothing more is done on it. */
export const isClosedTask = (task: TaskRecord): boolean => task.status !== 'open' && task.status !== 'claimed';

/**
 * 委派 pending: the delegate holds the task for its holder, so neither completes it, nor does anyone transfer, release
 * or delegate it again, until the delegate returns it (退回确认) or the holder takes it back (收回).
 */
export function assertNotDelegated(task: TaskRecord): void {
  if (task.delegation === 'pending' && task.delegatedBy !== null) throw new TaskDelegatedError(task.id, task.assigneeId ?? '', task.delegatedBy);
}

/**
 * The task a claim or a completion names, when the actor may act on it now: of the actor's department and
 * a kind their roles handle, still open, on a running case, not delegated pending the delegate's proposal, and not
 * claimed by someone else.
 */
export function actionableTask(locked: LockedCase, id: string, actor: Actor, action: 'claim' | 'complete'): TaskRecord {
  const task = liveTask(locked, id, actor, action);
  assertNotDelegated(task);
  if (task.assigneeId && task.assigneeId !== actor.userId) throw new TaskClaimedByOtherError(task.id, task.assigneeId);
  return task;
}

/** The task named, of the actor's department and a kind their roles handle, still open, on a running case. */
export function liveTask(locked: LockedCase, id: string, actor: Actor, action: 'claim' | 'complete'): TaskRecord {
  const task = locked.task;
  if (!task) throw new TaskNotFoundError(id);
  authorizeTaskAction(actor, task, action);
  if (isClosedTask(task)) throw new TaskNotActionableError(task.id, task.status);
  assertRunning(locked.case);
  return task;
}
