import type { Actor } from '../access/actor.js';
import { authorizeExtension } from '../access/authorization-policy.js';
import { isNoticeClock } from '../case-clocks.js';
import { ClockExtensionRefusedError, ClockNotFoundError } from '../errors.js';
import type { CaseId } from '../ids.js';
import { clearRungs } from '../time/ladder-rungs.js';
import { clockStatus, extendClock } from '../time/legal-clock.js';
import { notify } from '../effect-planner.js';
import type { CaseOperation } from './case-operation.js';
import { clockChange } from './clock-change.js';
import { assertRunning } from './decision.js';

/** 延期 (行政许可法 art. 42): the lead department extends one of the case's clocks, with its reason and legal basis. */
export interface ExtendClock {
  readonly type: 'clock.extend';
  readonly actor: Actor;
  readonly caseId: CaseId;
  /** `legal`, `committed`, `task:<key>` or a clock the definition started. */
  readonly clock: string;
  readonly workingDays: number;
  readonly reason: string;
  readonly legalBasis: string;
  readonly expectedVersion?: number;
}

/**
 * Adds the working days to the clock within the extension policy its case pinned (409 beyond it, nothing
 * changed), moves its due instant and timer, and queues the applicant's notice (art. 42: the applicant is told
 * why). The approver on the ledger is the lead who records it.
 */
export const extendCaseClock: CaseOperation<ExtendClock> = {
  type: 'clock.extend',
  permission: 'clock.extend',
  caseRef: (command) => ({ caseId: command.caseId }),
  decide(locked, command, env) {
    assertRunning(locked.case);
    authorizeExtension(command.actor, locked.case, locked.openTasks);
    const clock = locked.case.clocks.find((c) => c.id === command.clock);
    if (!clock) throw new ClockNotFoundError(locked.case.id, command.clock);
    // A 督办's response limit is set by its supervisor for the department it supervises: not extended under art. 42.
    if (isNoticeClock(clock.id)) throw new ClockExtensionRefusedError(clock.id, command.workingDays, "it is a supervision notice's response limit, not one of the case's");
    const { workingDays, reason, legalBasis } = command;
    // The due moves later: a rung the clock is no longer past is taken off (its colour with it), and said so.
    const { clock: extended, cleared } = clearRungs(extendClock(clock, env.calendar, { workingDays, reason, legalBasis, approver: command.actor.userId, at: env.now }), env.calendar, env.now);
    const due = clockStatus(extended, env.calendar, env.now).due;
    const notice = { clock: command.clock, workingDays, reason, legalBasis, dueAt: due?.due.toISOString() ?? null };
    return clockChange(locked, env, {
      actor: command.actor,
      clocks: locked.case.clocks.map((c) => (c === clock ? extended : c)),
      effects: [notify({ caseId: locked.case.id }, { applicant: true }, 'clock.extended', notice)],
      auditType: 'clock.extended',
      data: { ...notice, dueDate: due?.derivation.dueDate ?? null, ...(cleared.length > 0 ? { cleared: cleared.map((r) => r.name) } : {}) },
    });
  },
};
