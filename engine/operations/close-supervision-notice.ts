import type { Actor } from '../access/actor.js';
import { notify } from '../effect-planner.js';
import type { CaseOperation } from './case-operation.js';
import { clockChange } from './clock-change.js';
import { assertNoticeOpen, lockedNotice, noticeClockStopped, noticeFacts } from './notice-change.js';

/** A supervisor closes a supervision notice (督办) without (waiting for) its answer. */
export interface CloseSupervisionNotice {
  readonly type: 'supervision-notice.close';
  readonly actor: Actor;
  readonly noticeId: string;
}

/**
 * Closes the notice: its clock stops (its rung timer cancelled), it is `closed`, the department holding it is
 * told it need not answer (`supervision-notice.closed`) and the closing is audited. Any supervisor closes any
 * notice; an answered or closed one is refused (409).
 */
export const closeSupervisionNotice: CaseOperation<CloseSupervisionNotice> = {
  type: 'supervision-notice.close',
  permission: 'supervision-notice.close',
  caseRef: (command) => ({ noticeId: command.noticeId }),
  decide(locked, command, env) {
    const notice = lockedNotice(locked, command.noticeId);
    assertNoticeOpen(notice, 'closed');
    const about = noticeFacts(notice, env.now);
    return clockChange(locked, env, {
      keepVersion: true,
      actor: command.actor,
      clocks: noticeClockStopped(locked, notice, env.now),
      effects: [
        { type: 'notice.close', noticeId: notice.id, closedBy: command.actor.userId, at: env.now },
        notify({ caseId: locked.case.id }, { departmentCode: notice.departmentCode }, 'supervision-notice.closed', { ...about, closedBy: command.actor.userId }),
      ],
      auditType: 'supervision-notice.closed',
      data: about,
    });
  },
};
