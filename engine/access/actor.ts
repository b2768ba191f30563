import type { DepartmentCode, UserId } from '../ids.js';

export const ROLES = ['intake_clerk', 'handler', 'lead', 'supervisor', 'designer', 'admin', 'department_system'] as const;
export type Role = (typeof ROLES)[number];

/** Who issues a command: a person or a department system, always acting for one department. */
export interface Actor {
  readonly userId: UserId;
  readonly departmentCode: DepartmentCode;
  readonly roles: readonly Role[];
  /** Operations a department system's API key is limited to; people have no scopes (their roles decide). */
  readonly scopes?: readonly string[];
}

export const hasRole = (actor: Actor, ...roles: Role[]): boolean => actor.roles.some((r) => roles.includes(r));
