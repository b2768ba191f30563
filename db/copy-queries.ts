import { and, asc, eq, or, sql as fragment } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import { alias } from 'drizzle-orm/pg-core';
import type postgres from 'postgres';
import type { Actor } from '../engine/access/actor.js';
import type { Applicant } from '../engine/case-record.js';
import { caseTakesPartBy, caseVisibleTo } from './case-visibility.js';
import type { Sql } from './connection.js';
import { instant, optionalInstant } from './instants.js';
import { pageTotal, type PageTotal } from './page-total.js';
import { listedCase, type Row } from './row-mapping.js';
import { caseCopies, cases, users } from './schema/index.js';

/**
 * Copies (抄送) as their readers see them (`case_copies`). A copy is addressed to one person or to one department; a
 * person reads the copies to them and to their department ("copied to me"), and the case's participants read all of
 * a case's copies with their read receipts (已阅 by whom, when). Sending and reading a copy are the engine's
 * commands (`case.copy`, `copy.read`); these are the reads.
 */

/** A copy with the names of the people it mentions (null for an id no user has). */
export interface CopyRow {
  readonly id: string;
  readonly caseId: string;
  readonly sentBy: string;
  readonly sentByName: string | null;
  readonly sentByDepartment: string;
  readonly recipientUser: string | null;
  readonly recipientUserName: string | null;
  readonly recipientDepartment: string | null;
  readonly note: string;
  readonly sentAt: Date;
  readonly readAt: Date | null;
  readonly readBy: string | null;
  readonly readByName: string | null;
}

/** A copy in "copied to me", with what the inbox shows of its case. */
export interface CopiedToMeRow extends CopyRow {
  readonly caseNumber: string;
  readonly serviceItem: { readonly code: string; readonly name: string };
  /** The applicant as stored, and the departments that meet them (for `applicantSeenBy`). */
  readonly applicant: Applicant;
  readonly intakeDepartment: string;
  readonly leadDepartment: string;
  readonly caseStatus: string;
}

export interface CopiedToMePage extends PageTotal {
  readonly items: CopiedToMeRow[];
}

export interface CopiedToMeQuery {
  /** Only the copies not read yet. */
  readonly unread: boolean;
  readonly page: number;
  readonly pageSize: number;
  /** As `TaskListQuery.countCap` (default `PAGE_COUNT_CAP`). */
  readonly countCap?: number;
}

type Fragment = postgres.PendingQuery<postgres.Row[]>;

/**
 * The copies addressed to `actor` (by name, or to their department) that meet `condition`, as `(…) as cc`: one arm per
 * way of being addressed, each walking its index newest first (`case_copies_user_idx`, `case_copies_department_idx`),
 * bounded to its `first` rows when given (a page needs no more of either). A copy has one recipient: the arms never
 * share a row.
 */
function addressed(sql: Sql, actor: Actor, condition: Fragment, first?: number): Fragment {
  const newest = first === undefined ? sql`` : sql`order by sent_at desc, id desc limit ${first}`;
  const arm = (recipient: Fragment) => sql`(select * from case_copies where ${recipient} ${condition} ${newest})`;
  return sql`(${arm(sql`recipient_user = ${actor.userId}`)} union all ${arm(sql`recipient_department = ${actor.departmentCode}`)}) as cc`;
}

const unreadOnly = (sql: Sql, unread: boolean): Fragment => (unread ? sql`and read_at is null` : sql``);

/** The names of the people a copy (`cc`) mentions, looked up for a page's rows only. */
const nameColumns = (sql: Sql) => sql`(select u.name from users u where u.id = cc.sent_by) as sent_by_name,
  (select u.name from users u where u.id = cc.recipient_user) as recipient_user_name,
  (select u.name from users u where u.id = cc.read_by) as read_by_name`;

/**
 * "Copied to me" (抄送我的): the copies to `actor` and to their department, latest first (ties by id), all or the
 * unread ones, with each one's case number, service item and applicant, and a capped total (`pageTotal`).
 *
 * @example
 * const { items, total } = await listCopiedToMe(sql, actor, { unread: true, page: 1, pageSize: 20 });
 */
export async function listCopiedToMe(sql: Sql, actor: Actor, query: CopiedToMeQuery): Promise<CopiedToMePage> {
  const offset = (query.page - 1) * query.pageSize;
  const condition = unreadOnly(sql, query.unread);
  const [rows, total] = await Promise.all([
    sql<Row[]>`select cc.*, ${nameColumns(sql)}, c.number as case_number, c.service_item_code as case_service_item, s.name as service_item_name,
        c.applicant, c.intake_department, c.lead_department, c.status as case_status
      from (select * from ${addressed(sql, actor, condition, offset + query.pageSize)} order by sent_at desc, id desc limit ${query.pageSize} offset ${offset}) cc
      join cases c on c.id = cc.case_id left join service_items s on s.code = c.service_item_code
      order by cc.sent_at desc, cc.id desc`,
    pageTotal(
      sql,
      { from: addressed(sql, actor, condition), indexOrder: sql`sent_at desc`, limitedTo: (limit) => addressed(sql, actor, condition, limit) },
      { offset, pageSize: query.pageSize },
      query.countCap,
    ),
  ]);
  return {
    items: rows.map((r) => ({
      ...toCopyRow(r),
      ...listedCase(r),
      caseStatus: r['case_status'] as string,
    })),
    ...total,
  };
}

/**
 * How many copies to `actor` or their department are still unread, counted to `cap` + 1 at most: the "copied to me"
 * badge. Read through the partial indexes of unread copies (`read_at is null` as a literal, so that a generic plan
 * matches them): a department's years of copies already read are never walked.
 */
export async function countUnreadCopies(sql: Sql, actor: Actor, cap: number): Promise<number> {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from (select 1 from ${addressed(sql, actor, sql`and read_at is null`, cap + 1)}) as unread`;
  return row?.n ?? 0;
}

/**
 * The copies of a case with their read receipts, in the order sent: all of them for a reader whose department takes
 * part in the case (or a supervisor), only those addressed to them (by name or to their department) for a recipient.
 * Null when the actor may not read the case at all (the API answers 404 either way).
 */
export async function listCaseCopies(sql: Sql, actor: Actor, caseId: string): Promise<CopyRow[] | null> {
  const db = drizzle(sql);
  const [found] = await db
    .select({ takesPart: fragment<boolean>`${caseTakesPartBy(actor)}` })
    .from(cases)
    .where(and(eq(cases.id, caseId), caseVisibleTo(actor)));
  if (!found) return null;
  const sender = alias(users, 'sender');
  const recipient = alias(users, 'recipient');
  const reader = alias(users, 'reader');
  const mine = or(eq(caseCopies.recipientUser, actor.userId), eq(caseCopies.recipientDepartment, actor.departmentCode));
  const rows = await db
    .select({ copy: caseCopies, sentByName: sender.name, recipientUserName: recipient.name, readByName: reader.name })
    .from(caseCopies)
    .leftJoin(sender, eq(sender.id, caseCopies.sentBy))
    .leftJoin(recipient, eq(recipient.id, caseCopies.recipientUser))
    .leftJoin(reader, eq(reader.id, caseCopies.readBy))
    .where(and(eq(caseCopies.caseId, caseId), found.takesPart ? undefined : mine))
    .orderBy(asc(caseCopies.sentAt), asc(caseCopies.id));
  return rows.map(({ copy, sentByName, recipientUserName, readByName }) => ({ ...copy, sentByName, recipientUserName, readByName }));
}

/** A raw `case_copies` row (timestamps as text, see `connection.ts`) with its names. */
function toCopyRow(r: Row): CopyRow {
  return {
    id: r['id'] as string,
    caseId: r['case_id'] as string,
    sentBy: r['sent_by'] as string,
    sentByName: (r['sent_by_name'] as string | null) ?? null,
    sentByDepartment: r['sent_by_department'] as string,
    recipientUser: (r['recipient_user'] as string | null) ?? null,
    recipientUserName: (r['recipient_user_name'] as string | null) ?? null,
    recipientDepartment: (r['recipient_department'] as string | null) ?? null,
    note: r['note'] as string,
    sentAt: instant(r['sent_at']),
    readAt: optionalInstant(r['read_at']),
    readBy: (r['read_by'] as string | null) ?? null,
    readByName: (r['read_by_name'] as string | null) ?? null,
  };
}
