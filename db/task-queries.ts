import type { DepartmentCode } from '../engine/ids.js';
import type { Sql } from './connection.js';
import { pageTotal, type ListSource, type PageTotal } from './page-total.js';
import { toTaskRecord, type Row } from './row-mapping.js';
import type { tasks } from './schema/index.js';

export type TaskRow = typeof tasks.$inferSelect;

export interface TaskPage extends PageTotal {
  readonly items: TaskRow[];
}

export interface TaskListQuery {
  readonly status: 'open' | 'done';
  readonly page: number;
  readonly pageSize: number;
  /** Rows counted beyond the page's offset before the total becomes a lower bound (default `PAGE_COUNT_CAP`). */
  readonly countCap?: number;
}

/**
 * A department's inbox: open tasks by due time (most urgent first) or done tasks, latest first, with a
 * capped total (`pageTotal`). The page and the count both follow a partial index (`tasks_inbox_idx`,
 * `tasks_done_idx`); the statuses are literals in the SQL so that generic plans match those indexes too.
 *
 * Tagged templates rather than drizzle: they are prepared statements, so once a connection has prepared
 * them each query is one round trip (Bind/Execute) instead of drizzle's Parse/Describe first. The page and
 * the count run side by side on two connections.
 */
export async function listDepartmentTasks(sql: Sql, department: DepartmentCode, query: TaskListQuery): Promise<TaskPage> {
  const list: ListSource =
    query.status === 'open'
      ? { from: sql`tasks where department_code = ${department} and status in ('open', 'claimed')`, indexOrder: sql`due_at` }
      : { from: sql`tasks where department_code = ${department} and status = 'completed'`, indexOrder: sql`completed_at desc` };
  const offset = (query.page - 1) * query.pageSize;
  const [rows, total] = await Promise.all([
    sql<Row[]>`select * from ${list.from} order by ${list.indexOrder}, id limit ${query.pageSize} offset ${offset}`,
    pageTotal(sql, list, { offset, pageSize: query.pageSize }, query.countCap),
  ]);
  return { items: rows.map(toTaskRow), ...total };
}

/** One task, only if it belongs to the department. */
export async function findDepartmentTask(sql: Sql, department: DepartmentCode, id: string): Promise<TaskRow | null> {
  const [row] = await sql<Row[]>`select * from tasks where id = ${id} and department_code = ${department}`;
  return row ? toTaskRow(row) : null;
}

/** A raw `tasks` row (timestamps as text, see `connection.ts`) as drizzle would have selected it. */
function toTaskRow(r: Row): TaskRow {
  return {
    ...toTaskRecord(r),
    serviceItemCode: (r['service_item_code'] as string | null) ?? null,
    warningLevel: r['warning_level'] as string,
    completedBy: (r['completed_by'] as string | null) ?? null,
    workingDays: (r['working_days'] as number | null) ?? null,
  };
}

/** The id of the case's open task with this key (at most one is open per key), or null. */
export async function findOpenTaskId(sql: Sql, caseId: string, key: string): Promise<string | null> {
  const [row] = await sql`select id from tasks where case_id = ${caseId} and key = ${key} and status = 'open'`;
  return row ? (row['id'] as string) : null;
}
