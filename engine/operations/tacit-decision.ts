import { randomUUID } from 'node:crypto';
import type { TaskRecord } from '../case-record.js';
import { openedIds, type CaseEffect } from '../case-effect.js';
import { stepMachine, type MachineStep } from '../case-snapshot.js';
import type { LockedCase } from '../case-store.js';
import { EVENT_BY_OUTCOME, type CaseEvent, type TaskOutcome } from '../definitions/case-machine.js';
import { planEffects } from '../effect-planner.js';
import { taskKeyOf, workingDaysTaken } from '../case-clocks.js';
import { userId } from '../ids.js';
import type { Rung } from '../time/ladder.js';
import { clockContext } from './clock-change.js';
import { planning, type DecisionEnv } from './decision.js';
import type { RungsReached } from './reach-rungs.js';

/** The kinds of task a tacit decision applies to when its rung names none: a department's review or countersign. */
const TACIT_KINDS_BY_DEFAULT: readonly string[] = ['review', 'countersign'];

/** The step deemed decided (视为同意 / 视为不予同意): the open task, its outcome and the legal basis. */
export interface DeemedDecision {
  readonly task: TaskRecord;
  readonly outcome: Extract<TaskOutcome, 'approve' | 'reject'>;
  readonly legalBasis: string;
}

/** The decision a reached rung deems on its task's clock, if its service item's ladder says so. */
export function deemedDecision(locked: LockedCase, clockId: string, reached: readonly Rung[]): DeemedDecision | null {
  const key = taskKeyOf(clockId);
  const task = key === null ? undefined : locked.openTasks.find((t) => t.key === key);
  if (!task) return null;
  const rung = reached.find((r) => r.tacit && (r.tacit.taskKinds ?? TACIT_KINDS_BY_DEFAULT).includes(task.kind));
  return rung?.tacit ? { task, outcome: rung.tacit.outcome, legalBasis: rung.tacit.legalBasis } : null;
}

/**
 * The task completed by the system as deemed, with an opinion that says so and why (internal, read as any
 * department's: the other member departments learn the outcome once the joint decision is made), and the case
 * moved on as if its department had decided; the rung's own effects come first (the next rung of a task now closed is not scheduled). Null when
 * the case, in its state, does not take the outcome.
 */
export function deemedCompletion(locked: LockedCase, rungs: RungsReached, deemed: DeemedDecision, env: DecisionEnv): { effects: CaseEffect[]; step: MachineStep } | null {
  const { task, outcome, legalBasis } = deemed;
  const text = `${outcome === 'approve' ? '视为同意' : '视为不予同意'}：逾期未作出决定（${legalBasis}）Deemed ${outcome === 'approve' ? 'approved' : 'refused'}: no decision within the time limit`;
  const event: CaseEvent = { type: EVENT_BY_OUTCOME[outcome], task: task.key, department: task.departmentCode, ...(outcome === 'reject' ? { reason: text } : {}) };
  const step = stepMachine(env.definition, locked.case.snapshot, event);
  if (!step.accepted) return null;
  const system = userId('system');
  const afterRungs: LockedCase = { ...locked, case: { ...locked.case, clocks: rungs.clocks } };
  const planned = planEffects(step.actions, planning(afterRungs, env, step, { task, outcome }));
  const effects: CaseEffect[] = [
    ...rungs.effects.filter((e) => !(e.type === 'timer.schedule' && e.timer.taskId === task.id)),
    {
      type: 'task.complete',
      taskId: task.id,
      outcome,
      completedBy: system,
      at: env.now,
      workingDays: workingDaysTaken(locked.case.clocks, task.key, clockContext(locked, env)),
      opened: openedIds(planned),
    },
    { type: 'timer.cancel', match: { taskId: task.id } },
    {
      type: 'opinion.record',
      opinion: { id: randomUUID(), caseId: locked.case.id, taskId: task.id, departmentCode: task.departmentCode, authorId: system, outcome, text, visibility: 'internal', at: env.now },
    },
    ...planned,
  ];
  return { effects, step };
}
