import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { NoticeStatus } from '../../engine/supervision-notice.js';
import { casePartKey } from './case-part-key.js';

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * Supervision notices (督办): a supervisor's notice on a case, or on one of its tasks, that the department holding
 * it must answer by `due_at` (its clock `notice:<id>` in the case's clocks, at issue). Written by the commit
 * statement only (`db/effects/notice-writers.ts`): issued open, then answered or closed, once.
 *
 * The lists (`db/supervision-notice-queries.ts`) read them by due time: the supervisors' of one status through
 * `supervision_notices_status_idx` (overdue: open and due before now, its prefix), a department's through
 * `supervision_notices_department_idx`; a case's through `supervision_notices_case_idx`.
 */
export const supervisionNotices = pgTable(
  'supervision_notices',
  {
    id: uuid('id').notNull(),
    caseId: uuid('case_id').notNull(),
    taskId: uuid('task_id'),
    departmentCode: text('department_code').notNull(),
    message: text('message').notNull(),
    issuedBy: text('issued_by').notNull(),
    issuedAt: instant('issued_at').notNull(),
    responseWorkingDays: integer('response_working_days').notNull(),
    dueAt: instant('due_at').notNull(),
    status: text('status').$type<NoticeStatus>().notNull(),
    response: text('response'),
    respondedBy: text('responded_by'),
    respondedAt: instant('responded_at'),
    closedBy: text('closed_by'),
    closedAt: instant('closed_at'),
  },
  (t) => [
    casePartKey(t),
    index('supervision_notices_case_idx').on(t.caseId),
    index('supervision_notices_status_idx').on(t.status, t.dueAt, t.id),
    index('supervision_notices_department_idx').on(t.departmentCode, t.status, t.dueAt, t.id),
  ],
);
