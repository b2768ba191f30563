import { asc } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import type { Sql } from './connection.js';
import type { DepartmentRow } from './reference-data.js';
import { departments } from './schema/index.js';

/** Every department, by code: reference data (who an API key or a person may act for). */
export async function listDepartments(sql: Sql): Promise<DepartmentRow[]> {
  return drizzle(sql).select({ code: departments.code, name: departments.name, parentCode: departments.parentCode }).from(departments).orderBy(asc(departments.code));
}
