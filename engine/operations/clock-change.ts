import type { Actor } from '../access/actor.js';
import { buildCommit } from '../case-commit.js';
import { followClocks, type ClockContext } from '../case-clocks.js';
import type { Decision, LockedCase } from '../case-store.js';
import { notify } from '../effect-planner.js';
import type { LegalClock } from '../time/legal-clock.js';
import { committed, openTaskIndex, type CommandResult, type DecisionEnv } from './decision.js';

/** What the clocks of a locked case count with, at the command's instant. */
export function clockContext(locked: LockedCase, env: DecisionEnv): ClockContext {
  return { caseId: locked.case.id, calendar: env.calendar, countingRule: locked.case.countingRule, now: env.now };
}

/**
 * The commit of a command that changes only the case's clocks (an extension, a special procedure begun or
 * ended): their new ledgers, the timers of every clock whose due moved (a task's deadline with it), the
 * applicant's notice (art. 42, art. 45: the applicant is told in writing) and one audit event.
 */
export function clockChange(
  locked: LockedCase,
  env: DecisionEnv,
  change: {
    readonly actor: Actor;
    readonly clocks: readonly LegalClock[];
    readonly notice: { readonly template: string; readonly data: Readonly<Record<string, unknown>> };
    readonly auditType: string;
    readonly data: Readonly<Record<string, unknown>>;
  },
): Decision<CommandResult> {
  const { byKey, ids } = openTaskIndex(locked.openTasks);
  return committed(
    buildCommit(locked, env.now, {
      step: null,
      effects: [
        { type: 'case.clocks', clocks: change.clocks },
        ...followClocks(clockContext(locked, env), locked.case.clocks, change.clocks, byKey, ids),
        notify({ caseId: locked.case.id }, { applicant: true }, change.notice.template, change.notice.data),
      ],
      auditType: change.auditType,
      actor: change.actor,
      data: change.data,
    }),
  );
}

/** The ids of the clocks `after` changed from `before` (the same list, in order). */
export const changedClockIds = (before: readonly LegalClock[], after: readonly LegalClock[]): string[] => after.filter((c, i) => c !== before[i]).map((c) => c.id);
