import type { Actor } from '../engine/access/actor.js';
import type { DepartmentCode } from '../engine/ids.js';
import type { Sql } from './connection.js';
import { readerDepartment } from './supervision-queries.js';

/**
 * The supervisors' trend (效能趋势): per ISO week in Beijing time, from the weekly counters the triggers keep
 * (`supervision_weeks`, migration `0021_supervision_weeks.sql`). Reads one range of the counters' key — the weeks
 * asked for — and sums their slots and departments: as cheap at a million cases as at ten.
 */

/** What one subject (cases by their lead department, steps by their own) did in one week. */
export interface WeekTally {
  /** Started (cases) or opened (steps) in the week. */
  readonly opened: number;
  /** Of those, still running or open now; of those, red (overdue) now. */
  readonly openNow: number;
  readonly overdueNow: number;
  /** Finished in the week, at or before their due instant, or after it. */
  readonly finishedOnTime: number;
  readonly finishedLate: number;
  /** Of the steps finished in the week: the working days their clocks consumed, in all, and how many had a clock. */
  readonly workingDays: number;
  readonly timedSteps: number;
}

/** One week's tallies, cases and steps. */
export interface SupervisionWeek {
  /** The Monday of the ISO week (Beijing time), `YYYY-MM-DD`. */
  readonly week: string;
  readonly cases: WeekTally;
  readonly steps: WeekTally;
}

export interface TrendQuery {
  /** The last week's Monday (`YYYY-MM-DD`): the current week's. */
  readonly lastWeek: string;
  /** How many weeks, the last one included. */
  readonly weeks: number;
  readonly department?: DepartmentCode;
}

const NONE: WeekTally = { opened: 0, openNow: 0, overdueNow: 0, finishedOnTime: 0, finishedLate: 0, workingDays: 0, timedSteps: 0 };

/**
 * Every week of the range, oldest first, with zeros for a week nothing happened in. Supervisors read every
 * department (the one asked for, if any); anyone else (a lead) their own, and a filter naming another finds nothing.
 */
export async function supervisionTrend(sql: Sql, actor: Actor, query: TrendQuery): Promise<SupervisionWeek[]> {
  const weeks = weekStarts(query.lastWeek, query.weeks);
  const department = readerDepartment(actor, query.department);
  const rows =
    department === null
      ? []
      : await sql<({ week: string; subject: 'case' | 'task' } & WeekTally)[]>`
        select to_char(week, 'YYYY-MM-DD') as week, subject, sum(opened)::int as opened, sum(open)::int as "openNow", sum(red)::int as "overdueNow",
          sum(on_time)::int as "finishedOnTime", sum(late)::int as "finishedLate", sum(working_days)::int as "workingDays", sum(timed_steps)::int as "timedSteps"
        from supervision_weeks
        where week between ${weeks[0]!}::date and ${query.lastWeek}::date
          ${department ? sql`and department_code = ${department}` : sql``}
        group by week, subject`;
  const tally = (week: string, subject: 'case' | 'task'): WeekTally => {
    const row = rows.find((r) => r.week === week && r.subject === subject);
    if (!row) return NONE;
    const { week: _week, subject: _subject, ...counts } = row;
    return counts;
  };
  return weeks.map((week) => ({ week, cases: tally(week, 'case'), steps: tally(week, 'task') }));
}

const DAY = 86_400_000;
const BEIJING = 8 * 3_600_000; // UTC+8 all year

/** The Monday (`YYYY-MM-DD`) of the ISO week of `at` in Beijing time, as `supervision_week()` files it. */
export function supervisionWeek(at: Date): string {
  const local = new Date(at.getTime() + BEIJING);
  const sinceMonday = (local.getUTCDay() + 6) % 7;
  return new Date(local.getTime() - sinceMonday * DAY).toISOString().slice(0, 10);
}

/** The `count` Mondays ending with `last`, oldest first. */
function weekStarts(last: string, count: number): string[] {
  const end = Date.parse(`${last}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => new Date(end - (count - 1 - i) * 7 * DAY).toISOString().slice(0, 10));
}

/** The ISO week of a Monday (`YYYY-MM-DD`) as `YYYY-Www`: its year is its Thursday's. */
export function isoWeekName(monday: string): string {
  const thursday = new Date(Date.parse(`${monday}T00:00:00Z`) + 3 * DAY);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY));
  return `${year}-W${String(week).padStart(2, '0')}`;
}
