import type { Role } from '../engine/access/actor.js';
import { InvalidCommandError } from '../engine/errors.js';
import { departmentCode, userId, type DepartmentCode, type UserId } from '../engine/ids.js';
import type { ApiDeps } from './api-deps.js';

/** A person as the users table has them: active, their department and roles. */
export interface NamedPerson {
  readonly userId: UserId;
  readonly departmentCode: DepartmentCode;
  readonly roles: readonly Role[];
}

/** A person, or a department that exists: whom a command names (转办, 委派, 抄送). */
export type NamedParty = NamedPerson | { readonly departmentCode: DepartmentCode };

/** The active person `id` (the engine decides what their department and roles allow); nobody active by that id is a 422 at `path`. */
export async function personNamed(deps: ApiDeps, id: string, path: readonly (string | number)[]): Promise<NamedPerson> {
  const person = await deps.queries.findUserProfile(id);
  if (!person) throw new InvalidCommandError(`No active person ${id}.`, [...path, 'userId']);
  return { userId: userId(person.id), departmentCode: departmentCode(person.departmentCode), roles: person.roles };
}

/**
 * What the engine needs of the person or department a request names, read here because the engine reads no database:
 * a person as the users table has them (active, their department and roles: the engine decides what those allow), or
 * a department that exists. Anything else is refused (422) at `path`.
 */
export async function namedParty(deps: ApiDeps, named: { userId: string } | { departmentCode: string }, path: readonly (string | number)[]): Promise<NamedParty> {
  if ('userId' in named) return personNamed(deps, named.userId, path);
  if (!(await deps.queries.departmentExists(named.departmentCode))) throw new InvalidCommandError(`No department ${named.departmentCode}.`, [...path, 'departmentCode']);
  return { departmentCode: departmentCode(named.departmentCode) };
}
