import { ids, payloadList, rowIn, type EffectWriters } from './effect-writer.js';
import { STILL_OPEN } from './task-writers.js';

/** 接办: the absent person's claimed task in their substitute's hands, held for them (`substituted_for`). */
export const TAKE_OVER_WRITER = {
  'task.take-over': {
    write: rowIn('tasksTakenOver', (e) => ({ id: e.taskId, assigneeId: e.assigneeId, substitutedFor: e.substitutedFor })),
    arms: (caseId) => [
      `tasks_taken_over as (
  update tasks t set assignee_id = x."assigneeId", substituted_for = x."substitutedFor"
  from jsonb_to_recordset(${payloadList('tasksTakenOver')}) as x("id" uuid, "assigneeId" text, "substitutedFor" text)
  where t.id = x."id" and t.id = any(${ids('tasksTakenOver')}) and t.case_id = ${caseId} and ${STILL_OPEN} and t.assignee_id = x."substitutedFor"
  returning t.id
)`,
    ],
    // Decided on the task as read under the lock: a task closed or in other hands since is not taken, and the command is refused.
    checks: [
      {
        name: 'tasksTakenOver',
        holds: `(select count(*) from tasks_taken_over) = jsonb_array_length(${payloadList('tasksTakenOver')})`,
        refusal: 'a task to take over is no longer held by the absent person',
      },
    ],
  },
} satisfies Partial<EffectWriters>;
