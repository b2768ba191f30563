import type { Actor } from '../access/actor.js';
import { authorizeNoticeResponse } from '../access/authorization-policy.js';
import { notify } from '../effect-planner.js';
import type { CaseOperation } from './case-operation.js';
import { clockChange } from './clock-change.js';
import { assertNoticeOpen, lockedNotice, noticeClockStopped, noticeFacts, requiredText } from './notice-change.js';

/** The answer of the department holding a supervision notice (督办). */
export interface RespondToSupervisionNotice {
  readonly type: 'supervision-notice.respond';
  readonly actor: Actor;
  readonly noticeId: string;
  readonly response: string;
}

/**
 * Answers the notice: its clock stops (its rung timer cancelled), it is `answered`, the supervisors are told
 * (`supervision-notice.answered`, saying whether it came late) and the answer is audited. Only the department
 * holding it answers (any other: 404); an answered or closed notice is refused (409). A case that has ended
 * meanwhile does not end its notices: they are still answered.
 */
export const respondToSupervisionNotice: CaseOperation<RespondToSupervisionNotice> = {
  type: 'supervision-notice.respond',
  permission: 'supervision-notice.respond',
  caseRef: (command) => ({ noticeId: command.noticeId }),
  decide(locked, command, env) {
    const notice = lockedNotice(locked, command.noticeId);
    authorizeNoticeResponse(command.actor, notice);
    assertNoticeOpen(notice, 'answered');
    const response = requiredText(command.response, 'response');
    const about = noticeFacts(notice, env.now);
    return clockChange(locked, env, {
      keepVersion: true,
      actor: command.actor,
      clocks: noticeClockStopped(locked, notice, env.now),
      effects: [
        { type: 'notice.respond', noticeId: notice.id, response, respondedBy: command.actor.userId, at: env.now },
        notify({ caseId: locked.case.id }, { supervisors: true }, 'supervision-notice.answered', { ...about, response, respondedBy: command.actor.userId }),
      ],
      auditType: 'supervision-notice.answered',
      data: { ...about, response },
    });
  },
};
