import type { Actor } from '../access/actor.js';
import { authorizeLeadDepartment } from '../access/authorization-policy.js';
import { buildCommit } from '../case-commit.js';
import { planEffects } from '../effect-planner.js';
import type { CaseId } from '../ids.js';
import type { CaseOperation } from './case-operation.js';
import { acceptedStep, assertRunning, committed, planning } from './decision.js';

/** The lead department closes a joint review after a rejection, without waiting for the reviews still open. */
export interface CloseJointReview {
  readonly type: 'review.close';
  readonly actor: Actor;
  readonly caseId: CaseId;
  readonly review: string;
  readonly reason: string;
  readonly expectedVersion?: number;
}

/**
 * `review.close`: where the definition lets every member finish after a rejection, the lead may end the review
 * once a rejection is in; the reviews still open are cancelled (named in the audit event) and the case goes on
 * to its refusal with every reason given so far.
 */
export const closeJointReview: CaseOperation<CloseJointReview> = {
  type: 'review.close',
  permission: 'review.close',
  caseRef: (command) => ({ caseId: command.caseId }),
  decide(locked, command, env) {
    // Who may act before whether the case still runs: a closed case is not found by a department outside it.
    authorizeLeadDepartment(command.actor, locked.case, locked.openTasks, 'close its joint review');
    assertRunning(locked.case);
    const step = acceptedStep(locked, { type: 'review.closed', review: command.review }, env);
    return committed(
      buildCommit(locked, env.now, {
        step,
        effects: planEffects(step.actions, planning(locked, env, step, null)),
        auditType: 'review.closed',
        actor: command.actor,
        data: { review: command.review, reason: command.reason },
      }),
    );
  },
};
