import type postgres from 'postgres';
import type { Sql } from './connection.js';

/**
 * How many rows beyond the current page's offset a paged list counts; past that a pager shows "1000+".
 * An exact `count(*)` costs as much as the set is large (≈ 16 ms for a department's 60,000 open tasks at
 * 1,000,000 cases, where the page itself costs 0.7 ms: bench/RESULTS.md), and nobody pages through 1,000
 * tasks to check the number.
 */
export const PAGE_COUNT_CAP = 1000;

/** A list's total as a pager needs it. */
export interface PageTotal {
  /** The number of rows when `totalExact`; otherwise a lower bound: there are more than `total`. */
  readonly total: number;
  readonly totalExact: boolean;
}

/** The rows a paged list reads, and the order of the index that serves them. */
export interface ListSource {
  /** A fragment `table where …`. Constant conditions (a status) are literals, not parameters, so that a
   *  prepared statement's generic plan can still match a partial index. */
  readonly from: postgres.Fragment;
  /** The key of the index that serves `from` (e.g. `due_at` for `(department_code, due_at)`). */
  readonly indexOrder: postgres.Fragment;
  /**
   * For a list merged from parts each read in index order (`(… order by due_at, id) union all (…)`, a Merge
   * Append): the same rows with every part limited to `limit` rows, which is what gets counted (they need only
   * the columns of `indexOrder`). PostgreSQL plans a part for all of its rows when the query above it sorts (no
   * row goal reaches it), and may then sort the whole part instead of reading the first rows of its index.
   */
  readonly limitedTo?: (limit: number) => postgres.Fragment;
}

/**
 * Counts the rows of a list, but at most `offset + cap + 1` of them, so the count costs what reading that
 * far costs, not what the whole set costs. Reaching that limit answers `{ total: offset + cap,
 * totalExact: false }`. `cap` is at least the page size, so a capped total is never less than the rows up to
 * the end of the page.
 *
 * The rows are counted in index order: without an order, a prepared statement's generic plan (chosen after
 * five runs, for any parameter value) may count with a sequential scan that stops at the limit, which reads a
 * few pages for a department with many rows and the whole table for a department with few.
 *
 * @example
 * const list = { from: sql`tasks where department_code = ${department} and status = 'completed'`, indexOrder: sql`completed_at desc` };
 * const { total, totalExact } = await pageTotal(sql, list, { offset: 40, pageSize: 20 });
 */
export async function pageTotal(
  sql: Sql,
  list: ListSource,
  page: { readonly offset: number; readonly pageSize: number },
  cap: number = PAGE_COUNT_CAP,
): Promise<PageTotal> {
  const limit = page.offset + Math.max(cap, page.pageSize) + 1;
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n
    from (select 1 from ${list.limitedTo?.(limit) ?? list.from} order by ${list.indexOrder} limit ${limit}) as capped`;
  const counted = row?.n ?? 0;
  return counted < limit ? { total: counted, totalExact: true } : { total: limit - 1, totalExact: false };
}
