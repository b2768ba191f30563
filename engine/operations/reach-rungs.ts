import type { CaseEffect, NewNotification } from '../case-effect.js';
import { colourEffects, rungTimer, taskKeyOf } from '../case-clocks.js';
import type { LockedCase } from '../case-store.js';
import { notify } from '../effect-planner.js';
import type { DepartmentCode } from '../ids.js';
import { clockColour, ledgerName, pendingRungs, reachRungs, type PendingRung } from '../time/ladder-rungs.js';
import type { Rung, RungAudience } from '../time/ladder.js';
import type { LegalClock } from '../time/legal-clock.js';
import { clockContext } from './clock-change.js';
import type { DecisionEnv } from './decision.js';
import { openTaskIndex } from './decision.js';

/** What reaching a clock's rungs changes: the effects, the clocks after, the rungs reached, the audit's data. */
export interface RungsReached {
  readonly effects: CaseEffect[];
  readonly clocks: readonly LegalClock[];
  readonly reached: readonly Rung[];
  readonly data: Record<string, unknown>;
}

/**
 * A clock's rung timer fired: every rung due by now is reached, once (the ledger keeps them), each tells its
 * audiences; the colours that changed are written; the timer of the next rung is scheduled. Nothing is reached
 * twice: a repeated or late delivery finds the rungs on the ledger, and a clock paused or stopped meanwhile
 * has no rung due.
 */
export function reachClockRungs(locked: LockedCase, clockId: string, env: DecisionEnv): RungsReached {
  const before = locked.case.clocks;
  const clock = before.find((c) => c.id === clockId);
  if (!clock) return { effects: [], clocks: before, reached: [], data: { clock: clockId, rungs: [] } };
  const { clock: after, reached: occurrences } = reachRungs(clock, env.calendar, env.now);
  const reached = occurrences.filter((o) => o.reminder === 0).map((o) => o.rung);
  const clocks = before.map((c) => (c === clock ? after : c));
  const { byKey } = openTaskIndex(locked.openTasks);
  const key = taskKeyOf(clockId);
  const task = key === null ? undefined : locked.openTasks.find((t) => t.key === key);
  const next = pendingRungs(after, env.calendar, env.now)[0];
  const effects: CaseEffect[] = [
    ...(after === clock ? [] : [{ type: 'case.clocks', clocks } as const]),
    ...told(occurrences).flatMap(({ rung, reminder }) =>
      notices(locked, rung, reminder, task?.departmentCode ?? clock.holder ?? locked.case.leadDepartment, { clock: clockId, rung: rung.name, colour: rung.colour, ...(reminder > 0 ? { reminder } : {}), ...(task ? { taskId: task.id } : {}) }),
    ),
    ...colourEffects(before, clocks, byKey),
    ...(next && (key === null || task) ? [{ type: 'timer.schedule', timer: rungTimer(clockContext(locked, env), clockId, task?.id ?? null, next.at) } as const] : []),
  ];
  return { effects, clocks, reached, data: { clock: clockId, rungs: occurrences.map((o) => ledgerName(o.rung, o.reminder)), colour: clockColour(after) } };
}

/**
 * What is told of the occurrences reached at once: each rung reached, and of a rung already reached only its
 * latest reminder — a worker that was down does not send a burst of stale reminders (all are on the ledger).
 */
function told(occurrences: readonly PendingRung[]): PendingRung[] {
  const reachedNow = new Set(occurrences.filter((o) => o.reminder === 0).map((o) => o.rung));
  const latest = new Map<Rung, PendingRung>();
  for (const o of occurrences) if (o.reminder > 0 && !reachedNow.has(o.rung)) latest.set(o.rung, o);
  return [...occurrences.filter((o) => o.reminder === 0), ...latest.values()];
}

/** The notifications of a rung reached, one per audience (a case clock's department is its lead department: told once). */
function notices(locked: LockedCase, rung: Rung, reminder: number, department: DepartmentCode, data: Record<string, unknown>): CaseEffect[] {
  const targets: Record<RungAudience, { key: string; audience: NewNotification['audience']; data: Record<string, unknown> }> = {
    department: { key: department, audience: { departmentCode: department }, data },
    'department-lead': { key: `${department}/lead`, audience: { departmentCode: department }, data: { ...data, for: 'lead' } },
    'lead-department': { key: locked.case.leadDepartment, audience: { departmentCode: locked.case.leadDepartment }, data },
    supervisors: { key: 'supervisors', audience: { supervisors: true }, data },
  };
  const unique = new Map(rung.notify.map((a) => [targets[a].key, targets[a]]));
  return [...unique.values()].map((t) => notify({ caseId: locked.case.id }, t.audience, reminder === 0 ? 'warning.reached' : 'warning.reminder', t.data));
}
