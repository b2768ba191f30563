import { ids, payloadList, rowIn, type EffectWriters } from './effect-writer.js';
import { STILL_OPEN } from './task-writers.js';

/** 委派: the task's holder and its delegation columns, as the delegation, its resolution or its recall left them. */
export const DELEGATION_WRITERS = {
  'task.delegation': {
    write: rowIn('tasksDelegated', (e) => ({ id: e.taskId, assigneeId: e.assigneeId, delegatedBy: e.delegatedBy, delegation: e.delegation, proposal: e.proposal })),
    arms: (caseId) => [
      `tasks_delegated as (
  update tasks t set status = 'claimed', assignee_id = x."assigneeId", delegated_by = x."delegatedBy", delegation = x."delegation",
    delegation_proposal = x."proposal"
  from jsonb_to_recordset(${payloadList('tasksDelegated')}) as x("id" uuid, "assigneeId" text, "delegatedBy" text, "delegation" text, "proposal" jsonb)
  where t.id = x."id" and t.id = any(${ids('tasksDelegated')}) and t.case_id = ${caseId} and ${STILL_OPEN}
  returning t.id
)`,
    ],
    // Decided on the task as read under the lock; a task closed since keeps its hands, and the command is refused.
    checks: [
      {
        name: 'tasksDelegated',
        holds: `(select count(*) from tasks_delegated) = jsonb_array_length(${payloadList('tasksDelegated')})`,
        refusal: 'a task to delegate is no longer open',
      },
    ],
  },
} satisfies Partial<EffectWriters>;
