import type { CaseId, TaskId, TimerId } from './ids.js';

/**
 * What commands share. Each command itself is declared by its operation (`operations/`); the union of
 * those on an existing case is `CaseCommand` (`operations/decide-command.ts`).
 */

export const OPINION_VISIBILITIES = ['internal', 'public'] as const;
/** `internal`: for the departments of the case and supervisors; `public`: also shown to the applicant. */
export type OpinionVisibility = (typeof OPINION_VISIBILITIES)[number];

/** A material handed in with a start or a supplement, as the API checked it (an upload's digest and size, or a licence). */
export interface MaterialInput {
  /** The name the service item lists it under (`RequiredMaterial.name`). */
  readonly name: string;
  readonly sha256: string;
  readonly sizeBytes: number;
  /** The uploaded file holding its bytes (`material_blobs`); none for a licence reused or a record without a file. */
  readonly blobId?: string | undefined;
  readonly contentType?: string | undefined;
  /** The electronic licence (电子证照) that stands in for it (证照复用), verified at intake. */
  readonly licenceNumber?: string | undefined;
}

/**
 * How the store finds the case a command is about, in the same query that locks it. `pendingTimers` asks for
 * every pending timer of the case too (`LockedCase.pendingTimers`), which only a recount of deadlines needs.
 */
export type CaseRef =
  /**
   * `unreadCopies`: with the case's copies not yet read (`LockedCase.unreadCopies`), which a new copy skips.
   * `caseFile`: with its materials and supplement requests (`LockedCase.caseFile`), which a supplement and a
   * request for one need (its next versions; 一次性告知).
   */
  | { readonly caseId: CaseId; readonly pendingTimers?: true; readonly unreadCopies?: true; readonly caseFile?: true }
  | { readonly taskId: TaskId; readonly caseFile?: true }
  | { readonly timerId: TimerId }
  /** A supervision notice's case, with the notice (`LockedCase.notice`). */
  | { readonly noticeId: string }
  /** A copy's case, with the copy (`LockedCase.copy`). */
  | { readonly copyId: string };
