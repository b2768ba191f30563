import { api, type Problem } from '../../api/client';
import type { components } from '../../api/schema';
import { confirmed } from '../../components/confirm';
import { stateName } from '../../../../diagram/diagram-labels';
import type { Wording } from '../../lib/wording';
import { departmentName } from '../../names';
import { refusal } from './refusal';

type Move = components['schemas']['Move'];
/** The API's union has these one-click task moves as one member (with 收回, `task.delegation.recall`). */
type PlainTaskMove = Extract<Move, { type: 'task.claim' | 'task.release' | 'task.urge' | 'task.withdraw' | 'task.delegation.recall' }>;

/** The moves that take nothing but a reason: 撤回 a decision, a member added to or removed from a joint review, the review closed, 减签, 撤件. */
export type ReasonMove = (PlainTaskMove & { type: 'task.withdraw' }) | Extract<Move, { type: 'review.members.change' | 'review.close' | 'countersign.signer.remove' | 'case.withdraw' }>;

export const isReasonMove = (m: Move): m is ReasonMove =>
  m.type === 'task.withdraw' || m.type === 'review.members.change' || m.type === 'review.close' || m.type === 'countersign.signer.remove' || m.type === 'case.withdraw';

/** Who a removable signer is: the named person, else their department. */
const whoSigns = (m: Extract<Move, { type: 'countersign.signer.remove' }>) => m.person ?? departmentName(m.department);

/** What a reason form says and sends for one move: its title, what the move does, a confirmation if it cannot be undone. */
export interface ReasonMoveForm {
  readonly title: string;
  readonly explanation: string;
  /** Asked once the reason checks out, before sending; null when the move needs no confirmation. */
  readonly confirm: (() => Promise<boolean>) | null;
  send(reason: string): Promise<Problem | null>;
}

/** The case the move is made on, as the page shows it (its version is sent as `expectedVersion`). */
export interface MoveOn {
  readonly caseId: string;
  readonly version: number;
  readonly taskTitle: (key: string) => string;
}

/** The button that offers the move: what it says. */
export function reasonMoveLabel(move: ReasonMove, w: Wording): string {
  switch (move.type) {
    case 'task.withdraw':
      return w.t('case.moves.withdraw');
    case 'review.members.change':
      return w.t(move.joins ? 'case.moves.addMember' : 'case.moves.removeMember', { department: departmentName(move.department) });
    case 'review.close':
      return w.t('case.moves.closeReview', { review: stateName(move.review, w) });
    case 'countersign.signer.remove':
      return w.t('case.moves.removeSigner', { signer: whoSigns(move) });
    case 'case.withdraw':
      return w.t('case.moves.withdrawCase');
  }
}

/** The form of a move that takes a reason, with the command it sends. */
export function reasonMoveForm(move: ReasonMove, on: MoveOn, w: Wording): ReasonMoveForm {
  const expectedVersion = on.version;
  const caseId = on.caseId;
  switch (move.type) {
    case 'task.withdraw':
      return {
        title: w.t('case.form.withdrawTitle', { task: on.taskTitle(move.task) }),
        explanation: w.t('case.form.withdrawExplain'),
        confirm: null,
        send: (reason) => refusal(api.POST('/api/tasks/{taskId}/withdrawal', { params: { path: { taskId: move.taskId } }, body: { reason, expectedVersion } })),
      };
    case 'review.members.change': {
      const department = departmentName(move.department);
      const body = { department: move.department, joins: move.joins, expectedVersion };
      return {
        title: w.t(move.joins ? 'case.form.addMemberTitle' : 'case.form.removeMemberTitle', { department }),
        explanation: w.t('case.form.membersExplain'),
        confirm: null,
        send: (reason) => refusal(api.POST('/api/cases/{caseId}/joint-reviews/{review}/members', { params: { path: { caseId, review: move.review } }, body: { ...body, reason } })),
      };
    }
    case 'review.close':
      return {
        title: w.t('case.form.closeReviewTitle', { review: stateName(move.review, w) }),
        explanation: w.t('case.form.closeReviewExplain'),
        confirm: null,
        send: (reason) => refusal(api.POST('/api/cases/{caseId}/joint-reviews/{review}/closure', { params: { path: { caseId, review: move.review } }, body: { reason, expectedVersion } })),
      };
    case 'countersign.signer.remove':
      return {
        title: w.t('case.form.removeSignerTitle', { signer: whoSigns(move) }),
        explanation: w.t('case.form.removeSignerExplain'),
        confirm: null,
        send: (reason) =>
          refusal(api.POST('/api/cases/{caseId}/countersigns/{step}/signers/{task}/removal', { params: { path: { caseId, step: move.step, task: move.task } }, body: { reason, expectedVersion } })),
      };
    case 'case.withdraw':
      return {
        title: w.t('case.form.withdrawCaseTitle'),
        explanation: w.t('case.form.withdrawCaseExplain'),
        // 撤件 closes the case for good: asked once more before it goes.
        confirm: () => confirmed(w.t('case.form.withdrawCaseConfirm'), w.t('case.form.withdrawCaseTitle'), w.t('case.form.withdrawCaseAction')),
        send: (reason) => refusal(api.POST('/api/cases/{caseId}/withdrawal', { params: { path: { caseId } }, body: { reason, expectedVersion } })),
      };
  }
}
