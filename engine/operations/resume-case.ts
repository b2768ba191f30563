import type { Actor } from '../access/actor.js';
import { authorizeCaseStatusChange } from '../access/authorization-policy.js';
import { resumeClocks } from '../case-clocks.js';
import type { CaseEffect } from '../case-effect.js';
import { CaseStatusChangeError } from '../errors.js';
import type { CaseId } from '../ids.js';
import type { LegalClock } from '../time/legal-clock.js';
import type { CaseOperation } from './case-operation.js';
import { toldOfStatusChange } from './case-status-change.js';
import { changedClockIds, clockChange, clockContext } from './clock-change.js';
import { assertOpen } from './decision.js';

/** 恢复: the ground of a suspension is gone; the case goes on. */
export interface ResumeCase {
  readonly type: 'case.resume';
  readonly actor: Actor;
  readonly caseId: CaseId;
  readonly reason: string;
  readonly expectedVersion?: number;
}

/** Whether the clock is paused, now, by the case's suspension (a supplement's or a hearing's pause is not this one's to end). */
const pausedBySuspension = (c: LegalClock): boolean => {
  const open = c.pauses.at(-1);
  return open !== undefined && open.until === null && open.reason.kind === 'suspension';
};

/**
 * `case.resume` (恢复): the case runs again. The clocks its suspension paused resume with the budget they had left
 * (their due dates and timers move by the working days it lasted); a clock paused for something else (a
 * supplement awaited) stays paused. The process's timers were left alone meanwhile (a suspended case fires none, and
 * the reconciler's walk passed them by): each pending one is relayed again — the commit's outbox takes those due
 * within the walk's reach, so one that fell due fires at once and one due soon fires on time. The applicant and the
 * departments holding its tasks are told.
 */
export const resumeCase: CaseOperation<ResumeCase> = {
  type: 'case.resume',
  permission: 'case.resume',
  caseRef: (command) => ({ caseId: command.caseId, pendingTimers: true }),
  decide(locked, command, env) {
    authorizeCaseStatusChange(command.actor, locked.case, locked.openTasks, 'resume this case');
    assertOpen(locked.case);
    if (locked.case.status !== 'suspended') throw new CaseStatusChangeError(locked.case.id, locked.case.status, 'resumed: it is not suspended');
    const before = locked.case.clocks;
    const clocks = resumeClocks(before, clockContext(locked, env), pausedBySuspension);
    const heldBack: CaseEffect[] = locked.pendingTimers.map((t) => ({ type: 'timer.relay', timerId: t.id }));
    return clockChange(locked, env, {
      actor: command.actor,
      clocks,
      status: 'running',
      effects: [...heldBack, ...toldOfStatusChange(locked, 'case.resumed', { reason: command.reason })],
      auditType: 'case.resumed',
      data: { reason: command.reason, clocks: changedClockIds(before, clocks) },
    });
  },
};
