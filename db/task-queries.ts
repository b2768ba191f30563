import { and, asc, count, desc, eq, inArray } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import type { DepartmentCode } from '../engine/ids.js';
import type { Sql } from './connection.js';
import { tasks } from './schema/index.js';

export type TaskRow = typeof tasks.$inferSelect;

export interface TaskPage {
  readonly items: TaskRow[];
  readonly total: number;
}

const OPEN = ['open', 'claimed'];

/**
 * A department's inbox: open tasks by due time (most urgent first) or done tasks, latest first. Both
 * orders match a partial index (`tasks_inbox_idx`, `tasks_done_idx`).
 */
export async function listDepartmentTasks(
  sql: Sql,
  department: DepartmentCode,
  query: { status: 'open' | 'done'; page: number; pageSize: number },
): Promise<TaskPage> {
  const db = drizzle(sql);
  const where =
    query.status === 'open'
      ? and(eq(tasks.departmentCode, department), inArray(tasks.status, OPEN))
      : and(eq(tasks.departmentCode, department), eq(tasks.status, 'completed'));
  const order = query.status === 'open' ? [asc(tasks.dueAt), asc(tasks.id)] : [desc(tasks.completedAt), asc(tasks.id)];
  const [items, [total]] = await Promise.all([
    db
      .select()
      .from(tasks)
      .where(where)
      .orderBy(...order)
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db.select({ n: count() }).from(tasks).where(where),
  ]);
  return { items, total: total?.n ?? 0 };
}

/** One task, only if it belongs to the department. */
export async function findDepartmentTask(sql: Sql, department: DepartmentCode, id: string): Promise<TaskRow | null> {
  const [row] = await drizzle(sql)
    .select()
    .from(tasks)
    .where(and(eq(tasks.id, id), eq(tasks.departmentCode, department)));
  return row ?? null;
}
