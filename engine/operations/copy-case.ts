import { randomUUID } from 'node:crypto';
import type { Actor } from '../access/actor.js';
import { authorizeInforming } from '../access/authorization-policy.js';
import { PERMISSIONS } from '../access/permission-matrix.js';
import { buildCommit } from '../case-commit.js';
import type { CaseCopy, CopyRecipient, NewCaseCopy } from '../case-copy.js';
import { notify } from '../effect-planner.js';
import { InvalidCommandError } from '../errors.js';
import type { CaseId, DepartmentCode } from '../ids.js';
import type { CaseOperation } from './case-operation.js';
import { committed, unchanged } from './decision.js';

/** 抄送: a case sent, for information, to people and/or departments outside its work. */
export interface CopyCase {
  readonly type: 'case.copy';
  readonly actor: Actor;
  readonly caseId: CaseId;
  readonly recipients: readonly CopyRecipient[];
  /** What the sender wants the recipients to know; may be empty. */
  readonly note: string;
}

/** The most recipients one copy names: a circulation list, not a broadcast. */
export const MAX_COPY_RECIPIENTS = 50;
/** The longest note, in characters. */
export const MAX_COPY_NOTE_LENGTH = 2000;

/**
 * `case.copy` (抄送): one copy per recipient, who may then read the case (read-only) and mark the copy read (已阅).
 * Allowed on a case in any status (a copy informs; a decided case may be copied too), by a person of a department
 * taking part in it or a supervisor (`authorizeInforming`). A recipient who already has an unread copy of the case
 * is skipped (all skipped: nothing changes). Each recipient department is told (`case.copied`, naming the person when
 * the copy is to one); audited as `case.copied` with the recipients. The case's version stays: a copy changes nothing
 * a handler's `expectedVersion` protects.
 */
export const copyCase: CaseOperation<CopyCase> = {
  type: 'case.copy',
  permission: 'case.copy',
  caseRef: (command) => ({ caseId: command.caseId, unreadCopies: true }),
  decide(locked, command, env) {
    const { actor } = command;
    authorizeInforming(actor, locked.case, locked.openTasks);
    if (command.recipients.length === 0) throw new InvalidCommandError('A copy needs at least one recipient.', ['recipients']);
    if (command.recipients.length > MAX_COPY_RECIPIENTS) throw new InvalidCommandError(`A copy names at most ${MAX_COPY_RECIPIENTS} recipients.`, ['recipients']);
    command.recipients.forEach((recipient, i) => assertRecipient(actor, recipient, i));
    const note = command.note.trim();
    if (note.length > MAX_COPY_NOTE_LENGTH) throw new InvalidCommandError(`note must be at most ${MAX_COPY_NOTE_LENGTH} characters`, ['note']);
    const fresh = newRecipients(command.recipients, locked.unreadCopies ?? []);
    if (fresh.length === 0) return unchanged(locked);
    const copies: NewCaseCopy[] = fresh.map((recipient) => ({
      id: randomUUID(),
      caseId: locked.case.id,
      sentBy: actor.userId,
      sentByDepartment: actor.departmentCode,
      recipientUser: 'userId' in recipient ? recipient.userId : null,
      recipientDepartment: 'userId' in recipient ? null : recipient.departmentCode,
      note,
      sentAt: env.now,
    }));
    // One notice per department reached: a copy to a person is told to their department, naming them.
    const told = new Map<DepartmentCode, NewCaseCopy[]>();
    fresh.forEach((recipient, i) => {
      const sent = told.get(recipient.departmentCode) ?? [];
      told.set(recipient.departmentCode, [...sent, copies[i] as NewCaseCopy]);
    });
    return committed(
      buildCommit(locked, env.now, {
        step: null,
        effects: [
          ...copies.map((copy) => ({ type: 'copy.send', copy }) as const),
          ...[...told].map(([department, sent]) =>
            notify({ caseId: locked.case.id }, { departmentCode: department }, 'case.copied', { copyIds: sent.map((c) => c.id), recipients: sent.map(recipientOf), note, by: actor.userId }),
          ),
        ],
        auditType: 'case.copied',
        actor,
        data: { copyIds: copies.map((c) => c.id), recipients: copies.map(recipientOf), note },
        keepVersion: true,
      }),
    );
  },
};

/** A recipient the copy may go to: not oneself, not one's own department (it reads the case already), a person who reads copies. */
function assertRecipient(actor: Actor, recipient: CopyRecipient, index: number): void {
  if ('userId' in recipient) {
    if (recipient.userId === actor.userId) throw new InvalidCommandError('A copy is not sent to oneself.', ['recipients', index, 'userId']);
    const readers = PERMISSIONS['case.copy.read'];
    if (!recipient.roles.some((role) => readers.includes(role))) {
      throw new InvalidCommandError(`${recipient.userId} does not read copies: it needs one of the roles ${readers.join(', ')}.`, ['recipients', index, 'userId']);
    }
  } else if (recipient.departmentCode === actor.departmentCode) {
    throw new InvalidCommandError('A copy is not sent to one’s own department, which reads the case already.', ['recipients', index, 'departmentCode']);
  }
}

/** The recipients named once each, without those who have an unread copy of the case already. */
function newRecipients(recipients: readonly CopyRecipient[], unread: readonly CaseCopy[]): CopyRecipient[] {
  const seen = new Set(unread.map((c) => keyOf(recipientOf(c))));
  return recipients.filter((r) => {
    const key = keyOf(r);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const keyOf = (r: { readonly userId: string } | { readonly departmentCode: string }): string => ('userId' in r ? `user:${r.userId}` : `department:${r.departmentCode}`);

/** A copy's recipient as notifications and the audit name it. */
const recipientOf = (copy: NewCaseCopy): { userId: string } | { departmentCode: string } =>
  copy.recipientUser === null ? { departmentCode: copy.recipientDepartment as string } : { userId: copy.recipientUser };
