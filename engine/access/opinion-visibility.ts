import { isOpenCase } from '../case-record.js';
import { hasRole, type Actor } from './actor.js';
import type { OpinionVisibility } from '../case-command.js';

/** An opinion as far as who may read it matters. */
export interface OpinionFacts {
  readonly taskId: string;
  readonly departmentCode: string;
  readonly visibility: OpinionVisibility;
}

/** What decides who reads the outcomes of a case: its lead department, the joint decision, its opinions. */
export interface OutcomeFacts {
  readonly leadDepartment: string;
  readonly jointDecisionMade: boolean;
  readonly opinions: readonly OpinionFacts[];
}

/**
 * The facts of a case for `opinionVisibleTo` and `taskOutcomeVisibleTo`. The joint decision is made once
 * a decision task (the joint decision, the joint refusal, a lead's sign-off) is completed, or the case has
 * ended.
 */
export function outcomeFacts(
  record: { readonly leadDepartment: string; readonly status: string },
  tasks: readonly { readonly kind: string; readonly status: string }[],
  opinions: readonly OpinionFacts[],
): OutcomeFacts {
  // A suspended case (中止) has not ended: its reviews may still be under way.
  const jointDecisionMade = !isOpenCase(record.status) || tasks.some((t) => t.kind === 'decision' && t.status === 'completed');
  return { leadDepartment: record.leadDepartment, jointDecisionMade, opinions };
}

/**
 * Who reads an opinion (审查意见). An internal opinion is read by its own department, the lead department
 * (which coordinates the joint review) and supervisors; the other member departments read it only once
 * the joint decision is made, so no department's review is swayed by another's before it has formed its
 * own. A public opinion is read by every department of the case.
 */
export function opinionVisibleTo(
  viewer: Actor,
  opinion: Pick<OpinionFacts, 'departmentCode' | 'visibility'>,
  decision: Pick<OutcomeFacts, 'leadDepartment' | 'jointDecisionMade'>,
): boolean {
  if (opinion.visibility === 'public' || decision.jointDecisionMade) return true;
  if (hasRole(viewer, 'supervisor')) return true;
  return viewer.departmentCode === opinion.departmentCode || viewer.departmentCode === decision.leadDepartment;
}

/**
 * Whether the viewer may learn how a task was completed (approved, rejected, returned): exactly when they
 * may read its opinion, for the outcome tells what the opinion says. A task without an opinion tells nobody.
 */
export function taskOutcomeVisibleTo(viewer: Actor, taskId: string, facts: OutcomeFacts): boolean {
  const opinion = facts.opinions.find((o) => o.taskId === taskId);
  return opinion !== undefined && opinionVisibleTo(viewer, opinion, facts);
}
