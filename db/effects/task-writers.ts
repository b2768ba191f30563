import { CLOSING } from './case-close-writer.js';
import { ids, payloadList, rowIn, type EffectWriters } from './effect-writer.js';

/**
 * "Open" said as what it is not: written as `status in ('open', 'claimed')` the condition matches the partial
 * index of every open task (`tasks_inbox_idx`), and the planner ANDs that whole index into the primary-key
 * lookup (EXPLAIN ANALYZE: 3,300 entries read to complete one task).
 */
export const STILL_OPEN = `t.status not in ('completed', 'cancelled', 'withdrawn')`;

/**
 * A delegation (委派) is between a holder and their delegate: a task that leaves its holder (released, transferred)
 * ends it, and its proposal with it (another department must not read a department's draft opinion).
 */
const DELEGATION_ENDED = `delegated_by = null, delegation = null, delegation_proposal = null`;

/** The task effects: each a row of its list, each list written by one arm of the commit statement. */
export const TASK_WRITERS = {
  'task.open': {
    write: rowIn('tasksOpened', (e) => e.task),
    arms: () => [
      `tasks_opened as (
  insert into tasks (id, case_id, key, kind, title, department_code, service_item_code, status, assignee_id, signer_id, substituted_for, opened_at, due_at,
    due_derivation)
  select x."id", x."caseId", x."key", x."kind", x."title", x."departmentCode",
    -- A new case's item is in the payload (its row is written by this statement, unseen here); a case's own, else.
    coalesce($1::jsonb->'case'->>'serviceItemCode', (select c.service_item_code from cases c where c.id = x."caseId")),
    -- A named signer's task opens claimed by them, or by their substitute for them (engine/case-effect.ts: openedTask).
    case when x."signerId" is null then 'open' else 'claimed' end, coalesce(x."substituteId", x."signerId"), x."signerId",
    case when x."substituteId" is null then null else x."signerId" end, x."openedAt", x."dueAt", x."dueDerivation"
  from jsonb_to_recordset(${payloadList('tasksOpened')}) as x("id" uuid, "caseId" uuid, "key" text, "kind" text, "title" text,
    "departmentCode" text, "signerId" text, "substituteId" text, "openedAt" timestamptz, "dueAt" timestamptz, "dueDerivation" jsonb)
)`,
    ],
  },
  'task.claim': {
    write: rowIn('tasksClaimed', (e) => ({ id: e.taskId, assigneeId: e.assigneeId })),
    arms: (caseId) => [
      `tasks_claimed as (
  update tasks t set status = 'claimed', assignee_id = x."assigneeId"
  from jsonb_to_recordset(${payloadList('tasksClaimed')}) as x("id" uuid, "assigneeId" text)
  where t.id = x."id" and t.id = any(${ids('tasksClaimed')}) and t.case_id = ${caseId} and ${STILL_OPEN}
  returning t.id
)`,
    ],
  },
  'task.release': {
    write: rowIn('tasksReleased', (e) => ({ id: e.taskId })),
    arms: (caseId) => [
      `tasks_released as (
  -- Nobody holds it now, for anyone (代理 ends with the hold), nor for a delegate (委派 ends with it).
  update tasks t set status = 'open', assignee_id = null, substituted_for = null, ${DELEGATION_ENDED}
  where t.id = any(${ids('tasksReleased')}) and t.case_id = ${caseId} and ${STILL_OPEN}
)`,
    ],
  },
  'task.transfer': {
    write: rowIn('tasksTransferred', (e) => ({ id: e.taskId, departmentCode: e.departmentCode, assigneeId: e.assigneeId })),
    arms: (caseId) => [
      `tasks_transferred as (
  -- 转办: the same row (id, due instant, clock) in other hands: claimed by the person, or open in the department's inbox.
  -- Whoever receives it holds it in their own right: a substitute's hold (代理) does not travel with it.
  update tasks t set department_code = x."departmentCode", assignee_id = x."assigneeId", substituted_for = null, ${DELEGATION_ENDED},
    status = case when x."assigneeId" is null then 'open' else 'claimed' end
  from jsonb_to_recordset(${payloadList('tasksTransferred')}) as x("id" uuid, "departmentCode" text, "assigneeId" text)
  where t.id = x."id" and t.id = any(${ids('tasksTransferred')}) and t.case_id = ${caseId} and ${STILL_OPEN}
  returning t.id
)`,
    ],
    // Decided on the task as read under the lock; a task closed since is not moved, and the command is refused.
    checks: [
      {
        name: 'tasksTransferred',
        holds: `(select count(*) from tasks_transferred) = jsonb_array_length(${payloadList('tasksTransferred')})`,
        refusal: 'a task to transfer is no longer open',
      },
    ],
  },
  'task.complete': {
    write: rowIn('tasksCompleted', (e) => ({ id: e.taskId, outcome: e.outcome, completedBy: e.completedBy, at: e.at, workingDays: e.workingDays, opened: e.opened })),
    arms: (caseId) => [
      `tasks_completed as (
  update tasks t set status = 'completed', outcome = x."outcome", completed_at = x."at", completed_by = x."completedBy",
    assignee_id = coalesce(t.assignee_id, x."completedBy"), working_days = x."workingDays",
    opened_task_ids = nullif(array(select jsonb_array_elements_text(x."opened"))::uuid[], '{}')
  from jsonb_to_recordset(${payloadList('tasksCompleted')}) as x("id" uuid, "outcome" text, "completedBy" text, "at" timestamptz, "workingDays" integer,
    "opened" jsonb)
  where t.id = x."id" and t.id = any(${ids('tasksCompleted')}) and t.case_id = ${caseId} and ${STILL_OPEN}
  returning t.id
)`,
    ],
    // A task is completed once: the second of two racing completions finds it closed and is refused.
    checks: [
      {
        name: 'tasksCompleted',
        holds: `(select count(*) from tasks_completed) = jsonb_array_length(${payloadList('tasksCompleted')})`,
        refusal: 'a task was completed by someone else',
      },
    ],
  },
  'task.withdraw': {
    write: rowIn('tasksWithdrawn', (e) => ({ id: e.taskId })),
    arms: (caseId) => [
      `tasks_withdrawn as (
  update tasks t set status = 'withdrawn'
  where t.id = any(${ids('tasksWithdrawn')}) and t.case_id = ${caseId} and t.status = 'completed'
  returning t.id
)`,
    ],
    // Withdrawn once: the second of two racing withdrawals finds it withdrawn already.
    checks: [
      {
        name: 'tasksWithdrawn',
        holds: `(select count(*) from tasks_withdrawn) = jsonb_array_length(${payloadList('tasksWithdrawn')})`,
        refusal: 'a completion was withdrawn already',
      },
    ],
  },
  'task.warn': {
    write: rowIn('tasksWarned', (e) => ({ id: e.taskId, level: e.level })),
    arms: (caseId) => [
      `tasks_warned as (
  -- A task this command also cancels takes its warning in tasks_cancelled: one arm per row.
  update tasks t set warning_level = x."level"
  from jsonb_to_recordset(${payloadList('tasksWarned')}) as x("id" uuid, "level" text)
  where t.id = x."id" and t.id = any(${ids('tasksWarned')}) and t.case_id = ${caseId} and not ${CLOSING}
    and t.id not in (select value::uuid from jsonb_array_elements_text(${payloadList('tasksCancelled')}))
  returning t.id
)`,
    ],
  },
  // Also written by `case.close` (CLOSING), except the tasks the same command completes.
  'task.cancel': {
    write: rowIn('tasksCancelled', (e) => e.taskId),
    arms: (caseId) => [
      `tasks_cancelled as (
  update tasks t set status = 'cancelled', completed_at = ($1::jsonb->'case'->>'updatedAt')::timestamptz,
    warning_level = coalesce((select w."level" from jsonb_to_recordset(${payloadList('tasksWarned')}) as w("id" uuid, "level" text)
      where w."id" = t.id), t.warning_level)
  where t.case_id = ${caseId} and t.status in ('open', 'claimed')
    and (t.id in (select value::uuid from jsonb_array_elements_text(${payloadList('tasksCancelled')})) or ${CLOSING})
    and t.id not in (select x."id" from jsonb_to_recordset(${payloadList('tasksCompleted')}) as x("id" uuid))
)`,
    ],
  },
} satisfies Partial<EffectWriters>;
