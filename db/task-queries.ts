import type postgres from 'postgres';
import type { Applicant } from '../engine/case-record.js';
import type { DepartmentCode } from '../engine/ids.js';
import type { WarningColour } from '../engine/time/ladder.js';
import type { LegalClock } from '../engine/time/legal-clock.js';
import type { Sql } from './connection.js';
import { pageTotal, type ListSource, type PageTotal } from './page-total.js';
import { toTaskRecord, type Row } from './row-mapping.js';
import type { tasks } from './schema/index.js';

export type TaskRow = typeof tasks.$inferSelect;

/** A task of a department's inbox with what its row shows of the case (the API decides what of it a reader sees). */
export interface InboxRow {
  readonly task: TaskRow;
  /** The case number (受理编号). */
  readonly caseNumber: string;
  readonly serviceItem: { readonly code: string; readonly name: string };
  /** The applicant as stored, and the departments that meet them (for `applicantSeenBy`). */
  readonly applicant: Applicant;
  readonly intakeDepartment: string;
  readonly leadDepartment: string;
  /** The calendar the case counts on. */
  readonly calendarCode: string;
  /** The task's clock (`task:<key>`) while the task is open; null once done, or for a case started before clocks were kept. */
  readonly clock: LegalClock | null;
}

export interface InboxPage extends PageTotal {
  readonly items: InboxRow[];
}

/** The orders an inbox offers: to do by due or received time; done by completion time. */
export const INBOX_SORTS = { open: ['dueAt', 'openedAt'], done: ['completedAt'] } as const;
export type InboxSort = (typeof INBOX_SORTS)[keyof typeof INBOX_SORTS][number];

export interface TaskListQuery {
  readonly status: 'open' | 'done';
  /** One of `INBOX_SORTS[status]`; by default the first (due time for to do, completion time for done). */
  readonly sort?: InboxSort | undefined;
  /** By default most urgent first (to do) and latest first (done). */
  readonly direction?: 'asc' | 'desc' | undefined;
  readonly serviceItem?: string | undefined;
  readonly colour?: WarningColour | undefined;
  /** Due at or before this instant. */
  readonly dueBy?: Date | undefined;
  readonly caseNumber?: string | undefined;
  readonly page: number;
  readonly pageSize: number;
  /** Rows counted beyond the page's offset before the total becomes a lower bound (default `PAGE_COUNT_CAP`). */
  readonly countCap?: number;
}

type Fragment = postgres.PendingQuery<postgres.Row[]>;

const SORT_COLUMNS: Record<InboxSort, string> = { dueAt: 'due_at', openedAt: 'opened_at', completedAt: 'completed_at' };

/**
 * A department's inbox: its open tasks (to do) by due time, most urgent first, or by received time; or its done
 * tasks by completion time, latest first; either direction, ties by id. Filtered by service item, colour, due
 * time and case number, with a capped total (`pageTotal`). Each row comes with its case's number, service item,
 * applicant and the task's clock.
 *
 * The page is read from `tasks` alone in index order — `tasks_inbox_idx` (department, due), `tasks_inbox_received_idx`
 * (department, received), `tasks_done_idx` (department, completed), or for one colour at risk
 * `tasks_at_risk_department_idx` (department, colour, due) — and only its rows are joined to their cases. Statuses and
 * colours are literals in the SQL so that generic plans match those partial indexes; a case number is one probe of
 * `cases_number_idx`, then `tasks_case_department_idx`.
 *
 * Tagged templates rather than drizzle: they are prepared statements, so once a connection has prepared them each
 * query is one round trip (Bind/Execute) instead of drizzle's Parse/Describe first. The page and the count run side
 * by side on two connections.
 *
 * @example
 * const { items, total } = await listDepartmentTasks(sql, departmentCode('fire'), { status: 'open', colour: 'yellow', page: 1, pageSize: 20 });
 */
export async function listDepartmentTasks(sql: Sql, department: DepartmentCode, query: TaskListQuery): Promise<InboxPage> {
  const sort = query.sort ?? INBOX_SORTS[query.status][0];
  const direction = query.direction ?? (query.status === 'open' ? 'asc' : 'desc');
  const column = sql(SORT_COLUMNS[sort]);
  const descending = direction === 'desc' ? sql`desc` : sql`asc`;
  const status = query.status === 'open' ? sql`status in ('open', 'claimed')` : sql`status = 'completed'`;
  const list: ListSource = { from: sql`tasks where department_code = ${department} and ${status} ${filters(sql, query)}`, indexOrder: sql`${column} ${descending}` };
  const offset = (query.page - 1) * query.pageSize;
  const [rows, total] = await Promise.all([
    sql<Row[]>`select t.*, ${CASE_COLUMNS(sql)}
      from (select * from ${list.from} order by ${column} ${descending}, id limit ${query.pageSize} offset ${offset}) t
      join cases c on c.id = t.case_id left join service_items s on s.code = c.service_item_code
      order by t.${column} ${descending}, t.id`,
    pageTotal(sql, list, { offset, pageSize: query.pageSize }, query.countCap),
  ]);
  return { items: rows.map(toInboxRow), ...total };
}

/** One task as its inbox row, only if it belongs to the department. */
export async function findDepartmentTask(sql: Sql, department: DepartmentCode, id: string): Promise<InboxRow | null> {
  const [row] = await sql<Row[]>`select t.*, ${CASE_COLUMNS(sql)}
    from tasks t join cases c on c.id = t.case_id left join service_items s on s.code = c.service_item_code
    where t.id = ${id} and t.department_code = ${department}`;
  return row ? toInboxRow(row) : null;
}

/** What an inbox row shows of its case (`c`, its service item `s`) beside the task (`t`). */
const CASE_COLUMNS = (sql: Sql) => sql`c.number as case_number, c.service_item_code as case_service_item, s.name as service_item_name,
  c.applicant, c.intake_department, c.lead_department, c.calendar_code,
  case when t.status in ('open', 'claimed') then (select e from jsonb_array_elements(c.clocks) e where e->>'id' = 'task:' || t.key limit 1) end as clock`;

/**
 * The list's filters, as conditions on `tasks`. Tasks closed before tasks kept their service item (migration 0018)
 * have none: for them alone the case's is looked up, by its key (a scalar subquery under `coalesce` runs only for
 * those rows; an `exists` would be planned as a hashed subplan reading every case of the item).
 */
function filters(sql: Sql, query: TaskListQuery): Fragment {
  const item = query.serviceItem;
  const byItem =
    item === undefined
      ? sql``
      : sql`and coalesce(service_item_code, (select c.service_item_code from cases c where c.id = tasks.case_id)) = ${item}`;
  const byColour = query.colour === undefined ? sql`` : COLOUR[query.colour](sql);
  const byDue = query.dueBy === undefined ? sql`` : sql`and due_at <= ${query.dueBy.toISOString()}::timestamptz`;
  const byCase = query.caseNumber === undefined ? sql`` : sql`and case_id = (select id from cases where number = ${query.caseNumber})`;
  return sql`${byItem} ${byColour} ${byDue} ${byCase}`;
}

/** One colour, as a literal: `warning_level = 'yellow'` implies the at-risk indexes' predicate, a parameter would not. */
const COLOUR: Record<WarningColour, (sql: Sql) => Fragment> = {
  green: (sql) => sql`and warning_level = 'green'`,
  yellow: (sql) => sql`and warning_level = 'yellow'`,
  red: (sql) => sql`and warning_level = 'red'`,
};

function toInboxRow(r: Row): InboxRow {
  return {
    task: toTaskRow(r),
    caseNumber: r['case_number'] as string,
    serviceItem: { code: r['case_service_item'] as string, name: (r['service_item_name'] as string | null) ?? (r['case_service_item'] as string) },
    applicant: r['applicant'] as Applicant,
    intakeDepartment: r['intake_department'] as string,
    leadDepartment: r['lead_department'] as string,
    calendarCode: r['calendar_code'] as string,
    clock: (r['clock'] as LegalClock | null) ?? null,
  };
}

/** A raw `tasks` row (timestamps as text, see `connection.ts`) as drizzle would have selected it. */
function toTaskRow(r: Row): TaskRow {
  return {
    ...toTaskRecord(r),
    serviceItemCode: (r['service_item_code'] as string | null) ?? null,
    warningLevel: r['warning_level'] as string,
    completedBy: (r['completed_by'] as string | null) ?? null,
    workingDays: (r['working_days'] as number | null) ?? null,
    openedTaskIds: ((r['opened_task_ids'] as string[] | null | undefined) ?? []),
  };
}

/** The id of the case's open (or claimed) task with this key (at most one is open per key), or null. */
export async function findOpenTaskId(sql: Sql, caseId: string, key: string): Promise<string | null> {
  const [row] = await sql`select id from tasks where case_id = ${caseId} and key = ${key} and status in ('open', 'claimed')`;
  return row ? (row['id'] as string) : null;
}
