import type { Role } from './access/actor.js';
import type { CaseId, DepartmentCode, UserId } from './ids.js';

/**
 * A copy (抄送) of a case: a participant sends it to a person or a department outside the case's work, who then
 * read the case, read-only, and mark the copy read (已阅) once; the sender's side sees who read it and when.
 */

/**
 * Whom a copy goes to. A person comes as the API found them in the users table (active, their department and
 * roles): the engine reads no database, and whether those roles read a copy is its rule (the permission matrix).
 */
export type CopyRecipient =
  | { readonly userId: UserId; readonly departmentCode: DepartmentCode; readonly roles: readonly Role[] }
  | { readonly departmentCode: DepartmentCode };

/** A copy as sent (`copy.send`): to one person or one department, never both (`case_copies_one_recipient`). */
export interface NewCaseCopy {
  readonly id: string;
  readonly caseId: CaseId;
  readonly sentBy: UserId;
  readonly sentByDepartment: DepartmentCode;
  readonly recipientUser: UserId | null;
  readonly recipientDepartment: DepartmentCode | null;
  readonly note: string;
  readonly sentAt: Date;
}

/** A copy as the engine reads it, under its case's lock. */
export interface CaseCopy extends NewCaseCopy {
  /** When it was first marked read, and by whom (anyone of a recipient department); null while unread. */
  readonly readAt: Date | null;
  readonly readBy: UserId | null;
}

/** Whether the copy is addressed to this person: to them by name, or to their department. */
export const addressedTo = (copy: Pick<NewCaseCopy, 'recipientUser' | 'recipientDepartment'>, reader: { readonly userId: string; readonly departmentCode: string }): boolean =>
  copy.recipientUser === reader.userId || copy.recipientDepartment === reader.departmentCode;
