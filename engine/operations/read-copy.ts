import type { Actor } from '../access/actor.js';
import { authorizeCopyRead } from '../access/authorization-policy.js';
import { buildCommit } from '../case-commit.js';
import { CopyNotFoundError } from '../errors.js';
import type { CaseOperation } from './case-operation.js';
import { committed, unchanged } from './decision.js';

/** 已阅: the recipient of a copy (抄送) marks it read. */
export interface ReadCopy {
  readonly type: 'copy.read';
  readonly actor: Actor;
  readonly copyId: string;
}

/**
 * `copy.read` (已阅): the copy's person, or anyone of its department, marks it read; when and by whom are set once
 * (read already: nothing changes), and the sender's side sees them. Whatever the case's status: a decided case's copy
 * is still read. To anyone else the copy does not exist (404). Audited as `copy.read`; the case's version stays, for
 * reading a copy changes nothing of the case.
 */
export const readCopy: CaseOperation<ReadCopy> = {
  type: 'copy.read',
  permission: 'case.copy.read',
  caseRef: (command) => ({ copyId: command.copyId }),
  decide(locked, command, env) {
    const copy = locked.copy;
    if (!copy || copy.id !== command.copyId || copy.caseId !== locked.case.id) throw new CopyNotFoundError(command.copyId);
    authorizeCopyRead(command.actor, copy);
    if (copy.readAt !== null) return unchanged(locked);
    return committed(
      buildCommit(locked, env.now, {
        step: null,
        effects: [{ type: 'copy.read', copyId: copy.id, readBy: command.actor.userId, at: env.now }],
        auditType: 'copy.read',
        actor: command.actor,
        data: { copyId: copy.id, sentBy: copy.sentBy },
        keepVersion: true,
      }),
    );
  },
};
