import type { Actor } from '../access/actor.js';
import { notify } from '../effect-planner.js';
import { NoticeStateError } from '../errors.js';
import type { CaseOperation } from './case-operation.js';
import { clockChange } from './clock-change.js';
import { lockedNotice, noticeClockStopped, noticeFacts } from './notice-change.js';

/** A supervisor closes a supervision notice (督办): settled once its answer is read, or withdrawn before one comes. */
export interface CloseSupervisionNotice {
  readonly type: 'supervision-notice.close';
  readonly actor: Actor;
  readonly noticeId: string;
}

/**
 * Closes the notice: it is `closed` (an answered one keeps its answer), the department holding it is told
 * (`supervision-notice.closed`, `answered` saying whether it had answered: else it need not) and the closing is
 * audited. An open one's clock stops (its rung timer cancelled); an answered one's stopped with the answer. Any
 * supervisor closes any notice; a closed one is refused (409).
 */
export const closeSupervisionNotice: CaseOperation<CloseSupervisionNotice> = {
  type: 'supervision-notice.close',
  permission: 'supervision-notice.close',
  caseRef: (command) => ({ noticeId: command.noticeId }),
  decide(locked, command, env) {
    const notice = lockedNotice(locked, command.noticeId);
    if (notice.status === 'closed') throw new NoticeStateError(notice.id, notice.status, 'closed');
    const about = { ...noticeFacts(notice, env.now), answered: notice.status === 'answered' };
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
