import type { Actor } from '../access/actor.js';
import { authorizeLeadDepartment } from '../access/authorization-policy.js';
import { buildCommit } from '../case-commit.js';
import { planEffects } from '../effect-planner.js';
import type { CaseId } from '../ids.js';
import type { CaseOperation } from './case-operation.js';
import { acceptedStep, assertRunning, committed, planning } from './decision.js';

/** The lead department adds a department to a joint review, or removes one, with a reason. */
export interface ChangeReviewMembers {
  readonly type: 'review.members.change';
  readonly actor: Actor;
  readonly caseId: CaseId;
  readonly review: string;
  readonly department: string;
  readonly joins: boolean;
  readonly reason: string;
  readonly expectedVersion?: number;
}

/**
 * `review.members.change`: only the case's lead department, only where the definition allows it (before its
 * review starts, for a department it leaves optional: `memberChanges`); the decision and its reason are kept
 * in the case (they override the application's answers) and audited.
 */
export const changeReviewMembers: CaseOperation<ChangeReviewMembers> = {
  type: 'review.members.change',
  permission: 'review.members.change',
  caseRef: (command) => ({ caseId: command.caseId }),
  decide(locked, command, env) {
    // Who may act before whether the case still runs: a closed case is not found by a department outside it.
    authorizeLeadDepartment(command.actor, locked.case, locked.openTasks, 'change the members of its joint review');
    assertRunning(locked.case);
    const { review, department, joins, reason } = command;
    const step = acceptedStep(locked, { type: 'members.changed', review, department, joins, reason }, env);
    return committed(
      buildCommit(locked, env.now, {
        step,
        effects: planEffects(step.actions, planning(locked, env, step, null)),
        auditType: joins ? 'review.member-added' : 'review.member-removed',
        actor: command.actor,
        data: { review, department, reason },
      }),
    );
  },
};
