import type { Actor } from '../access/actor.js';
import { authorizeSpecialProcedure } from '../access/authorization-policy.js';
import { resumeClocks } from '../case-clocks.js';
import { ClockStateError } from '../errors.js';
import type { CaseId } from '../ids.js';
import type { LegalClock } from '../time/legal-clock.js';
import { notify } from '../effect-planner.js';
import type { CaseOperation } from './case-operation.js';
import { changedClockIds, clockChange, clockContext } from './clock-change.js';
import { assertRunning } from './decision.js';
import type { SpecialProcedureKind } from './start-special-procedure.js';

/** 特别程序 ended: the hearing held, the expert opinion or the test result received. */
export interface EndSpecialProcedure {
  readonly type: 'special-procedure.end';
  readonly actor: Actor;
  readonly caseId: CaseId;
  readonly kind: SpecialProcedureKind;
  readonly expectedVersion?: number;
}

/** Whether the clock is paused, now, for this procedure. */
const pausedFor = (kind: SpecialProcedureKind) => (c: LegalClock) => {
  const open = c.pauses.at(-1);
  return open !== undefined && open.until === null && open.reason.kind === kind;
};

/**
 * Resumes the clocks this procedure paused, each with the budget it had left (due dates and timers move by
 * the working days it took), and tells the applicant. Refused (409) when no clock is paused for it.
 */
export const endSpecialProcedure: CaseOperation<EndSpecialProcedure> = {
  type: 'special-procedure.end',
  permission: 'case.special-procedure',
  caseRef: (command) => ({ caseId: command.caseId }),
  decide(locked, command, env) {
    assertRunning(locked.case);
    authorizeSpecialProcedure(command.actor, locked.case, locked.openTasks);
    const before = locked.case.clocks;
    const clocks = resumeClocks(before, clockContext(locked, env), pausedFor(command.kind));
    if (clocks === before) throw new ClockStateError('of the case', `not paused for ${command.kind}`, 'resume');
    return clockChange(locked, env, {
      actor: command.actor,
      clocks,
      effects: [notify({ caseId: locked.case.id }, { applicant: true }, 'special-procedure.ended', { kind: command.kind })],
      auditType: 'special-procedure.ended',
      data: { kind: command.kind, clocks: changedClockIds(before, clocks) },
    });
  },
};
