import type { Sql } from './connection.js';

/**
 * The longest rate-limit window allowed. Rows do not record their window's length, so the purge relies on
 * this bound: a window that started longer ago than this has ended, whatever its length.
 */
export const LONGEST_RATE_WINDOW_MS = 3_600_000;

/** Counts one request of `principal` for `action` in the window starting at `windowStart`; returns the window's hits. */
export async function countHit(sql: Sql, principal: string, action: string, windowStart: Date): Promise<number> {
  const [row] = await sql`insert into rate_limit_windows (principal, action, window_start, hits)
    values (${principal}, ${action}, ${windowStart.toISOString()}, 1)
    on conflict (principal, action, window_start) do update set hits = rate_limit_windows.hits + 1
    returning hits`;
  return Number(row?.['hits']);
}

/** The hits of `principal` for `action` in the window starting at `windowStart`, counting none: a lockout's check before the attempt. */
export async function windowHits(sql: Sql, principal: string, action: string, windowStart: Date): Promise<number> {
  const [row] = await sql`select hits from rate_limit_windows where principal = ${principal} and action = ${action} and window_start = ${windowStart.toISOString()}`;
  return Number(row?.['hits'] ?? 0);
}

/**
 * Deletes up to `limit` windows that ended by `now` (started before `now` minus the longest window);
 * returns how many. Short statements that skip rows another purge holds, as for idempotency keys. There is
 * no index on `window_start`: the table holds only the windows of the last hour or so between purges.
 */
export async function purgeEndedRateWindows(sql: Sql, now: Date, limit: number): Promise<number> {
  const endedBefore = new Date(now.getTime() - LONGEST_RATE_WINDOW_MS).toISOString();
  const deleted = await sql`delete from rate_limit_windows where (principal, action, window_start) in (
      select principal, action, window_start from rate_limit_windows where window_start < ${endedBefore}
      limit ${limit} for update skip locked)`;
  return deleted.count;
}
