import type { DepartmentCode, UserId } from './ids.js';

export const ROLES = ['intake_clerk', 'handler', 'lead', 'supervisor', 'designer', 'admin', 'department_system'] as const;
export type Role = (typeof ROLES)[number];

/** Who issues a command: a person or a department system, always acting for one department. */
export interface Actor {
  readonly userId: UserId;
  readonly departmentCode: DepartmentCode;
  readonly roles: readonly Role[];
}

export const hasRole = (actor: Actor, ...roles: Role[]): boolean => actor.roles.some((r) => roles.includes(r));
