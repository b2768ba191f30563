import { hasRole, type Actor, type Role } from './actor.js';
import type { TaskKind } from './case-machine.js';
import type { CaseRecord, TaskRecord } from './case-record.js';
import { ForbiddenError, TaskNotFoundError } from './errors.js';

/**
 * Who may act on what (deny by default). Reads are scoped in SQL by department participation; this
 * module decides commands. A task of another department is answered as not found, never as forbidden,
 * so task ids of other departments cannot be probed.
 */

/** Roles that may complete each kind of task, inside the task's own department. */
export const TASK_ROLES: Readonly<Record<TaskKind, readonly Role[]>> = {
  intake: ['intake_clerk', 'handler', 'lead'],
  review: ['handler', 'lead'],
  countersign: ['handler', 'lead'],
  correction: ['intake_clerk', 'handler', 'lead'],
  decision: ['lead'],
  licence: ['handler', 'lead'],
};

export function authorizeTaskAction(actor: Actor, task: TaskRecord, action: 'claim' | 'complete'): void {
  if (actor.departmentCode !== task.departmentCode) throw new TaskNotFoundError(task.id);
  const allowed = TASK_ROLES[task.kind];
  if (!hasRole(actor, ...allowed)) {
    throw new ForbiddenError(`${action} a ${task.kind} task`, `it needs one of the roles ${allowed.join(', ')}`);
  }
}

export function authorizeStartCase(actor: Actor): void {
  if (!hasRole(actor, 'intake_clerk', 'department_system')) {
    throw new ForbiddenError('start a case', 'only an intake clerk or a department system starts cases');
  }
}

export function authorizeSupplement(actor: Actor, record: CaseRecord): void {
  const ownsIntake = actor.departmentCode === record.intakeDepartment || actor.departmentCode === record.leadDepartment;
  if (!ownsIntake) throw new ForbiddenError('submit a supplement', 'your department did not take in this case');
  if (!hasRole(actor, 'intake_clerk', 'handler', 'lead')) {
    throw new ForbiddenError('submit a supplement', 'it needs the intake clerk, handler or lead role');
  }
}
