import type postgres from 'postgres';
import { hasRole, type Actor } from '../engine/access/actor.js';
import type { Sql } from './connection.js';
import { instant, optionalInstant } from './instants.js';
import { pageTotal, type ListSource, type PageTotal } from './page-total.js';
import type { Row } from './row-mapping.js';

/**
 * Notifications as their readers see them (`schema/delivery.ts`: `notifications`, `notification_reads`).
 *
 * Who reads what (deny by default): the notices to the reader's own department (`audience = 'department'`),
 * except those meant for its lead (`data.for = 'lead'`) unless the reader is a lead; supervisors also read the
 * supervisors' notices (`audience = 'supervisors'`). Nobody reads the applicant's here: they are the
 * applicant's, not the staff's. Read or unread is per person: a read receipt of this user, whoever else in
 * the department read it.
 *
 * Marking read writes a receipt and nothing else. It is not a case command: no fact of the case changes (the
 * notice was sent either way), so it takes no case lock, bumps no case version and writes no audit event;
 * the receipt is the record of who read what and when.
 *
 * Cost: a page walks the reader's notices newest first in index order (see {@link listNotifications}),
 * probing the reader's receipts by index and skipping the notices already read, so it costs what it walks:
 * little for a reader who has read few, up to the whole department's notices for one who has read nearly all.
 * Counting the unread ones (`countUnreadNotifications`) reads every notice the reader may see. With 300,000
 * notices in a department (measured on the test server): a first page 4–22 ms, the counts 190–630 ms, an
 * unread-only page for a reader who had read 99 % of them 0.9 s. Both grow with the department's notices,
 * which nothing purges yet (workers/retention-purge.ts purges only Idempotency-Keys and rate-limit windows);
 * a per-reader horizon ("everything before T is read") would bound them by the notices since.
 */

/** A notification as one reader sees it. */
export interface Notification {
  readonly id: string;
  readonly caseId: string;
  readonly template: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly createdAt: Date;
  /** When this reader read it; null while unread. */
  readonly readAt: Date | null;
  /** Its case's number (受理编号), to say which case it is about; null if there is no such case. */
  readonly caseNumber: string | null;
  /** The title of the task its data names (`data.taskId`), if any. */
  readonly taskTitle: string | null;
}

export interface NotificationPage extends PageTotal {
  readonly items: Notification[];
}

export interface NotificationListQuery {
  /** Only the notices this reader has not read. */
  readonly unread: boolean;
  readonly template?: string | undefined;
  readonly caseId?: string | undefined;
  readonly page: number;
  readonly pageSize: number;
  /** As `TaskListQuery.countCap` (default `PAGE_COUNT_CAP`). */
  readonly countCap?: number;
}

type Fragment = postgres.PendingQuery<postgres.Row[]>;

/** The key of the indexes that serve a reader's notices, newest first (scanned backwards). */
const NEWEST_FIRST = (sql: Sql) => sql`created_at desc, id desc`;

/**
 * The notices `actor` may read that also meet `condition` (conditions on `notifications`, each starting with
 * `and`), as `(…) as n`: one arm per audience, each walking its index in `NEWEST_FIRST` order
 * (`notifications_department_inbox_idx`; for supervisors also `notifications_supervisors_idx`). The audiences
 * are literals so that prepared statements still match the partial indexes; conditions go into each arm, since
 * PostgreSQL does not push a subquery's condition into the arms of a `union all`.
 *
 * With `first`, each arm stops after its `first` newest rows. PostgreSQL merges plain index scans of the arms in
 * order (Merge Append), but not arms that are joins (an arm probing the read receipts comes out of planning
 * with its cheapest path only, unordered): bounded arms keep a page's cost to its offset plus its size either way.
 */
function readable(sql: Sql, actor: Actor, condition: Fragment, first?: number): Fragment {
  const newest = first === undefined ? sql`` : sql`order by ${NEWEST_FIRST(sql)} limit ${first}`;
  const arm = (audience: Fragment) => sql`(select id, case_id, template, data, created_at from notifications where ${audience} ${condition} ${newest})`;
  const forLeadToo = hasRole(actor, 'lead') ? sql`` : sql`and (data->>'for') is distinct from 'lead'`;
  const department = arm(sql`audience = 'department' and department_code = ${actor.departmentCode} ${forLeadToo}`);
  if (!hasRole(actor, 'supervisor')) return sql`${department} as n`;
  return sql`(${department} union all ${arm(sql`audience = 'supervisors'`)}) as n`;
}

/** A receipt of `actor` for the notice of the arm it is used in. */
const receipt = (sql: Sql, actor: Actor) => sql`(select 1 from notification_reads r where r.notification_id = notifications.id and r.case_id = notifications.case_id and r.user_id = ${actor.userId})`;

/** The list's filters, as conditions on `notifications`. */
function filters(sql: Sql, query: Pick<NotificationListQuery, 'template' | 'caseId'>): Fragment {
  const template = query.template === undefined ? sql`` : sql`and template = ${query.template}`;
  const caseId = query.caseId === undefined ? sql`` : sql`and case_id = ${query.caseId}::uuid`;
  return sql`${template} ${caseId}`;
}

/**
 * A reader's notifications: unread first, then read, each newest first (ties by id), with a capped total
 * (`pageTotal`) of the whole list (or of the unread ones with `unread`). Filtered by template and case.
 *
 * The unread and the read notices are two lists, each walked in index order with the reader's receipts
 * probed by index: a page is first read from the unread list; only a page that runs past its end reads on
 * into the read list (counting the unread ones first when the page starts past them). Sorting the reader's
 * whole set by "read" instead would cost as much as the set is large.
 *
 * @example
 * const { items, total, totalExact } = await listNotifications(sql, actor, { unread: false, page: 1, pageSize: 20 });
 */
export async function listNotifications(sql: Sql, actor: Actor, query: NotificationListQuery): Promise<NotificationPage> {
  const offset = (query.page - 1) * query.pageSize;
  const filter = filters(sql, query);
  const unread = sql`${filter} and not exists ${receipt(sql, actor)}`;
  const counted: ListSource = { from: readable(sql, actor, query.unread ? unread : filter), indexOrder: NEWEST_FIRST(sql) };
  const [first, total] = await Promise.all([
    pageOf(sql, actor, unread, sql`null::timestamptz`, query.pageSize, offset),
    pageTotal(sql, counted, { offset, pageSize: query.pageSize }, query.countCap),
  ]);
  if (query.unread || first.length === query.pageSize) return { items: first, ...total };

  // The page runs past the unread notices: the read ones follow. Where the page starts past them, how many
  // there are says where in the read list it starts (counted up to the page's start, not beyond).
  const unreadCount =
    first.length > 0 || offset === 0
      ? offset + first.length
      : (await pageTotal(sql, { from: readable(sql, actor, unread), indexOrder: NEWEST_FIRST(sql) }, { offset: 0, pageSize: 0 }, offset)).total;
  const readAt = sql`(select r.read_at from notification_reads r where r.notification_id = n.id and r.case_id = n.case_id and r.user_id = ${actor.userId})`;
  const rest = await pageOf(sql, actor, sql`${filter} and exists ${receipt(sql, actor)}`, readAt, query.pageSize - first.length, offset + first.length - unreadCount);
  return { items: [...first, ...rest], ...total };
}

/**
 * What a notice's reader is shown of what it is about, for the page's rows only (one key lookup each): its case's
 * number, and the title of the task its data names (a task id the engine wrote; anything else names none).
 */
const aboutColumns = (sql: Sql) => sql`(select c.number from cases c where c.id = n.case_id) as case_number,
  (select t.title from tasks t where n.data->>'taskId' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' and t.id = (n.data->>'taskId')::uuid) as task_title`;

/** A page of the notices `actor` may read that meet `condition`, newest first, with `readAt` as their `read_at`. */
async function pageOf(sql: Sql, actor: Actor, condition: Fragment, readAt: Fragment, limit: number, offset: number): Promise<Notification[]> {
  const rows = await sql<Row[]>`select n.*, ${readAt} as read_at, ${aboutColumns(sql)} from ${readable(sql, actor, condition, offset + limit)}
    order by ${NEWEST_FIRST(sql)} limit ${limit} offset ${offset}`;
  return rows.map(toNotification);
}

/**
 * How many notices `actor` has not read, by template (templates with none are left out). Counts every notice
 * the reader may see: see the module's note on cost.
 */
export async function countUnreadNotifications(sql: Sql, actor: Actor): Promise<Record<string, number>> {
  const rows = await sql<{ template: string; n: number }[]>`select template, count(*)::int as n
    from ${readable(sql, actor, sql`and not exists ${receipt(sql, actor)}`)} group by template order by template`;
  return Object.fromEntries(rows.map((r) => [r.template, r.n]));
}

/**
 * Marks the notices of `ids` that `actor` may read as read by `actor` at `at`, in one statement, and returns
 * them as read (newest first); ids of notices that do not exist or that `actor` may not read are left out
 * and nothing is written for them. A notice already read keeps its first receipt: marking it again changes
 * nothing and returns the same.
 *
 * @example
 * const [notice] = await markNotificationsRead(sql, actor, [id], clock.now()); // undefined: answer 404
 */
export async function markNotificationsRead(sql: Sql, actor: Actor, ids: readonly string[], at: Date): Promise<Notification[]> {
  const mine = readable(sql, actor, sql`and id = any(${ids as string[]}::uuid[])`);
  const rows = await sql<Row[]>`with visible as (select * from ${mine}),
    added as (
      insert into notification_reads (notification_id, case_id, user_id, read_at)
      select id, case_id, ${actor.userId}, ${at.toISOString()}::timestamptz from visible
      on conflict (notification_id, user_id, case_id) do nothing
      returning notification_id, read_at
    )
    select n.*, coalesce(a.read_at, r.read_at) as read_at, ${aboutColumns(sql)}
    from visible n left join added a on a.notification_id = n.id
      left join notification_reads r on r.notification_id = n.id and r.case_id = n.case_id and r.user_id = ${actor.userId}
    order by n.created_at desc, n.id desc`;
  // A twin request committing its receipt while this statement ran: neither our insert nor our snapshot has
  // it, so read it now that it is committed.
  const late = rows.filter((r) => r['read_at'] === null).map((r) => r['id'] as string);
  if (late.length > 0) {
    const receipts = await sql<Row[]>`select notification_id, read_at from notification_reads
      where user_id = ${actor.userId} and notification_id = any(${late}::uuid[])`;
    const byId = new Map(receipts.map((r) => [r['notification_id'] as string, r['read_at']]));
    for (const row of rows) if (row['read_at'] === null) row['read_at'] = byId.get(row['id'] as string) ?? null;
  }
  return rows.map(toNotification);
}

function toNotification(r: Row): Notification {
  return {
    id: r['id'] as string,
    caseId: r['case_id'] as string,
    template: r['template'] as string,
    data: r['data'] as Record<string, unknown>,
    createdAt: instant(r['created_at']),
    readAt: optionalInstant(r['read_at']),
    caseNumber: (r['case_number'] as string | null) ?? null,
    taskTitle: (r['task_title'] as string | null) ?? null,
  };
}
