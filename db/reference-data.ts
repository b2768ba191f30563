import { drizzle } from 'drizzle-orm/postgres-js';
import type { CalendarYear } from '../engine/time/calendar-year.js';
import type { Role } from '../engine/access/actor.js';
import type { ServiceItem } from '../engine/service-item.js';
import type { Sql } from './connection.js';
import { calendarYearChecksum } from './calendar-import.js';
import { departments, serviceItems, users } from './schema/index.js';

/**
 * Reference data (departments, calendars, service items). Each write is idempotent: what exists is kept,
 * except a calendar's years installed from the maintained package, which follow it (`installCalendar`).
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

/** A calendar as installed with the shipped data: what it is besides its years. */
export interface CalendarRow {
  readonly code: string;
  readonly name: string;
  readonly timeZone: string;
  readonly utcOffsetMinutes: number;
  /** Saturday and Sunday when not given, as the column's default. */
  readonly weekendDays?: readonly number[] | undefined;
  readonly parentCode?: string | undefined;
}

/**
 * Adds the calendar (an existing one is kept) and installs years of data from the maintained package
 * (`imported_by` null). A year already installed from the package is refreshed when the package's data or
 * version changed; an imported year (an administrator's or the CLI's) is never overwritten, so importing
 * the real arrangement over the package's data sticks across restarts.
 */
export async function installCalendar(sql: Sql, calendar: CalendarRow, years: readonly CalendarYear[]): Promise<void> {
  await sql`insert into calendars (code, name, time_zone, utc_offset_minutes, weekend_days, parent_code)
    values (${calendar.code}, ${calendar.name}, ${calendar.timeZone}, ${calendar.utcOffsetMinutes}, ${[...(calendar.weekendDays ?? [0, 6])]}, ${calendar.parentCode ?? null})
    on conflict (code) do nothing`;
  for (const year of years) {
    const holidays = [...new Set(year.holidays)].sort();
    const makeUpWorkdays = [...new Set(year.makeUpWorkdays)].sort();
    await sql`insert into calendar_years (calendar_code, year, holidays, make_up_workdays, source, checksum)
      values (${calendar.code}, ${year.year}, ${holidays}, ${makeUpWorkdays}, ${year.source}, ${calendarYearChecksum(calendar.code, year)})
      on conflict (calendar_code, year) do update set holidays = excluded.holidays, make_up_workdays = excluded.make_up_workdays,
        source = excluded.source, checksum = excluded.checksum, imported_at = excluded.imported_at
      where calendar_years.imported_by is null
        and (calendar_years.checksum, calendar_years.source) is distinct from (excluded.checksum, excluded.source)`;
  }
}

/**
 * Seeds the catalogue with shipped items: each version is added as published (by nobody: shipped) unless it exists,
 * and becomes the version in force when the item has none yet, or when a later shipped version replaces a shipped
 * one. A version a designer published is never replaced: the database, not the code, holds the catalogue.
 */
export async function seedServiceItems(sql: Sql, items: readonly ServiceItem[]): Promise<void> {
  for (const item of items) {
    const { code, version, ...content } = item;
    await sql`insert into service_item_versions (code, version, status, content, updated_by, updated_at, published_by, published_at)
      values (${code}, ${version}, 'published', ${JSON.stringify(content)}::jsonb, 'system', now(), null, now())
      on conflict (code, version) do nothing`;
    const [inForce] = await sql<{ version: number; seeded: boolean }[]>`select s.version, v.published_by is null as seeded
      from service_items s left join service_item_versions v on v.code = s.code and v.version = s.version
      where s.code = ${code}`;
    if (inForce && !(inForce.seeded && inForce.version < version)) continue;
    const row = { ...item, participatingDepartments: [...item.participatingDepartments] };
    await drizzle(sql).insert(serviceItems).values(row).onConflictDoUpdate({ target: serviceItems.code, set: row });
  }
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
