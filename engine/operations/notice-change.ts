import { noticeClockId, stopClocks } from '../case-clocks.js';
import type { LockedCase } from '../case-store.js';
import { InvalidCommandError, NoticeNotFoundError, NoticeStateError } from '../errors.js';
import type { SupervisionNotice } from '../supervision-notice.js';
import type { LegalClock } from '../time/legal-clock.js';

/**
 * What the supervision-notice operations (督办: issue, respond, close) share: finding the notice the command
 * names, refusing one that has ended, stopping its clock. They commit through `clockChange` (`keepVersion`).
 */

/** The notice the store loaded for a `{ noticeId }` reference; 404 when there is none. */
export function lockedNotice(locked: LockedCase, noticeId: string): SupervisionNotice {
  const notice = locked.notice;
  if (!notice || notice.id !== noticeId || notice.caseId !== locked.case.id) throw new NoticeNotFoundError(noticeId);
  return notice;
}

/** An answered or closed notice takes no (other) answer (409, nothing changed); closing has its own rule. */
export function assertNoticeOpen(notice: SupervisionNotice, action: string): void {
  if (notice.status !== 'open') throw new NoticeStateError(notice.id, notice.status, action);
}

/** What a notice's notifications and audit events say of it at `now`: which, whose, when due, and whether that has passed (`late`). */
export function noticeFacts(notice: SupervisionNotice, now: Date): Record<string, unknown> {
  return { noticeId: notice.id, department: notice.departmentCode, ...(notice.taskId ? { taskId: notice.taskId } : {}), dueAt: notice.dueAt.toISOString(), late: now > notice.dueAt };
}

/** The text, trimmed; refused when empty (422). */
export function requiredText(text: string, field: string): string {
  const trimmed = text.trim();
  if (trimmed === '') throw new InvalidCommandError(`${field} must not be empty`, [field]);
  return trimmed;
}

/** The case's clocks with the notice's response limit stopped (the same list when it has already stopped: a closed case stopped it). */
export function noticeClockStopped(locked: LockedCase, notice: SupervisionNotice, now: Date): readonly LegalClock[] {
  return stopClocks(locked.case.clocks, now, (c) => c.id === noticeClockId(notice.id));
}
