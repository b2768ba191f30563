import type { Actor } from '../access/actor.js';
import { buildCommit } from '../case-commit.js';
import { followClocks, type ClockContext } from '../case-clocks.js';
import type { CaseEffect } from '../case-effect.js';
import type { CaseStatus } from '../case-record.js';
import type { Decision, LockedCase } from '../case-store.js';
import type { LegalClock } from '../time/legal-clock.js';
import { committed, openTaskIndex, type CommandResult, type DecisionEnv } from './decision.js';

/** What the clocks of a locked case count with, at the command's instant. */
export function clockContext(locked: LockedCase, env: DecisionEnv): ClockContext {
  return { caseId: locked.case.id, calendar: env.calendar, countingRule: locked.case.countingRule, now: env.now };
}

/**
 * The commit of a command that changes only clocks and what goes with them (an extension, a special procedure
 * begun or ended, a supervision notice issued, answered or closed): their new ledgers when they changed, the
 * timers of every clock whose due or next rung moved (a task's deadline with it) and the colours, the command's
 * own effects (the notices it sends, art. 42 and art. 45: the applicant is told in writing) and one audit event.
 * `keepVersion`: a change that is not the case's state (a 督办) leaves a handler's `expectedVersion` valid.
 */
export function clockChange(
  locked: LockedCase,
  env: DecisionEnv,
  change: {
    readonly actor: Actor;
    readonly clocks: readonly LegalClock[];
    readonly effects: readonly CaseEffect[];
    readonly auditType: string;
    readonly data: Readonly<Record<string, unknown>>;
    readonly keepVersion?: boolean;
    /** The case's new status, when the change is a suspension (中止) or its end. */
    readonly status?: CaseStatus;
  },
): Decision<CommandResult> {
  const before = locked.case.clocks;
  const { byKey, ids } = openTaskIndex(locked.openTasks);
  const clockEffects: CaseEffect[] = change.clocks === before ? [] : [{ type: 'case.clocks', clocks: change.clocks }, ...followClocks(clockContext(locked, env), before, change.clocks, byKey, ids)];
  return committed(
    buildCommit(locked, env.now, {
      step: null,
      effects: [...clockEffects, ...change.effects],
      auditType: change.auditType,
      actor: change.actor,
      data: change.data,
      ...(change.keepVersion ? { keepVersion: true } : {}),
      ...(change.status ? { status: change.status } : {}),
    }),
  );
}

/** The ids of the clocks `after` changed from `before` (the same list, in order). */
export const changedClockIds = (before: readonly LegalClock[], after: readonly LegalClock[]): string[] => after.filter((c, i) => c !== before[i]).map((c) => c.id);
