import type { Actor } from '../access/actor.js';
import { authorizeCaseWithdrawal } from '../access/authorization-policy.js';
import { buildCommit } from '../case-commit.js';
import { notify } from '../effect-planner.js';
import type { CaseId } from '../ids.js';
import type { CaseOperation } from './case-operation.js';
import { assertOpen, committed } from './decision.js';

/** 撤件: the applicant withdraws the application, through the window that took it in, with a reason. */
export interface WithdrawCase {
  readonly type: 'case.withdraw';
  readonly actor: Actor;
  readonly caseId: CaseId;
  readonly reason: string;
  readonly expectedVersion?: number;
}

/**
 * `case.withdraw` (撤件): the case closes as `withdrawn` whatever state it is in — its open tasks cancelled, its
 * clocks stopped, its timers cancelled (as any close) — the applicant is told, and the reason is audited. The
 * machine's snapshot stays where the case was, so its story shows where it ended.
 */
export const withdrawCase: CaseOperation<WithdrawCase> = {
  type: 'case.withdraw',
  permission: 'case.withdraw',
  caseRef: (command) => ({ caseId: command.caseId }),
  decide(locked, command, env) {
    // Who may act before whether the case still runs: a closed case is not found by a department outside it.
    authorizeCaseWithdrawal(command.actor, locked.case);
    // A suspended case (中止) may be withdrawn too: the applicant need not wait for its resumption to give up.
    assertOpen(locked.case);
    return committed(
      buildCommit(locked, env.now, {
        step: null,
        status: 'withdrawn',
        effects: [notify({ caseId: locked.case.id }, { applicant: true }, 'case.withdrawn', { reason: command.reason })],
        auditType: 'case.withdrawn',
        actor: command.actor,
        data: { reason: command.reason },
      }),
    );
  },
};
