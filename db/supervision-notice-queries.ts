import type postgres from 'postgres';
import { hasRole, type Actor } from '../engine/access/actor.js';
import type { SupervisionNotice, NoticeStatus } from '../engine/supervision-notice.js';
import type { LegalClock } from '../engine/time/legal-clock.js';
import type { Sql } from './connection.js';
import { pageTotal, type ListSource, type PageTotal } from './page-total.js';
import { toSupervisionNotice, type Row } from './row-mapping.js';

/**
 * Supervision notices (督办, `schema/supervision-notices.ts`) as their readers see them: supervisors every one, a
 * department those it holds (deny by default: another department's notice is not found). Sorted by due time,
 * most urgent first, each with its clock (`notice:<id>` from the case's clocks: the rungs it reached) and its
 * case's number and service item.
 */

/** A notice as listed: the notice, its clock as the case keeps it (null once the case lost it), its case's number and service item. */
export interface ListedNotice extends SupervisionNotice {
  readonly clock: LegalClock | null;
  readonly caseNumber: string;
  readonly serviceItemCode: string;
}

export interface NoticePage extends PageTotal {
  readonly items: ListedNotice[];
}

export interface NoticeListQuery {
  /** Of one status; all of them when absent. */
  readonly status?: NoticeStatus | undefined;
  /** Only open notices whose due has passed (`now`): the red ones. */
  readonly overdue: boolean;
  /** A supervisor's filter by holding department; a department reads its own whatever this says. */
  readonly department?: string | undefined;
  readonly page: number;
  readonly pageSize: number;
  /** As `TaskListQuery.countCap` (default `PAGE_COUNT_CAP`). */
  readonly countCap?: number;
}

type Fragment = postgres.PendingQuery<postgres.Row[]>;

/** The notice's row with its clock, found in the case's clocks by id, and its case's number and service item. */
const listed = (sql: Sql, notices: Fragment) => sql`select p.*, c.number as case_number, c.service_item_code,
    jsonb_path_query_first(c.clocks, '$[*] ? (@.id == $id)', jsonb_build_object('id', 'notice:' || p.id)) as clock
  from ${notices} join cases c on c.id = p.case_id`;

/** The department whose notices `actor` reads, or null for all of them (supervisors). */
const readerDepartment = (actor: Actor): string | null => (hasRole(actor, 'supervisor') ? null : actor.departmentCode);

/**
 * The notices `actor` reads that meet the query, by due time (then id), with a capped total (`pageTotal`):
 * through `supervision_notices_status_idx` for a supervisor's list of one status (overdue: open and due before
 * `now`), `supervision_notices_department_idx` for a department's.
 */
export async function listSupervisionNotices(sql: Sql, actor: Actor, query: NoticeListQuery, now: Date): Promise<NoticePage> {
  const own = readerDepartment(actor);
  const department = own ?? query.department;
  const status = query.overdue ? 'open' : query.status;
  const list: ListSource = {
    from: sql`supervision_notices where true
      ${own !== null && query.department !== undefined && query.department !== own ? sql`and false` : sql``}
      ${department === undefined ? sql`` : sql`and department_code = ${department}`}
      ${status === undefined ? sql`` : sql`and status = ${status}`}
      ${query.overdue ? sql`and due_at < ${now.toISOString()}::timestamptz` : sql``}`,
    indexOrder: sql`due_at`,
  };
  const offset = (query.page - 1) * query.pageSize;
  const [rows, total] = await Promise.all([
    sql<Row[]>`${listed(sql, sql`(select * from ${list.from} order by ${list.indexOrder}, id limit ${query.pageSize} offset ${offset}) as p`)}
      order by p.due_at, p.id`,
    pageTotal(sql, list, { offset, pageSize: query.pageSize }, query.countCap),
  ]);
  return { items: rows.map(toListedNotice), ...total };
}

/** One notice, if `actor` reads it (a supervisor, or the department holding it). */
export async function findSupervisionNotice(sql: Sql, actor: Actor, id: string): Promise<ListedNotice | null> {
  const own = readerDepartment(actor);
  const [row] = await sql<Row[]>`${listed(sql, sql`(select * from supervision_notices where id = ${id} ${own === null ? sql`` : sql`and department_code = ${own}`}) as p`)}`;
  return row ? toListedNotice(row) : null;
}

function toListedNotice(r: Row): ListedNotice {
  return { ...toSupervisionNotice(r), clock: (r['clock'] as LegalClock | null | undefined) ?? null, caseNumber: r['case_number'] as string, serviceItemCode: r['service_item_code'] as string };
}
