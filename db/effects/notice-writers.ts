import { ids, payloadList, rowIn, type CommitCheck, type EffectWriters, type PayloadList } from './effect-writer.js';
import type { NoticeStatus } from '../../engine/supervision-notice.js';

/**
 * The arm moving the notices of `list` from one of the statuses `from` (literals, never input) to `status`:
 * `set` the columns of that move, from `columns` besides id and at.
 */
const moved = (caseId: string, list: PayloadList, from: string, status: Exclude<NoticeStatus, 'open'>, set: string, columns: string): string => `${armName(list)} as (
  update supervision_notices n set status = '${status}', ${set}
  from jsonb_to_recordset(${payloadList(list)}) as x("id" uuid, ${columns}, "at" timestamptz)
  where n.id = x."id" and n.id = any(${ids(list)}) and n.case_id = ${caseId} and n.status in (${from})
  returning n.id
)`;

/** A notice moves once: the commit is refused when one of `list` had moved already. */
const movedOnce = (list: PayloadList): CommitCheck => ({
  name: list,
  holds: `(select count(*) from ${armName(list)}) = jsonb_array_length(${payloadList(list)})`,
  refusal: 'a supervision notice was answered or closed by someone else',
});

/** `noticesAnswered` → `notices_answered`. */
const armName = (list: PayloadList): string => list.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * The supervision notices (督办) of the case: issued open, answered once, closed once (open or answered). The
 * status a move starts from is checked in the arms, and the checks refuse the commit when a notice was in another
 * (two racing answers: the second is refused), though the case's lock already orders the commands that decide on a notice.
 */
export const NOTICE_WRITERS = {
  'notice.issue': {
    write: rowIn('noticesIssued', (e) => e.notice),
    arms: () => [
      `notices_issued as (
  insert into supervision_notices (id, case_id, task_id, department_code, message, issued_by, issued_at, response_working_days, due_at, status)
  select x."id", x."caseId", x."taskId", x."departmentCode", x."message", x."issuedBy", x."issuedAt", x."responseWorkingDays", x."dueAt", 'open'
  from jsonb_to_recordset(${payloadList('noticesIssued')}) as x("id" uuid, "caseId" uuid, "taskId" uuid, "departmentCode" text, "message" text,
    "issuedBy" text, "issuedAt" timestamptz, "responseWorkingDays" integer, "dueAt" timestamptz)
)`,
    ],
  },
  'notice.respond': {
    write: rowIn('noticesAnswered', (e) => ({ id: e.noticeId, response: e.response, respondedBy: e.respondedBy, at: e.at })),
    arms: (caseId) => [moved(caseId, 'noticesAnswered', `'open'`, 'answered', `response = x."response", responded_by = x."respondedBy", responded_at = x."at"`, `"response" text, "respondedBy" text`)],
    checks: [movedOnce('noticesAnswered')],
  },
  'notice.close': {
    write: rowIn('noticesClosed', (e) => ({ id: e.noticeId, closedBy: e.closedBy, at: e.at })),
    // Open (withdrawn) or answered (settled).
    arms: (caseId) => [moved(caseId, 'noticesClosed', `'open', 'answered'`, 'closed', `closed_by = x."closedBy", closed_at = x."at"`, `"closedBy" text`)],
    checks: [movedOnce('noticesClosed')],
  },
} satisfies Partial<EffectWriters>;
