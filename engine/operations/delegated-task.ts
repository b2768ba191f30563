import type { Actor } from '../access/actor.js';
import type { TaskRecord } from '../case-record.js';
import type { LockedCase } from '../case-store.js';
import { DelegationNotAllowedError } from '../errors.js';
import type { UserId } from '../ids.js';
import { liveTask } from './actionable-task.js';

/** A task delegated (委派) and not yet returned: who holds it for whom. */
export interface PendingDelegation {
  readonly task: TaskRecord;
  /** Who delegated it, and confirms. */
  readonly holder: UserId;
  /** Who holds it meanwhile, and drafts. */
  readonly delegate: UserId;
}

/**
 * The task a delegate returns (退回确认) or its holder takes back (收回): of the actor's department and a kind their
 * roles handle, still open, on a running case, and delegated pending the delegate's proposal.
 */
export function pendingDelegation(locked: LockedCase, id: string, actor: Actor): PendingDelegation {
  const task = liveTask(locked, id, actor, 'complete');
  if (task.delegation !== 'pending' || task.delegatedBy === null || task.assigneeId === null) {
    throw new DelegationNotAllowedError(task.id, task.delegation === 'resolved' ? 'it was returned for confirmation already' : 'it is not delegated');
  }
  return { task, holder: task.delegatedBy, delegate: task.assigneeId };
}
