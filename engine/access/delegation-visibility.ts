import type { Actor } from './actor.js';
import type { DelegationProposal, DelegationState } from '../case-record.js';

/** A task's delegation (委派) as stored: who delegated it, where it stands, what the delegate proposed. */
export interface DelegationFacts {
  readonly departmentCode: string;
  readonly delegatedBy: string | null;
  readonly delegation: DelegationState | null;
  readonly delegationProposal: DelegationProposal | null;
}

/**
 * What a viewer reads of a task's delegation: a delegation is between two people of the task's department, and
 * its proposal a draft opinion with an outcome, which other departments may not learn before the joint decision
 * (`opinion-visibility.ts`). The task's own department reads all of it; every other reader none.
 */
export function delegationSeenBy(viewer: Actor, task: DelegationFacts): Omit<DelegationFacts, 'departmentCode'> {
  if (viewer.departmentCode !== task.departmentCode) return { delegatedBy: null, delegation: null, delegationProposal: null };
  return { delegatedBy: task.delegatedBy, delegation: task.delegation, delegationProposal: task.delegationProposal };
}
