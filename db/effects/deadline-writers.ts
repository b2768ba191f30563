import { ids, payloadList, rowIn, type EffectWriters, type PayloadList } from './effect-writer.js';
import { STILL_OPEN } from './task-writers.js';
import { STILL_PENDING } from './timer-writers.js';

const RESCHEDULED_CASE = `${payloadList('casesRescheduled')}->0`;

/**
 * `case.reschedule` has no arm of its own: the case row is written once per statement (`case_written`), so the
 * row's update sets these columns, from the list's one row when there is one, else as they were.
 */
export const RESCHEDULED_CASE_COLUMNS = `due_at = coalesce((${RESCHEDULED_CASE}->>'dueAt')::timestamptz, due_at),
    due_derivation = coalesce(${RESCHEDULED_CASE}->'dueDerivation', due_derivation)`;

/**
 * Deadlines counted again on newer calendar data (`deadlines.recompute`): the due instant and its derivation
 * of an open task, a pending timer or the case. The operation plans nothing else in the same command, so no
 * other arm reaches these rows. A rescheduled timer due soon is relayed again by the commit statement's outbox
 * arm (it reads `timers_rescheduled`): its job may be gone, or behind the reconciler's walk. A job still
 * waiting for the old instant keeps its id: fired early, the engine re-delays it (`TimerNotDueError`); late,
 * the reconciler's overdue sweep promotes it.
 */
export const DEADLINE_WRITERS = {
  'task.reschedule': {
    write: rowIn('tasksRescheduled', (e) => ({ id: e.taskId, dueAt: e.dueAt, dueDerivation: e.dueDerivation })),
    arms: (caseId) => [rescheduleArm(caseId, 'tasks_rescheduled', 'tasks', 't', 'tasksRescheduled', STILL_OPEN, '')],
  },
  'timer.reschedule': {
    write: rowIn('timersRescheduled', (e) => ({ id: e.timerId, dueAt: e.dueAt, dueDerivation: e.dueDerivation })),
    arms: (caseId) => [rescheduleArm(caseId, 'timers_rescheduled', 'timers', 'tm', 'timersRescheduled', STILL_PENDING, 'returning tm.id, tm.due_at')],
  },
  'case.reschedule': {
    write: rowIn('casesRescheduled', (e) => ({ dueAt: e.dueAt, dueDerivation: e.dueDerivation })),
    arms: () => [],
  },
} satisfies Partial<EffectWriters>;

/** The arm that sets the due instant and derivation of the rows of `list` in `table` that are still open or pending. */
function rescheduleArm(caseId: string, name: string, table: string, alias: string, list: PayloadList, stillLive: string, returning: string): string {
  return `${name} as (
  update ${table} ${alias} set due_at = x."dueAt", due_derivation = x."dueDerivation"
  from jsonb_to_recordset(${payloadList(list)}) as x("id" uuid, "dueAt" timestamptz, "dueDerivation" jsonb)
  where ${alias}.id = x."id" and ${alias}.id = any(${ids(list)}) and ${alias}.case_id = ${caseId} and ${stillLive}
  ${returning}
)`;
}
