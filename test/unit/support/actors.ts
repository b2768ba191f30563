import type { Actor, Role } from '../../../engine/access/actor.js';
import type { TaskKind } from '../../../engine/definitions/case-machine.js';
import { departmentCode, userId } from '../../../engine/ids.js';

/** A person with one role acting for a department; the user id reads `<department>.<role>` unless given. */
export function actor(department: string, role: Role, id = `${department}.${role}`): Actor {
  return { userId: userId(id), departmentCode: departmentCode(department), roles: [role] };
}

/** The role that works each kind of task in the shipped processes (decisions need the lead). */
const WORKER_ROLE: Readonly<Record<TaskKind, Role>> = {
  intake: 'intake_clerk',
  review: 'handler',
  countersign: 'handler',
  correction: 'handler',
  decision: 'lead',
  licence: 'handler',
};

/** Someone allowed to claim and complete the task: its own department, the role its kind needs. */
export function workerFor(task: { readonly departmentCode: string; readonly kind: TaskKind }): Actor {
  return actor(task.departmentCode, WORKER_ROLE[task.kind]);
}

/** The intake clerk at the service centre window (综合窗口), who starts cases and passes on supplements. */
export const WINDOW_CLERK = actor('window', 'intake_clerk', 'window.clerk');
