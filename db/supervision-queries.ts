import type postgres from 'postgres';
import { hasRole, type Actor } from '../engine/access/actor.js';
import type { DepartmentCode } from '../engine/ids.js';
import type { Sql } from './connection.js';
import { instant } from './instants.js';
import { pageTotal, type ListSource, type PageTotal } from './page-total.js';

/**
 * What supervisors (效能监察) read: the running cases and open tasks that are at risk (yellow) or overdue
 * (red), most late first, and the counts per department and service item (`supervision_counts`).
 *
 * Each list reads partial indexes holding only its yellow and red rows, keyed `(…, warning_level, due_at, id)`
 * (`cases_at_risk_*`, `tasks_at_risk_*` in `schema/cases.ts`): one colour is one index range in due order; both
 * colours are the two ranges merged (a Merge Append of two ordered subqueries), so the page and its capped total
 * read about as many index entries as they return, whatever the size of the system. Every filter's column is in
 * every one of these indexes, so when the planner finds it as cheap to read a colour's whole range of the general
 * index and check the filters there, no row is read from the table to be thrown away. Colours and statuses are
 * literals in the SQL, so that prepared statements' generic plans match the partial indexes too.
 *
 * Supervisors read every department; anyone else (a department's lead) their own department's only: a filter
 * naming another department finds nothing.
 */

export const SUPERVISED_COLOURS = ['yellow', 'red'] as const;
export type SupervisedColour = (typeof SUPERVISED_COLOURS)[number];

/** Which yellow and red rows a list holds; every filter is optional. */
export interface SupervisionFilter {
  /** One colour; both when absent. */
  readonly colour?: SupervisedColour;
  /** Cases: the lead department; tasks: the task's department. */
  readonly department?: DepartmentCode;
  readonly serviceItem?: string;
  /** Due strictly before this instant. */
  readonly dueBefore?: Date;
  /** Due at or after this instant. */
  readonly dueAfter?: Date;
}

export interface SupervisionListQuery extends SupervisionFilter {
  readonly page: number;
  readonly pageSize: number;
  /** As `pageTotal`'s `cap` (default `PAGE_COUNT_CAP`). */
  readonly countCap?: number;
}

/** A running case at risk or overdue. */
export interface SupervisedCase {
  readonly id: string;
  /** The case number (受理编号) people read. */
  readonly caseNumber: string;
  readonly serviceItemCode: string;
  readonly leadDepartment: string;
  readonly stateLabel: string;
  readonly dueAt: Date;
  readonly warningLevel: SupervisedColour;
}

/** An open task at risk or overdue, with its case's number, service item and lead department. */
export interface SupervisedTask {
  readonly id: string;
  readonly caseId: string;
  readonly caseNumber: string;
  readonly serviceItemCode: string;
  readonly leadDepartment: string;
  readonly key: string;
  readonly title: string;
  readonly departmentCode: string;
  readonly status: string;
  readonly assigneeId: string | null;
  readonly openedAt: Date;
  readonly dueAt: Date;
  readonly warningLevel: SupervisedColour;
}

export interface SupervisionPage<T> extends PageTotal {
  readonly items: T[];
}

/** The department `actor` reads: any (the one asked for, if any) for a supervisor; else their own, and no other (null). */
export function readerDepartment(actor: Actor, asked: DepartmentCode | undefined): DepartmentCode | undefined | null {
  if (hasRole(actor, 'supervisor')) return asked;
  return asked === undefined || asked === actor.departmentCode ? actor.departmentCode : null;
}

const nothing = <T>(): SupervisionPage<T> => ({ items: [], total: 0, totalExact: true });

/**
 * One colour's rows of a list in due order, with the columns asked for, limited when a limit is given:
 * `(select <columns> from … where … and warning_level = <colour> order by due_at, id <limit>)`.
 */
type ColourPart = (colour: postgres.Fragment, columns: postgres.Fragment, limit: postgres.Fragment) => postgres.Fragment;

/**
 * A list's rows in due order, the rows of one colour or of both merged: what its capped total counts (only the
 * columns of its order, so that the count reads the index alone), and its page (every column, each part limited to
 * the end of the page). Each part carries its limit: without one it would be planned for all its rows (see
 * `ListSource.limitedTo`) and might be sorted whole rather than read in index order.
 */
function atRiskRows(sql: Sql, part: ColourPart, keys: postgres.Fragment, columns: postgres.Fragment, colour: SupervisedColour | undefined) {
  const rows = (selected: postgres.Fragment, limit: postgres.Fragment) => {
    const red = part(sql`'red'`, selected, limit);
    const yellow = part(sql`'yellow'`, selected, limit);
    return sql`${colour === 'red' ? red : colour === 'yellow' ? yellow : sql`(${red} union all ${yellow})`} as at_risk`;
  };
  const counted: ListSource = { from: rows(keys, sql``), indexOrder: sql`due_at, id`, limitedTo: (limit) => rows(keys, sql`limit ${limit}`) };
  const page = (query: SupervisionListQuery) => {
    const offset = (query.page - 1) * query.pageSize;
    return sql`select * from ${rows(columns, sql`limit ${offset + query.pageSize}`)} order by due_at, id limit ${query.pageSize} offset ${offset}`;
  };
  return { counted, page };
}

/** A list's page (its rows as `T`, the due instant as PostgreSQL's text) and its capped total, side by side on two connections. */
function pageAndTotal<T>(sql: Sql, rows: ReturnType<typeof atRiskRows>, query: SupervisionListQuery, page: (rows: postgres.Fragment) => postgres.Fragment) {
  return Promise.all([
    sql<(T & { due_at: string })[]>`${page(rows.page(query))}`,
    pageTotal(sql, rows.counted, { offset: (query.page - 1) * query.pageSize, pageSize: query.pageSize }, query.countCap),
  ]);
}

/** The due-time filters, as `and …` conditions (none: an empty fragment). */
function dueFilter(sql: Sql, f: SupervisionFilter, dueAt: postgres.Fragment): postgres.Fragment {
  return sql`${f.dueBefore ? sql`and ${dueAt} < ${f.dueBefore.toISOString()}` : sql``}
    ${f.dueAfter ? sql`and ${dueAt} >= ${f.dueAfter.toISOString()}` : sql``}`;
}

/**
 * The running cases at risk or overdue, earliest due first (the most overdue first), paged with a capped total.
 * A department filter reads `cases_at_risk_lead_idx`, a service item `cases_at_risk_item_idx`, else
 * `cases_at_risk_idx`.
 */
export async function listSupervisedCases(sql: Sql, actor: Actor, query: SupervisionListQuery): Promise<SupervisionPage<SupervisedCase>> {
  const department = readerDepartment(actor, query.department);
  if (department === null) return nothing();
  const rows = atRiskRows(
    sql,
    (colour, columns, limit) => sql`(select ${columns} from cases
      where status = 'running' and warning_level = ${colour}
      ${department ? sql`and lead_department = ${department}` : sql``}
      ${query.serviceItem ? sql`and service_item_code = ${query.serviceItem}` : sql``}
      ${dueFilter(sql, query, sql`due_at`)}
      order by due_at, id ${limit})`,
    sql`id, due_at`,
    sql`id, number as "caseNumber", service_item_code as "serviceItemCode", lead_department as "leadDepartment", state_label as "stateLabel", due_at, warning_level as "warningLevel"`,
    query.colour,
  );
  const [page, total] = await pageAndTotal<Omit<SupervisedCase, 'dueAt'>>(sql, rows, query, (p) => p);
  return { items: page.map(({ due_at, ...c }) => ({ ...c, dueAt: instant(due_at) })), ...total };
}

/**
 * The open tasks at risk or overdue, earliest due first, paged with a capped total; each with its case's number,
 * service item and lead department, joined for the page's rows only. A department filter reads
 * `tasks_at_risk_department_idx`, a service item `tasks_at_risk_item_idx` (tasks carry their case's item for it),
 * else `tasks_at_risk_idx`.
 */
export async function listSupervisedTasks(sql: Sql, actor: Actor, query: SupervisionListQuery): Promise<SupervisionPage<SupervisedTask>> {
  const department = readerDepartment(actor, query.department);
  if (department === null) return nothing();
  const rows = atRiskRows(
    sql,
    (colour, columns, limit) => sql`(select ${columns} from tasks t
      where t.status in ('open', 'claimed') and t.warning_level = ${colour}
      ${department ? sql`and t.department_code = ${department}` : sql``}
      ${query.serviceItem ? sql`and t.service_item_code = ${query.serviceItem}` : sql``}
      ${dueFilter(sql, query, sql`t.due_at`)}
      order by t.due_at, t.id ${limit})`,
    sql`t.id, t.due_at`,
    sql`t.id, t.case_id as "caseId", t.key, t.title, t.department_code as "departmentCode", t.status, t.assignee_id as "assigneeId",
      t.opened_at as "openedAt", t.due_at, t.warning_level as "warningLevel"`,
    query.colour,
  );
  const [page, total] = await pageAndTotal<Omit<SupervisedTask, 'dueAt' | 'openedAt'> & { openedAt: string }>(sql, rows, query, (p) => sql`
    select p.*, c.number as "caseNumber", c.service_item_code as "serviceItemCode", c.lead_department as "leadDepartment" from (${p}) as p
    join cases c on c.id = p."caseId"
    order by p.due_at, p.id`);
  return { items: page.map(({ due_at, openedAt, ...t }) => ({ ...t, openedAt: instant(openedAt), dueAt: instant(due_at) })), ...total };
}

/** Counts of one department's cases (as lead department) or tasks, for one service item. */
export interface SupervisionCount {
  readonly subject: 'case' | 'task';
  readonly departmentCode: string;
  readonly serviceItemCode: string;
  /** Running cases, open tasks now; of them yellow and red. */
  readonly open: number;
  readonly yellow: number;
  readonly red: number;
  /** Finished in the month asked for, at or before their due instant, or after it. */
  readonly finishedOnTime: number;
  readonly finishedLate: number;
  /** Of the steps finished in the month with a clock: the working days they took, in all, and how many they were. */
  readonly workingDays: number;
  readonly timedSteps: number;
}

/**
 * The counters kept by triggers (`supervision_counts`, migration `0019_supervision_counts.sql`): what is open now,
 * and what finished in `month` (`YYYY-MM`, Beijing time), per subject, department and service item; one
 * department's when asked, and always for a reader who is not a supervisor. Reads the counters' rows of now and
 * of that month (two ranges of their key: a few hundred rows, however many cases there are) and sums the slots.
 */
export async function countSupervision(
  sql: Sql,
  actor: Actor,
  query: { readonly month: string; readonly department?: DepartmentCode },
): Promise<SupervisionCount[]> {
  const reader = readerDepartment(actor, query.department);
  if (reader === null) return [];
  const department = reader ? sql`and department_code = ${reader}` : sql``;
  return sql<SupervisionCount[]>`select subject, department_code as "departmentCode", service_item_code as "serviceItemCode",
      sum(open)::int as open, sum(yellow)::int as yellow, sum(red)::int as red, sum(on_time)::int as "finishedOnTime", sum(late)::int as "finishedLate",
      sum(working_days)::int as "workingDays", sum(timed_steps)::int as "timedSteps"
    from (select * from supervision_counts where month is null ${department}
      union all select * from supervision_counts where month = ${`${query.month}-01`}::date ${department}) as counted
    group by subject, department_code, service_item_code
    having sum(open) <> 0 or sum(on_time) <> 0 or sum(late) <> 0
    order by subject, department_code, service_item_code`;
}

/** The month (`YYYY-MM`) of an instant in Beijing time (UTC+8 all year), as the counters file finished work. */
export function supervisionMonth(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 7);
}
