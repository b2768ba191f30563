import { drizzle } from 'drizzle-orm/postgres-js';
import type { CalendarData } from '../engine/time/working-calendar.js';
import type { Role } from '../engine/access/actor.js';
import type { ServiceItem } from '../engine/service-item.js';
import type { Sql } from './connection.js';
import { calendars, departments, serviceItems, users } from './schema/index.js';

/**
 * Reference data (departments, calendars, service items). Each write is idempotent: what exists is kept,
 * except a calendar's days, which follow the latest import.
 */

export interface DepartmentRow {
  readonly code: string;
  readonly name: string;
  readonly parentCode: string | null;
}

/** Whether a department with this code exists. */
export async function departmentExists(sql: Sql, code: string): Promise<boolean> {
  const [row] = await sql`select 1 from departments where code = ${code}`;
  return row !== undefined;
}

export async function addDepartments(sql: Sql, list: readonly DepartmentRow[]): Promise<void> {
  const db = drizzle(sql);
  for (const department of list) await db.insert(departments).values(department).onConflictDoNothing();
}

/** Adds the calendar, or replaces its holidays and make-up working days with the ones given. */
export async function upsertCalendar(sql: Sql, calendar: CalendarData & { readonly name: string }): Promise<void> {
  const days = { holidays: [...calendar.holidays], makeUpWorkdays: [...calendar.makeUpWorkdays] };
  await drizzle(sql)
    .insert(calendars)
    .values({ code: calendar.code, name: calendar.name, utcOffsetMinutes: calendar.utcOffsetMinutes, ...days })
    .onConflictDoUpdate({ target: calendars.code, set: days });
}

export async function addServiceItems(sql: Sql, items: readonly ServiceItem[]): Promise<void> {
  const db = drizzle(sql);
  for (const item of items) await db.insert(serviceItems).values(item).onConflictDoNothing();
}

export interface UserRow {
  readonly id: string;
  readonly name: string;
  readonly departmentCode: string;
  readonly roles: readonly Role[];
}

/** Adds the users that do not exist yet (demo data; people of a deployment come from its identity provider). */
export async function addUsers(sql: Sql, list: readonly UserRow[]): Promise<void> {
  await drizzle(sql)
    .insert(users)
    .values(list.map((u) => ({ ...u, roles: [...u.roles] })))
    .onConflictDoNothing();
}
