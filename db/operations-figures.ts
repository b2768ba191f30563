import type { DatabaseFigures } from '../platform/operations-figures.js';
import type { Sql } from './connection.js';

/**
 * The figures' one statement; `$1` is now on legal time, what due dates are read at. Outbox rows are stamped by the
 * database's clock (`created_at` defaults to `now()`), so their age is read on it. Exported for the test of its plan.
 */
export const DATABASE_FIGURES_SQL = `
  select
    (select coalesce(json_agg(c), '[]') from (
      select status, count(*)::int as count from cases where status in ('running', 'suspended') group by status) c) as "openCases",
    (select coalesce(json_agg(t), '[]') from (
      select department_code as department, warning_level as colour, count(*)::int as count,
        count(*) filter (where due_at < $1::timestamptz)::int as overdue
      from tasks where status in ('open', 'claimed') group by department_code, warning_level) t) as "openTasks",
    (select count(*)::int from outbox where sent_at is null) as "outboxUnrelayed",
    (select extract(epoch from clock_timestamp() - created_at)::float8 from outbox where sent_at is null order by id limit 1) as "outboxAge",
    (select count(*)::int from timers where status = 'pending' and due_at < $1::timestamptz) as "lateTimers",
    (select extract(epoch from $1::timestamptz - min(due_at))::float8 from timers where status = 'pending' and due_at < $1::timestamptz) as "timerLateness",
    (select count(*)::int from timer_incidents where resolved_at is null) as "openIncidents",
    (select coalesce(json_agg(a), '[]') from (
      select coalesce(state, 'unknown') as state, count(*)::int as count from pg_stat_activity
      where application_name = 'tongban' and datname = current_database() group by 1) a) as "connections"`;

/**
 * The fleet's figures as PostgreSQL holds them at `now`, for a `/metrics` scrape, in one round trip. Each part reads a
 * partial index of what is still open or pending, so a scrape costs the same beside millions of ended cases, done tasks,
 * relayed rows and fired timers (`test/integration/metrics-http.test.ts` checks the plan): open cases
 * (`cases_open_applicant_name_idx`), open tasks (`tasks_inbox_idx`), unrelayed outbox rows (`outbox_unsent_idx`), late
 * timers (`timers_pending_due_idx`), unresolved incidents (`timer_incidents_unresolved_idx`); connections are the
 * server's own view of this database (`pg_stat_activity`), not this process's pool, which postgres.js does not expose.
 *
 * @example const figures = await readDatabaseFigures(sql, clock.now());
 */
export async function readDatabaseFigures(sql: Sql, now: Date): Promise<DatabaseFigures> {
  const [row] = (await sql.unsafe(DATABASE_FIGURES_SQL, [now.toISOString()], { prepare: true })) as unknown as FiguresRow[];
  if (!row) throw new Error('PostgreSQL answered the figures with no row');
  return {
    openCases: row.openCases,
    openTasks: row.openTasks,
    outbox: { unrelayed: row.outboxUnrelayed, oldestAgeSeconds: Math.max(0, row.outboxAge ?? 0) },
    lateTimers: { count: row.lateTimers, oldestLatenessSeconds: row.timerLateness ?? 0 },
    openIncidents: row.openIncidents,
    connections: row.connections,
  };
}

interface FiguresRow {
  readonly openCases: DatabaseFigures['openCases'];
  readonly openTasks: DatabaseFigures['openTasks'];
  readonly outboxUnrelayed: number;
  readonly outboxAge: number | null;
  readonly lateTimers: number;
  readonly timerLateness: number | null;
  readonly openIncidents: number;
  readonly connections: DatabaseFigures['connections'];
}
