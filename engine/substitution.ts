import type { Actor } from './access/actor.js';
import { TASK_ROLES } from './access/authorization-policy.js';
import type { CaseEffect } from './case-effect.js';
import type { TaskKind } from './definitions/case-machine.js';
import type { Countersign } from './definitions/countersign.js';
import type { DepartmentCode, TaskId, UserId } from './ids.js';

/**
 * Out-of-office substitution (代理): while its window `[startsAt, endsAt)` holds, `substitute` stands in for the
 * absent person — a task opened for them (a countersign's named signer) opens for the substitute, and a task they
 * hold may be taken over (接办). The engine reads no database: the store hands it the windows a decision needs
 * (`CaseReads.substitutionsAt`), the API the one a take-over names. The substitute comes as the users table has
 * them now, so a task is never routed to someone who could not act on it.
 */
export interface Substitution {
  readonly id: string;
  /** The absent person (代理 for whom). */
  readonly absentId: UserId;
  readonly substitute: Pick<Actor, 'userId' | 'departmentCode' | 'roles'>;
  readonly startsAt: Date;
  readonly endsAt: Date;
  /** Cancelled windows hold no more (the audit of what was done under them still names them). */
  readonly cancelledAt: Date | null;
}

/** Whether the window holds at `at`: started, not ended, not cancelled. */
export const holdsAt = (s: Substitution, at: Date): boolean => s.cancelledAt === null && s.startsAt <= at && at < s.endsAt;

/** Whether a person acts on tasks of this department and kind (the kind's roles, `TASK_ROLES`). */
const handles = (person: Pick<Actor, 'departmentCode' | 'roles'>, task: { readonly departmentCode: DepartmentCode; readonly kind: TaskKind }): boolean =>
  person.departmentCode === task.departmentCode && person.roles.some((role) => TASK_ROLES[task.kind].includes(role));

/**
 * Who a task opened for `signerId` goes to at `at`: the substitute of a window holding then, who acts for the task's
 * department and handles its kind, and signs no other seat of the same countersign step (`countersigns`, the case's
 * after the step); else nobody (it opens for the signer). A step the definition marks as not substitutable
 * (`substitutable: false`) is not asked.
 */
export function standInFor(
  substitutions: readonly Substitution[],
  signerId: UserId,
  task: { readonly key: string; readonly departmentCode: DepartmentCode; readonly kind: TaskKind },
  at: Date,
  countersigns: Readonly<Record<string, Countersign>> | undefined,
): Substitution | null {
  const seated = fellowSigners(countersigns, task.key);
  return substitutions.find((s) => s.absentId === signerId && holdsAt(s, at) && handles(s.substitute, task) && !seated.has(s.substitute.userId)) ?? null;
}

/**
 * The people who sign, in their own right, the countersign step whose task `taskKey` is: none of them is given another
 * signer's seat as well (one person, one vote — a 票签 or a 会签 would count them twice). Empty for a task of no step.
 */
export function fellowSigners(countersigns: Readonly<Record<string, Countersign>> | undefined, taskKey: string): ReadonlySet<string> {
  const step = Object.values(countersigns ?? {}).find((c) => c.signers.some((s) => s.task === taskKey));
  return new Set(step?.signers.flatMap((s) => (s.person !== null && s.task !== taskKey ? [s.person] : [])) ?? []);
}

/** The named signers a decision opens tasks for: whose substitutions the store is asked for, and only then. */
export const signersOpened = (effects: readonly CaseEffect[]): UserId[] => [
  ...new Set(effects.flatMap((e) => (e.type === 'task.open' && e.task.signerId !== null ? [e.task.signerId] : []))),
];

/** A task opened for a substitute, as the opening command's audit event names it: the task and both people. */
interface OpenedForSubstitute {
  readonly taskId: TaskId;
  readonly task: string;
  readonly signer: UserId;
  readonly substitute: UserId;
}

/** The tasks among `effects` that open for a substitute: the audit names both people of each (`openedForSubstitutes`). */
export function openedForSubstitutes(effects: readonly CaseEffect[]): { openedForSubstitutes?: OpenedForSubstitute[] } {
  const opened = effects.flatMap((e) =>
    e.type === 'task.open' && e.task.signerId !== null && e.task.substituteId !== null
      ? [{ taskId: e.task.id, task: e.task.key, signer: e.task.signerId, substitute: e.task.substituteId }]
      : [],
  );
  return opened.length > 0 ? { openedForSubstitutes: opened } : {};
}
