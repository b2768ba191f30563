import type { CaseId, TaskId, TimerId } from './ids.js';

/**
 * What commands share. Each command itself is declared by its operation (`operations/`); the union of
 * those on an existing case is `CaseCommand` (`operations/decide-command.ts`).
 */

export const OPINION_VISIBILITIES = ['internal', 'public'] as const;
/** `internal`: for the departments of the case and supervisors; `public`: also shown to the applicant. */
export type OpinionVisibility = (typeof OPINION_VISIBILITIES)[number];

export interface MaterialInput {
  readonly name: string;
  readonly sha256: string;
  readonly sizeBytes: number;
}

/**
 * How the store finds the case a command is about, in the same query that locks it. `pendingTimers` asks for
 * every pending timer of the case too (`LockedCase.pendingTimers`), which only a recount of deadlines needs.
 */
export type CaseRef =
  /** `unreadCopies`: with the case's copies not yet read (`LockedCase.unreadCopies`), which a new copy skips. */
  | { readonly caseId: CaseId; readonly pendingTimers?: true; readonly unreadCopies?: true }
  | { readonly taskId: TaskId }
  | { readonly timerId: TimerId }
  /** A supervision notice's case, with the notice (`LockedCase.notice`). */
  | { readonly noticeId: string }
  /** A copy's case, with the copy (`LockedCase.copy`). */
  | { readonly copyId: string };
