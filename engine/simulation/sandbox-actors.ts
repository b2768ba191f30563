import type { Actor, Role } from '../access/actor.js';
import type { TaskKind } from '../definitions/case-machine.js';
import { departmentCode, userId } from '../ids.js';

/**
 * The people who act on a sandbox case (a simulation, a unit test): nobody real, each allowed exactly what the
 * role a task needs allows, so that the engine authorizes every move as it would for a real person.
 */

/** A person with one role acting for a department; the user id reads `<department>.<role>` unless given. */
export function actor(department: string, role: Role, id = `${department}.${role}`): Actor {
  return { userId: userId(id), departmentCode: departmentCode(department), roles: [role] };
}

/** The role that works each kind of task (a decision needs the department's lead). */
const WORKER_ROLE: Readonly<Record<TaskKind, Role>> = {
  intake: 'intake_clerk',
  review: 'handler',
  countersign: 'handler',
  correction: 'handler',
  decision: 'lead',
  licence: 'handler',
};

/** Someone allowed to claim and complete the task: its named signer, or its own department's, with the role its kind needs. */
export function workerFor(task: { readonly departmentCode: string; readonly kind: TaskKind; readonly signerId?: string | null }): Actor {
  return actor(task.departmentCode, WORKER_ROLE[task.kind], task.signerId ?? undefined);
}

/** Someone of the case's lead department (牵头部门) with the lead's authority. */
export const leadOf = (department: string): Actor => actor(department, 'lead');
