import type { Actor } from '../access/actor.js';
import { authorizeLeadDepartment } from '../access/authorization-policy.js';
import { buildCommit } from '../case-commit.js';
import type { CaseId } from '../ids.js';
import type { CaseOperation } from './case-operation.js';
import { toldOfStatusChange } from './case-status-change.js';
import { assertOpen, committed } from './decision.js';

/** 终止: the case ends without a decision on a legal ground (the applicant died or was dissolved, the matter fell away). */
export interface TerminateCase {
  readonly type: 'case.terminate';
  readonly actor: Actor;
  readonly caseId: CaseId;
  readonly reason: string;
  readonly legalBasis: string;
  readonly expectedVersion?: number;
}

/**
 * `case.terminate` (终止): the case closes as `terminated`, from running or suspended — its open tasks cancelled,
 * its clocks stopped, its timers cancelled (as any close). It was not decided, so supervision counts it neither on
 * time nor late. Only the case's lead department ends it; the applicant and the departments holding its tasks are told.
 */
export const terminateCase: CaseOperation<TerminateCase> = {
  type: 'case.terminate',
  permission: 'case.terminate',
  caseRef: (command) => ({ caseId: command.caseId }),
  decide(locked, command, env) {
    authorizeLeadDepartment(command.actor, locked.case, locked.openTasks, 'terminate this case');
    assertOpen(locked.case);
    const { reason, legalBasis } = command;
    return committed(
      buildCommit(locked, env.now, {
        step: null,
        status: 'terminated',
        effects: toldOfStatusChange(locked, 'case.terminated', { reason, legalBasis }),
        auditType: 'case.terminated',
        actor: command.actor,
        data: { reason, legalBasis },
      }),
    );
  },
};
