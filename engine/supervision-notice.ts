import type { CaseId, DepartmentCode, TaskId, UserId } from './ids.js';
import type { Ladder } from './time/ladder.js';

/**
 * A supervision notice (督办): a supervisor's formal notice on a case, or on one of its open tasks, that the
 * department holding it must answer within so many working days. Its response limit is a clock of the case
 * (`notice:<id>`, `case-clocks.ts`) that climbs {@link NOTICE_LADDER}; case pauses (补正, special procedures) do
 * not stop it: the department answers the supervisor whatever the case waits for. It ends answered (the
 * department's response) or closed (by a supervisor); either stops its clock.
 */
export const NOTICE_STATUSES = ['open', 'answered', 'closed'] as const;
export type NoticeStatus = (typeof NOTICE_STATUSES)[number];

/** A notice as issued (`notice.issue`). */
export interface NewSupervisionNotice {
  readonly id: string;
  readonly caseId: CaseId;
  /** The open task it names, or null for a notice on the case. */
  readonly taskId: TaskId | null;
  /** Who must answer: the named task's department, else the case's lead department. */
  readonly departmentCode: DepartmentCode;
  readonly message: string;
  readonly issuedBy: UserId;
  readonly issuedAt: Date;
  readonly responseWorkingDays: number;
  /** When the response is due: its clock's due instant at issue. */
  readonly dueAt: Date;
}

/** A notice as the engine reads it, under its case's lock. */
export interface SupervisionNotice extends NewSupervisionNotice {
  readonly status: NoticeStatus;
  readonly response: string | null;
  readonly respondedBy: UserId | null;
  readonly respondedAt: Date | null;
  readonly closedBy: UserId | null;
  readonly closedAt: Date | null;
}

/**
 * The ladder of a notice's response limit: yellow when 1 working day is left (the department holding it is
 * told), red when it is due (the department, its lead and the supervisors). Its rungs tell the notice's holding
 * department, which the clock names (`holder`).
 */
export const NOTICE_LADDER: Ladder = [
  { name: 'yellow', colour: 'yellow', when: [{ remainingWorkingDays: 1 }], notify: ['department'] },
  { name: 'red', colour: 'red', when: [{ overdueWorkingDays: 0 }], notify: ['department', 'department-lead', 'supervisors'] },
];
