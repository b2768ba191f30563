import { and, asc, eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import type { Role } from '../engine/access/actor.js';
import type { Sql } from './connection.js';
import { departments, users } from './schema/index.js';

/** A person as the workspace shows them: name, the department they act for, their roles. */
export interface UserProfile {
  readonly id: string;
  readonly name: string;
  readonly departmentCode: string;
  readonly departmentName: string;
  readonly roles: readonly Role[];
}

const profileColumns = {
  id: users.id,
  name: users.name,
  departmentCode: users.departmentCode,
  departmentName: departments.name,
  roles: users.roles,
};

const asProfile = (row: { id: string; name: string; departmentCode: string; departmentName: string; roles: string[] }): UserProfile => ({
  ...row,
  roles: row.roles as Role[],
});

/** The active user's profile, or null (unknown or deactivated). */
export async function findUserProfile(sql: Sql, id: string): Promise<UserProfile | null> {
  const [row] = await drizzle(sql)
    .select(profileColumns)
    .from(users)
    .innerJoin(departments, eq(departments.code, users.departmentCode))
    .where(and(eq(users.id, id), eq(users.active, true)));
  return row ? asProfile(row) : null;
}

/** Every active person, by department then id: the demo sign-in's picker (only where demo sign-in is on). */
export async function listActiveUsers(sql: Sql): Promise<UserProfile[]> {
  const rows = await drizzle(sql)
    .select(profileColumns)
    .from(users)
    .innerJoin(departments, eq(departments.code, users.departmentCode))
    .where(eq(users.active, true))
    .orderBy(asc(users.departmentCode), asc(users.id));
  return rows.map(asProfile);
}

/** A department's active people, by id: whom a task may be transferred to (转办) inside it. */
export async function listDepartmentPeople(sql: Sql, code: string): Promise<UserProfile[]> {
  const rows = await drizzle(sql)
    .select(profileColumns)
    .from(users)
    .innerJoin(departments, eq(departments.code, users.departmentCode))
    .where(and(eq(users.departmentCode, code), eq(users.active, true)))
    .orderBy(asc(users.id));
  return rows.map(asProfile);
}
