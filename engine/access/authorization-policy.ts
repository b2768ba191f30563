import { hasRole, type Actor, type Role } from './actor.js';
import type { TaskKind } from '../definitions/case-machine.js';
import type { CaseRecord, TaskRecord } from '../case-record.js';
import { addressedTo, type CaseCopy } from '../case-copy.js';
import { CaseNotFoundError, CopyNotFoundError, ForbiddenError, InvalidCommandError, NoticeNotFoundError, TaskNotFoundError } from '../errors.js';
import type { DepartmentCode, UserId } from '../ids.js';
import type { SupervisionNotice } from '../supervision-notice.js';

/**
 * Who may act on what (deny by default). The permission matrix decides roles per operation, checked for
 * every command before its operation decides (`decideCommand`); this module adds the department and
 * task-kind rules of commands. Reads are scoped in SQL by department
 * participation. A task of another department is answered as not found, never as forbidden, so task ids
 * of other departments cannot be probed.
 */

/** Roles that may complete each kind of task, inside the task's own department. */
export const TASK_ROLES: Readonly<Record<TaskKind, readonly Role[]>> = {
  intake: ['intake_clerk', 'handler', 'lead'],
  review: ['handler', 'lead', 'department_system'],
  countersign: ['handler', 'lead', 'department_system'],
  correction: ['intake_clerk', 'handler', 'lead'],
  // A decision is signed by a person with authority, never by a machine client.
  decision: ['lead'],
  licence: ['handler', 'lead'],
};

/** A person as the API found them in the users table (active, their department and roles), named in a command as whom a task goes to. */
export interface Colleague {
  readonly userId: UserId;
  readonly departmentCode: DepartmentCode;
  readonly roles: readonly Role[];
}

/**
 * Whom a task is handed to (转办, 委派) must be of the task's department and hold a role that handles its kind: else
 * the task could sit with nobody able to act. 422 on the command's `to.userId`.
 */
export function assertHandles(person: Colleague, task: TaskRecord): void {
  if (person.departmentCode !== task.departmentCode) {
    throw new InvalidCommandError(`The person is not of ${task.departmentCode}, which holds task ${task.id}.`, ['to', 'userId']);
  }
  const allowed = TASK_ROLES[task.kind];
  if (!person.roles.some((role) => allowed.includes(role))) {
    throw new InvalidCommandError(`The person cannot handle a ${task.kind} task: it needs one of the roles ${allowed.join(', ')}.`, ['to', 'userId']);
  }
}

export function authorizeTaskAction(actor: Actor, task: TaskRecord, action: 'claim' | 'complete'): void {
  if (actor.departmentCode !== task.departmentCode) throw new TaskNotFoundError(task.id);
  const allowed = TASK_ROLES[task.kind];
  if (!hasRole(actor, ...allowed)) {
    throw new ForbiddenError(`${action} a ${task.kind} task`, `it needs one of the roles ${allowed.join(', ')}`);
  }
}

/**
 * A claim is given back by whoever holds it, or by the lead of the task's department: when the holder is
 * away, nobody else could act on the task. Inside the department only; another's task is not found.
 */
export function authorizeRelease(actor: Actor, task: TaskRecord): void {
  if (actor.departmentCode !== task.departmentCode) throw new TaskNotFoundError(task.id);
  if (task.assigneeId !== null && task.assigneeId !== actor.userId && !hasRole(actor, 'lead')) {
    throw new ForbiddenError("release another handler's claim", "only the department's lead releases a claim someone else holds");
  }
}

/**
 * 转办: inside the department, whoever holds the task hands it on, or the department's lead (an unclaimed task has
 * no holder, and a holder may be away); another department's task is not found. To another department, only the
 * lead of the case's lead department (牵头部门), who answers for where the case's work goes.
 */
export function authorizeTransfer(actor: Actor, task: TaskRecord, record: CaseRecord, openTasks: readonly TaskRecord[], across: boolean): void {
  if (across) {
    authorizeLeadDepartment(actor, record, openTasks, 'transfer a task to another department');
    if (!hasRole(actor, 'lead')) throw new ForbiddenError('transfer a task to another department', "only the lead department's lead does");
    return;
  }
  if (actor.departmentCode !== task.departmentCode) throw new TaskNotFoundError(task.id);
  if (task.assigneeId !== actor.userId && !hasRole(actor, 'lead')) {
    throw new ForbiddenError('transfer this task', "only who holds it, or the department's lead, hands it on");
  }
}

export function authorizeSupplement(actor: Actor, record: CaseRecord): void {
  const ownsIntake = actor.departmentCode === record.intakeDepartment || actor.departmentCode === record.leadDepartment;
  if (!ownsIntake) throw new ForbiddenError('submit a supplement', 'your department did not take in this case');
}

/** Supervisors urge on any case; a lead only on the cases their department leads. */
export function authorizeUrge(actor: Actor, task: TaskRecord, record: CaseRecord): void {
  if (hasRole(actor, 'supervisor')) return;
  if (actor.departmentCode !== record.leadDepartment) {
    if (actor.departmentCode !== task.departmentCode) throw new TaskNotFoundError(task.id);
    throw new ForbiddenError('urge this task', 'only the lead department of the case or a supervisor urges');
  }
}

/**
 * Whether the actor's department takes part in the case as the engine sees it under the lock: it leads it,
 * took it in, or holds one of its open tasks. A department outside it is answered as if the case did not
 * exist, so case ids cannot be probed.
 */
function assertTakesPart(actor: Actor, record: CaseRecord, openTasks: readonly TaskRecord[]): void {
  const d = actor.departmentCode;
  if (d !== record.leadDepartment && d !== record.intakeDepartment && !openTasks.some((t) => t.departmentCode === d)) throw new CaseNotFoundError(record.id);
}

/**
 * 抄送 and 批注 inform, they decide nothing: a person of a department taking part in the case does both, and a
 * supervisor, who reads every case, on any. A department outside the case (a copy's recipient among them) does not
 * find it: a copy is read, not passed on.
 */
export function authorizeInforming(actor: Actor, record: CaseRecord, openTasks: readonly TaskRecord[]): void {
  if (!hasRole(actor, 'supervisor')) assertTakesPart(actor, record, openTasks);
}

/** 已阅: a copy is marked read by its person, or by anyone of its department; to anyone else it does not exist (404). */
export function authorizeCopyRead(actor: Actor, copy: CaseCopy): void {
  if (!addressedTo(copy, actor)) throw new CopyNotFoundError(copy.id);
}

/** 延期 (art. 42): the head of the lead department approves; only that department's lead records it. */
export function authorizeExtension(actor: Actor, record: CaseRecord, openTasks: readonly TaskRecord[]): void {
  authorizeLeadDepartment(actor, record, openTasks, 'extend the clocks of this case');
}

/** What only the case's lead department (牵头部门) does: its limits, the members and the closing of its joint review. */
export function authorizeLeadDepartment(actor: Actor, record: CaseRecord, openTasks: readonly TaskRecord[], action: string): void {
  assertTakesPart(actor, record, openTasks);
  if (actor.departmentCode !== record.leadDepartment) throw new ForbiddenError(action, 'only the lead department of the case does');
}

/**
 * 中止 and 恢复: the lead department of the case (its lead, by the matrix), or a supervisor on any case (a complaint
 * under investigation, a court's ruling awaited). 终止 is the lead department's alone: it ends the case for good.
 */
export function authorizeCaseStatusChange(actor: Actor, record: CaseRecord, openTasks: readonly TaskRecord[], action: string): void {
  if (hasRole(actor, 'supervisor')) return;
  authorizeLeadDepartment(actor, record, openTasks, action);
}

/** 撤件: the applicant withdraws through the window that took the application in. */
export function authorizeCaseWithdrawal(actor: Actor, record: CaseRecord): void {
  if (actor.departmentCode !== record.intakeDepartment) {
    if (actor.departmentCode !== record.leadDepartment) throw new CaseNotFoundError(record.id);
    throw new ForbiddenError('withdraw this case', 'an application is withdrawn through the window that took it in');
  }
}

/**
 * A hearing, expert review, testing… (art. 45) is started and ended by the lead department, or by a
 * department whose step it holds up (one holding an open task of the case).
 */
export function authorizeSpecialProcedure(actor: Actor, record: CaseRecord, openTasks: readonly TaskRecord[]): void {
  assertTakesPart(actor, record, openTasks);
  const holdsItUp = actor.departmentCode === record.leadDepartment || openTasks.some((t) => t.departmentCode === actor.departmentCode);
  if (!holdsItUp) throw new ForbiddenError('start or end a special procedure on this case', 'your department neither leads it nor holds one of its open tasks');
}

/**
 * A supervision notice (督办) is answered by the department holding it, no other: to any other department, in
 * the case or not, it does not exist (404), so notice ids cannot be probed.
 */
export function authorizeNoticeResponse(actor: Actor, notice: SupervisionNotice): void {
  if (actor.departmentCode !== notice.departmentCode) throw new NoticeNotFoundError(notice.id);
}

/**
 * 吊销/注销: an administrator revokes any licence; a lead only one their department issued (the department that
 * decided can take its decision back, no other).
 */
export function authorizeRevocation(actor: Actor, licence: { readonly number: string; readonly issuingDepartment: string }): void {
  if (hasRole(actor, 'admin')) return;
  if (actor.departmentCode !== licence.issuingDepartment) throw new ForbiddenError(`revoke licence ${licence.number}`, 'only its issuing department or an administrator revokes it');
}
