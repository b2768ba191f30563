import type { Actor } from '../access/actor.js';
import { authorizeSpecialProcedure } from '../access/authorization-policy.js';
import { isCaseClock, LEGAL_CLOCK, pauseClocks, taskKeyOf } from '../case-clocks.js';
import { ClockPauseRefusedError, ClockStateError } from '../errors.js';
import type { CaseId } from '../ids.js';
import { clockStatus, pausesFor, type LegalClock, type PauseReasonKind } from '../time/legal-clock.js';
import { notify } from '../effect-planner.js';
import type { CaseOperation } from './case-operation.js';
import { changedClockIds, clockChange, clockContext } from './clock-change.js';
import { assertRunning } from './decision.js';

/** The procedures of art. 45 (and what an item's law adds) that a department starts and ends by hand; a supplement comes from the process. */
export const SPECIAL_PROCEDURES = ['hearing', 'expert-review', 'testing', 'public-notice', 'tender', 'other'] as const satisfies readonly PauseReasonKind[];
export type SpecialProcedureKind = (typeof SPECIAL_PROCEDURES)[number];

/** 特别程序 begun: a hearing, an expert review, a test… whose time the law does not count (art. 45). */
export interface StartSpecialProcedure {
  readonly type: 'special-procedure.start';
  readonly actor: Actor;
  readonly caseId: CaseId;
  readonly kind: SpecialProcedureKind;
  /** What the applicant is told in writing: the procedure and the time it needs (art. 45). */
  readonly notice: string;
  readonly expectedVersion?: number;
}

/**
 * Pauses every running clock of the case — its own and those of its open tasks — whose law leaves this
 * procedure out of the count, and sends the applicant the written notice. Refused (409, nothing changed)
 * when the item's law counts the procedure, or when no clock runs (paused for a supplement, or stopped).
 */
export const startSpecialProcedure: CaseOperation<StartSpecialProcedure> = {
  type: 'special-procedure.start',
  permission: 'case.special-procedure',
  caseRef: (command) => ({ caseId: command.caseId }),
  decide(locked, command, env) {
    assertRunning(locked.case);
    authorizeSpecialProcedure(command.actor, locked.case, locked.openTasks);
    const before = locked.case.clocks;
    const open = new Set(locked.openTasks.map((t) => t.key));
    const counted = (c: LegalClock) => isCaseClock(c) || open.has(taskKeyOf(c.id) ?? '');
    const legal = before.find((c) => c.id === LEGAL_CLOCK);
    if (legal && !pausesFor(legal, command.kind)) throw new ClockPauseRefusedError(legal.id, command.kind);
    const clocks = pauseClocks(before, clockContext(locked, env), counted, { kind: command.kind, text: command.notice });
    if (clocks === before) {
      const state = legal ? clockStatus(legal, env.calendar, env.now).state : 'missing';
      throw new ClockStateError(LEGAL_CLOCK, state, `be paused for ${command.kind}: no clock of the case is running`);
    }
    return clockChange(locked, env, {
      actor: command.actor,
      clocks,
      effects: [notify({ caseId: locked.case.id }, { applicant: true }, 'special-procedure.started', { kind: command.kind, notice: command.notice })],
      auditType: 'special-procedure.started',
      data: { kind: command.kind, notice: command.notice, clocks: changedClockIds(before, clocks) },
    });
  },
};
