import type { NewNotification } from '../../engine/case-effect.js';
import { payloadList, rowIn, type EffectWriters } from './effect-writer.js';

/** The row of a notification: its audience as the table's two columns. */
function notificationRow(n: NewNotification) {
  const audience =
    'departmentCode' in n.audience
      ? { audience: 'department', departmentCode: n.audience.departmentCode }
      : { audience: 'supervisors' in n.audience ? 'supervisors' : 'applicant', departmentCode: null };
  return { id: n.id, caseId: n.caseId, template: n.template, data: n.data, ...audience };
}

/**
 * `notification.send`. The notifications table is its own outbox: the relay reads unsent rows from it, so
 * no outbox row is written; `notifications_added` returns what wakes the relay (`commit-statement.ts`).
 */
export const NOTIFICATION_WRITER = {
  'notification.send': {
    write: rowIn('notifications', (e) => notificationRow(e.notification)),
    arms: () => [
      `notifications_added as (
  insert into notifications (id, case_id, department_code, audience, template, data, created_at)
  select x."id", x."caseId", x."departmentCode", x."audience", x."template", x."data", ($1::jsonb->'case'->>'updatedAt')::timestamptz
  from jsonb_to_recordset(${payloadList('notifications')}) as x("id" uuid, "caseId" uuid, "departmentCode" text, "audience" text,
    "template" text, "data" jsonb)
  returning id
)`,
    ],
  },
} satisfies Partial<EffectWriters>;
