import type { Queryable } from './delivery-queries.js';

/**
 * What the deadline recompute walk (`workers/deadline-recompute.ts`) reads: which calendar data versions open
 * deadlines were counted on, and the running cases with a deadline counted on a given one. Each reads one of
 * the partial indexes on `(due_derivation->>'calendarVersion', case)` (`tasks_open_due_version_idx`,
 * `timers_pending_due_version_idx`, `cases_running_due_version_idx`), so a walk that finds every deadline
 * current costs a few index probes, however many deadlines are open.
 */

/** The NOTIFY channel that wakes the walk when a calendar's data changed (an import committed). */
export const CALENDAR_CHANNEL = 'tongban_calendar';

/**
 * Wakes the recompute walk of every worker process. Call it inside the transaction that changes a calendar's
 * data: PostgreSQL delivers the notification when that transaction commits, and not if it rolls back. The
 * walk also polls, so a lost notification only delays the recount.
 */
export async function notifyCalendarChanged(q: Queryable): Promise<void> {
  await q`select pg_notify(${CALENDAR_CHANNEL}, '')`;
}

/** The open deadlines of each table as the walk's indexes hold them: the row's case and its predicate. */
const DEADLINE_ROWS = [
  { table: 'tasks', caseColumn: 'case_id', open: `status in ('open', 'claimed') and due_derivation is not null` },
  { table: 'timers', caseColumn: 'case_id', open: `status = 'pending' and due_derivation is not null` },
  { table: 'cases', caseColumn: 'id', open: `status = 'running' and due_derivation is not null` },
] as const;

const VERSION = `(due_derivation->>'calendarVersion')`;

/**
 * Every distinct version in use, found by a skip scan (a recursive CTE that jumps from one version to the next
 * in the index): as many probes as there are versions, not a read of every open deadline.
 */
const VERSIONS_IN_USE_SQL = DEADLINE_ROWS.map(
  ({ table, open }) => `(with recursive v(version) as (
    (select ${VERSION} from ${table} where ${open} order by 1 limit 1)
    union all
    select (select ${VERSION} from ${table} where ${open} and ${VERSION} > v.version order by 1 limit 1) from v where v.version is not null)
  select version from v where version is not null)`,
).join('\nunion\n');

/** The calendar data versions open deadlines (tasks, pending timers, running cases) were counted on. */
export async function deadlineVersionsInUse(sql: Queryable): Promise<string[]> {
  const rows = await sql.unsafe<{ version: string }[]>(VERSIONS_IN_USE_SQL, [], { prepare: true });
  return rows.map((r) => r.version);
}

/**
 * The next `$3` cases after `$2` (by id) with an open deadline counted on version `$1`: per table an index
 * range in case order, merged.
 */
const CASES_ON_VERSION_SQL = `select case_id from (
${DEADLINE_ROWS.map(
  ({ table, caseColumn, open }) =>
    `  (select ${caseColumn} as case_id from ${table} where ${open} and ${VERSION} = $1 and ${caseColumn} > $2::uuid order by ${caseColumn} limit $3)`,
).join('\n  union\n')}
) as stale order by case_id limit $3`;

/** Before every case id. */
export const CASE_ID_START = '00000000-0000-0000-0000-000000000000';

/** Up to `limit` ids of cases with an open deadline counted on `version`, after `after`, in id order. */
export async function casesWithDeadlinesOn(sql: Queryable, version: string, after: string, limit: number): Promise<string[]> {
  const rows = await sql.unsafe<{ case_id: string }[]>(CASES_ON_VERSION_SQL, [version, after, limit], { prepare: true });
  return rows.map((r) => r.case_id);
}
