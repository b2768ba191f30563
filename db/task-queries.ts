import type postgres from 'postgres';
import type { Applicant } from '../engine/case-record.js';
import { InvalidCommandError } from '../engine/errors.js';
import type { DepartmentCode } from '../engine/ids.js';
import type { WarningColour } from '../engine/time/ladder.js';
import type { LegalClock } from '../engine/time/legal-clock.js';
import type { Sql } from './connection.js';
import { INBOX_SORTS, isDoneView, viewRows, type InboxReader, type InboxSort, type InboxView } from './inbox-views.js';
import { pageTotal, type ListSource, type PageTotal } from './page-total.js';
import { listedCase, toTaskRecord, type Row } from './row-mapping.js';
import type { tasks } from './schema/index.js';
import { withSecurityEvent } from './security-log.js';
import { textPrefixRange } from './text-prefix.js';

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

/** What an inbox list asks for: a view, its order, filters and a page. */
export interface TaskListQuery {
  /** By default `todo`. */
  readonly view?: InboxView | undefined;
  /** One of `INBOX_SORTS[view]`; by default the first (due time for open tasks, completion time for done ones). */
  readonly sort?: InboxSort | undefined;
  /** By default most urgent first (open tasks) and latest first (done ones). */
  readonly direction?: 'asc' | 'desc' | undefined;
  readonly serviceItem?: string | undefined;
  readonly colour?: WarningColour | undefined;
  /** Due at or before this instant. */
  readonly dueBy?: Date | undefined;
  readonly caseNumber?: string | undefined;
  /** The start of the applicant's name (personal data: the search is written to the security log). */
  readonly applicantName?: string | undefined;
  /** The number of a licence (电子证照) the case issued, exactly (personal data, logged as the name is). */
  readonly licenceNumber?: string | undefined;
  readonly page: number;
  readonly pageSize: number;
  /** Rows counted beyond the page's offset before the total becomes a lower bound (default `PAGE_COUNT_CAP`). */
  readonly countCap?: number;
}

type Fragment = postgres.PendingQuery<postgres.Row[]>;

const SORT_COLUMNS: Record<InboxSort, string> = { dueAt: 'due_at', openedAt: 'opened_at', completedAt: 'completed_at' };

/**
 * A view of the inbox (`INBOX_VIEWS`): open tasks by due time, most urgent first, or by received time; done tasks by
 * completion time, latest first; either direction, ties by id. Filtered by service item, colour, due time, case
 * number, applicant name (its start) and licence number, with a capped total (`pageTotal`). Each row comes with its
 * case's number, service item, applicant and the task's clock. A search by applicant name or licence number is
 * personal data: once answered, it is written to the security log (`logPersonalDataSearch`), and a log that cannot
 * be written fails the request rather than answer unrecorded.
 *
 * The page is read from `tasks` alone in index order — `tasks_inbox_idx` (department, due), `tasks_inbox_received_idx`
 * (department, received), `tasks_done_idx` (department, completed), for one colour at risk
 * `tasks_at_risk_department_idx` (department, colour, due), or a person's index for their own views (`viewRows`) —
 * and only its rows are joined to their cases. Statuses and colours are literals in the SQL so that generic plans
 * match those partial indexes. A case number, a licence number or a name's start picks a few cases first, then their
 * tasks (`source`); a name's start that picks more than `APPLICANT_SEARCH_CAP` applicants is refused (422).
 *
 * Tagged templates rather than drizzle: they are prepared statements, so once a connection has prepared them each
 * query is one round trip (Bind/Execute) instead of drizzle's Parse/Describe first. The page and the count run side
 * by side on two connections.
 *
 * @example
 * const { items, total } = await listInboxTasks(sql, actor, { view: 'claimed', colour: 'yellow', page: 1, pageSize: 20 }, clock.now());
 */
export async function listInboxTasks(sql: Sql, reader: InboxReader, query: TaskListQuery, now: Date): Promise<InboxPage> {
  const view = query.view ?? 'todo';
  const sort = query.sort ?? INBOX_SORTS[view][0]!;
  const direction = query.direction ?? (isDoneView(view) ? 'desc' : 'asc');
  const column = sql(SORT_COLUMNS[sort]);
  const descending = direction === 'desc' ? sql`desc` : sql`asc`;
  const rows = viewRows(sql, view, reader, now);
  const named = query.applicantName === undefined ? undefined : await casesNamed(sql, query.applicantName, !isDoneView(view));
  const tasks = source(sql, query, named, reader.departmentCode);
  // A person's own tasks in another order than their index's: all of them by that index, then sorted (a person holds
  // few), rather than a walk of the department's index in that order looking for theirs.
  const own = rows.indexKey !== null && rows.indexKey !== SORT_COLUMNS[sort];
  const list: ListSource = {
    from: own
      ? sql`(select * from ${tasks} where ${rows.where} offset 0) tasks where true ${filters(sql, query)}`
      : sql`${tasks} where ${rows.where} ${filters(sql, query)}`,
    indexOrder: rows.indexKey === null ? sql`${column} ${descending}` : sql`${sql(rows.indexKey)}`,
  };
  const offset = (query.page - 1) * query.pageSize;
  const [found, total] = await Promise.all([
    sql<Row[]>`select t.*, ${CASE_COLUMNS(sql)}
      from (select * from ${list.from} order by ${column} ${descending}, id limit ${query.pageSize} offset ${offset}) t
      join cases c on c.id = t.case_id left join service_items s on s.code = c.service_item_code
      order by t.${column} ${descending}, t.id`,
    pageTotal(sql, list, { offset, pageSize: query.pageSize }, query.countCap),
  ]);
  const page = { items: found.map(toInboxRow), ...total };
  const searchedBy = PERSONAL_FILTERS.filter((name) => query[name] !== undefined);
  if (searchedBy.length > 0) await logPersonalDataSearch(sql, reader, { view, searchedBy, page: query.page, ...total }, now);
  return page;
}

/** The filters that search personal data. */
const PERSONAL_FILTERS = ['applicantName', 'licenceNumber'] as const;

/**
 * Writes an inbox search by personal data to the security log (`inbox.personal-data-searched`): who, in which view,
 * by which filters, which page, how many tasks it found (the capped total). Never the searched value: the log is read
 * by more people than may know whom a handler looked up, and a name's start is personal data itself.
 */
function logPersonalDataSearch(
  sql: Sql,
  reader: InboxReader,
  search: { view: InboxView; searchedBy: readonly string[]; page: number } & PageTotal,
  now: Date,
): Promise<void> {
  return withSecurityEvent(
    sql,
    async () => {},
    () => ({
      type: 'inbox.personal-data-searched',
      actor: reader,
      at: now,
      data: { view: search.view, searchedBy: search.searchedBy, page: search.page, rows: search.total, rowsExact: search.totalExact },
    }),
  );
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
  return sql`${byItem} ${byColour} ${byDue}`;
}

/**
 * The most applicants a name's start may pick. A search by name reads each one's tasks: past this many, it must be
 * told more of the name (a person's full name picks a few dozen of a million cases, the first two characters of one a
 * few hundred; a city's two characters pick its companies, a tenth of the cases), which keeps a search of personal
 * data to whom it is looking for, and its cost to what a page costs.
 */
export const APPLICANT_SEARCH_CAP = 1000;

/**
 * The cases whose applicant's name starts with `prefix`, by `cases_applicant_name_idx` (`text_pattern_ops`) in byte
 * order: a range the index serves whatever the parameter (`textPrefixRange`), where a `like` would need a constant.
 * For a view of open tasks (`open`) only the cases still to be decided, by `cases_open_applicant_name_idx`: a closed
 * case has no open task, and each applicant read costs a random read or two.
 * Refused (422) past `APPLICANT_SEARCH_CAP`. In no order: whichever way the plan reads the range (a generic plan
 * guesses its size), it stops at the cap's next row — an order by name would let a bitmap of a broad start's whole
 * range be fetched and sorted first (0.9 s for a city's 80,000 companies).
 */
async function casesNamed(sql: Sql, prefix: string, open: boolean): Promise<string[]> {
  const { from, below } = textPrefixRange(prefix);
  const upTo = below === null ? sql`` : sql`and (applicant->>'name') ~<~ ${below}`;
  // A literal, as the partial index's predicate says it, so that a generic plan matches it too.
  const undecided = open ? sql`and status in ('running', 'suspended')` : sql``;
  const cases = await sql<{ id: string }[]>`select id from cases where (applicant->>'name') ~>=~ ${from} ${upTo} ${undecided} limit ${APPLICANT_SEARCH_CAP + 1}`;
  if (cases.length > APPLICANT_SEARCH_CAP) {
    throw new InvalidCommandError(`More than ${APPLICANT_SEARCH_CAP.toLocaleString('en')} applicants' names start with this: give more of the name.`, ['applicantName']);
  }
  return cases.map((c) => c.id);
}

/**
 * The tasks a list reads: all of them, or only the department's of the few cases a case number, a licence number or
 * an applicant's name (`named`) picks. The cases are found first — by `cases_number_idx`, `licences_number_idx` or
 * `casesNamed` — then the department's tasks of each by `tasks_case_department_idx` (the department in the index
 * condition: a case's other departments' tasks are not fetched), behind `offset 0` so that the view's conditions
 * and order apply to those rows only. Left to itself, the planner may walk a department's whole inbox in due order
 * checking each task's case (a generic plan knows nothing of how few cases one number picks), or hash the cases and
 * scan `tasks`: this way a search costs what its cases' tasks cost, whatever the view.
 */
function source(sql: Sql, query: TaskListQuery, named: readonly string[] | undefined, department: DepartmentCode): Fragment {
  const cases: Fragment[] = [];
  if (query.caseNumber !== undefined) cases.push(sql`array(select id from cases where number = ${query.caseNumber})`);
  if (query.licenceNumber !== undefined) cases.push(sql`array(select case_id from licences where number = ${query.licenceNumber})`);
  if (named !== undefined) cases.push(sql`${sql.array(named as string[])}::uuid[]`);
  if (cases.length === 0) return sql`tasks`;
  const picked = cases.map((ids) => sql`case_id = any(${ids})`).reduce((all, one) => sql`${all} and ${one}`);
  return sql`(select * from tasks where ${picked} and department_code = ${department} offset 0) tasks`;
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
    ...listedCase(r),
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
