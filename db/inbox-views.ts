import type postgres from 'postgres';
import type { Actor } from '../engine/access/actor.js';
import type { Sql } from './connection.js';
import { countUnreadCopies } from './copy-queries.js';
import { PAGE_COUNT_CAP, pageTotal, type PageTotal } from './page-total.js';

/**
 * The inbox's views (待办): which of the tasks of the reader's department each lists.
 *
 * - `todo`: the department's open tasks, claimed or not (`tasks_inbox_idx`, `tasks_inbox_received_idx`).
 * - `claimed`: open tasks I hold, less those delegated to me (`tasks_claimed_by_idx`): those are `delegated`.
 * - `delegated`: tasks a colleague delegated to me (委派), pending my proposal (`tasks_delegated_to_idx`).
 * - `standIn`: tasks held by the people I stand in for now (代理: a window not cancelled, `starts_at <= now < ends_at`;
 *   `substitutions_substitute_idx`, then `tasks_claimed_by_idx` for each of them).
 * - `done`: tasks I completed (`tasks_completed_by_idx`).
 * - `departmentDone`: the department's completed tasks (`tasks_done_idx`), for a lead watching their department.
 *
 * Every view keeps to the reader's department (deny by default): a task transferred to another department leaves
 * its holder's views with it.
 */
export const INBOX_VIEWS = ['todo', 'claimed', 'delegated', 'standIn', 'done', 'departmentDone'] as const;
export type InboxView = (typeof INBOX_VIEWS)[number];

const OPEN_SORTS = ['dueAt', 'openedAt'] as const;
const DONE_SORTS = ['completedAt'] as const;
/** Every order of some view. */
export const ALL_INBOX_SORTS = [...OPEN_SORTS, ...DONE_SORTS] as const;
export type InboxSort = (typeof ALL_INBOX_SORTS)[number];

/** The orders each view offers, its default first: open tasks by due or received time, done ones by completion time. */
export const INBOX_SORTS: { readonly [V in InboxView]: readonly InboxSort[] } = {
  todo: OPEN_SORTS,
  claimed: OPEN_SORTS,
  delegated: OPEN_SORTS,
  standIn: OPEN_SORTS,
  done: DONE_SORTS,
  departmentDone: DONE_SORTS,
};

/** Whether a view lists completed tasks (latest first by default) rather than open ones (most urgent first). */
export const isDoneView = (view: InboxView): boolean => INBOX_SORTS[view] === DONE_SORTS;

/** Who reads the inbox: their own views are theirs, every view is of their department. */
export type InboxReader = Pick<Actor, 'userId' | 'departmentCode'>;

type Fragment = postgres.PendingQuery<postgres.Row[]>;

/** A view's rows, as conditions on `tasks`, and the key of the index that serves them. */
export interface ViewRows {
  readonly where: Fragment;
  /**
   * The column a personal view's index is ordered by (a person's few rows are sorted by any other column), which
   * its capped total counts in; null for a department's views, each sort of which has its own index.
   */
  readonly indexKey: 'due_at' | 'completed_at' | null;
}

/** Statuses are literals so that a prepared statement's generic plan still matches the partial indexes. */
export function viewRows(sql: Sql, view: InboxView, reader: InboxReader, now: Date): ViewRows {
  const department = sql`department_code = ${reader.departmentCode}`;
  switch (view) {
    case 'todo':
      return { where: sql`${department} and status in ('open', 'claimed')`, indexKey: null };
    case 'claimed':
      return { where: sql`assignee_id = ${reader.userId} and status = 'claimed' and ${department} and delegation is distinct from 'pending'`, indexKey: 'due_at' };
    case 'delegated':
      return { where: sql`assignee_id = ${reader.userId} and delegation = 'pending' and status = 'claimed' and ${department}`, indexKey: 'due_at' };
    case 'standIn':
      return {
        where: sql`assignee_id in (select s.user_id from substitutions s where s.substitute_id = ${reader.userId} and s.cancelled_at is null
            and s.starts_at <= ${now.toISOString()}::timestamptz and s.ends_at > ${now.toISOString()}::timestamptz)
          and status = 'claimed' and ${department}`,
        indexKey: 'due_at',
      };
    case 'done':
      return { where: sql`completed_by = ${reader.userId} and status = 'completed' and ${department}`, indexKey: 'completed_at' };
    case 'departmentDone':
      return { where: sql`${department} and status = 'completed'`, indexKey: null };
  }
}

/** The views whose counts the inbox shows as badges, and copies (抄送) to me not yet read. */
export interface InboxCounts {
  readonly todo: PageTotal;
  readonly claimed: PageTotal;
  readonly delegated: PageTotal;
  readonly standIn: PageTotal;
  readonly copied: PageTotal;
}

/**
 * The inbox's badges in one call: each view's tasks and my unread copies, each counted at most to `PAGE_COUNT_CAP`
 * (as a list's total: "1000+" past it), so that a department of a million tasks costs what one page does. The five
 * counts run side by side, each on a connection of its own.
 *
 * @example
 * const { todo, claimed } = await countInbox(sql, actor, clock.now()); // todo: { total: 1000, totalExact: false }
 */
export async function countInbox(sql: Sql, reader: Actor, now: Date): Promise<InboxCounts> {
  const count = (view: InboxView) => {
    const rows = viewRows(sql, view, reader, now);
    return pageTotal(sql, { from: sql`tasks where ${rows.where}`, indexOrder: sql`${sql(rows.indexKey ?? 'due_at')}` }, { offset: 0, pageSize: 1 });
  };
  const [todo, claimed, delegated, standIn, copies] = await Promise.all([
    count('todo'),
    count('claimed'),
    count('delegated'),
    count('standIn'),
    countUnreadCopies(sql, reader, PAGE_COUNT_CAP),
  ]);
  return { todo, claimed, delegated, standIn, copied: copies > PAGE_COUNT_CAP ? { total: PAGE_COUNT_CAP, totalExact: false } : { total: copies, totalExact: true } };
}
