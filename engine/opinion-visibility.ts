import { hasRole, type Actor } from './actor.js';
import type { OpinionVisibility } from './case-command.js';

/**
 * Who reads an opinion (审查意见). An internal opinion is read by its own department, the lead department
 * (which coordinates the joint review) and supervisors; the other member departments read it only once
 * the joint decision is made, so no department's review is swayed by another's before it has formed its
 * own. A public opinion is read by every department of the case.
 */
export function opinionVisibleTo(
  viewer: Actor,
  opinion: { readonly departmentCode: string; readonly visibility: OpinionVisibility },
  decision: { readonly leadDepartment: string; readonly jointDecisionMade: boolean },
): boolean {
  if (opinion.visibility === 'public' || decision.jointDecisionMade) return true;
  if (hasRole(viewer, 'supervisor')) return true;
  return viewer.departmentCode === opinion.departmentCode || viewer.departmentCode === decision.leadDepartment;
}
