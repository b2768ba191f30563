import type { Actor } from '../access/actor.js';
import { authorizeCaseStatusChange } from '../access/authorization-policy.js';
import { pauseClocks } from '../case-clocks.js';
import { CaseStatusChangeError } from '../errors.js';
import type { CaseId } from '../ids.js';
import type { CaseOperation } from './case-operation.js';
import { toldOfStatusChange } from './case-status-change.js';
import { changedClockIds, clockChange, clockContext } from './clock-change.js';
import { assertRunning } from './decision.js';

/** 中止: the case waits on a legal ground (a lawsuit, the applicant's incapacity, a matter another organ must settle first). */
export interface SuspendCase {
  readonly type: 'case.suspend';
  readonly actor: Actor;
  readonly caseId: CaseId;
  readonly reason: string;
  /** The provision the suspension rests on: the applicant is told it in writing. */
  readonly legalBasis: string;
  readonly expectedVersion?: number;
}

/**
 * `case.suspend` (中止): the case becomes `suspended`. Every clock still counting pauses — its limits, its open
 * tasks', a supervision notice's — so no limit runs while nothing may be done; their timers are cancelled with
 * the pause. The process's own timers (a period, a delay) stay pending and fire once the case resumes. Until
 * then every command on the case is refused (`assertRunning`: 409 TB-CASE-SUSPENDED) but its resumption, its
 * termination and the applicant's withdrawal. The applicant and the departments holding its tasks are told.
 */
export const suspendCase: CaseOperation<SuspendCase> = {
  type: 'case.suspend',
  permission: 'case.suspend',
  caseRef: (command) => ({ caseId: command.caseId }),
  decide(locked, command, env) {
    authorizeCaseStatusChange(command.actor, locked.case, locked.openTasks, 'suspend this case');
    if (locked.case.status === 'suspended') throw new CaseStatusChangeError(locked.case.id, 'suspended', 'suspended again');
    assertRunning(locked.case);
    const before = locked.case.clocks;
    const { reason, legalBasis } = command;
    const clocks = pauseClocks(before, clockContext(locked, env), () => true, { kind: 'suspension', text: `${reason}（${legalBasis}）` });
    return clockChange(locked, env, {
      actor: command.actor,
      clocks,
      status: 'suspended',
      effects: toldOfStatusChange(locked, 'case.suspended', { reason, legalBasis }),
      auditType: 'case.suspended',
      data: { reason, legalBasis, clocks: changedClockIds(before, clocks) },
    });
  },
};
