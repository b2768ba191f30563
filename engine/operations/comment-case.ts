import { randomUUID } from 'node:crypto';
import type { Actor } from '../access/actor.js';
import { authorizeInforming } from '../access/authorization-policy.js';
import { buildCommit } from '../case-commit.js';
import type { OpinionVisibility } from '../case-command.js';
import { InvalidCommandError } from '../errors.js';
import type { CaseId } from '../ids.js';
import type { CaseOperation } from './case-operation.js';
import { assertOpen, committed } from './decision.js';
import { requiredText } from './notice-change.js';

/** 批注: something said on a case without acting on it. */
export interface CommentCase {
  readonly type: 'case.comment';
  readonly actor: Actor;
  readonly caseId: CaseId;
  readonly text: string;
  /** As an opinion's: `internal` for the departments of the case (by the opinion rules), `public` for the applicant too. */
  readonly visibility: OpinionVisibility;
}

/** The longest comment, in characters. */
export const MAX_COMMENT_LENGTH = 2000;

/**
 * `case.comment` (批注): a person of a department taking part in the case, or a supervisor (`authorizeInforming`),
 * comments on a case still to be decided (running or suspended; a decided case takes none: 409). Read by the rules
 * of opinions (`opinion-visibility.ts`). Audited as `case.commented`; the case's version stays: a comment changes no
 * state a handler's `expectedVersion` protects.
 */
export const commentCase: CaseOperation<CommentCase> = {
  type: 'case.comment',
  permission: 'case.comment',
  caseRef: (command) => ({ caseId: command.caseId }),
  decide(locked, command, env) {
    const { actor } = command;
    authorizeInforming(actor, locked.case, locked.openTasks);
    assertOpen(locked.case);
    const text = requiredText(command.text, 'text');
    if (text.length > MAX_COMMENT_LENGTH) throw new InvalidCommandError(`text must be at most ${MAX_COMMENT_LENGTH} characters`, ['text']);
    const id = randomUUID();
    const comment = { id, caseId: locked.case.id, authorId: actor.userId, departmentCode: actor.departmentCode, text, visibility: command.visibility, at: env.now };
    return committed(
      buildCommit(locked, env.now, {
        step: null,
        effects: [{ type: 'comment.add', comment }],
        auditType: 'case.commented',
        actor,
        data: { commentId: id, visibility: command.visibility },
        keepVersion: true,
      }),
    );
  },
};
