import { date, integer, pgTable, primaryKey, smallint, text, unique } from 'drizzle-orm/pg-core';

/**
 * The supervisors' counters (`GET /api/supervision/departments`), kept by triggers on `cases` and `tasks`
 * (migration `0018_supervision_counts.sql`, which says what each command pays for them): what is open now, and
 * what finished in each month, on time or late, per subject (`case`: a case by its lead department; `task`: a
 * step by the department holding it), department and service item. Counting those rows when asked would read
 * every open task or running case (87 and 332 ms p95 at a million cases: bench/RESULTS.md).
 *
 * Each count is spread over 16 rows (`slot`, from the case id: `supervision_slot()`), so that two commands that
 * change the counts of one department wait on each other only when their cases share a slot; a reader sums the
 * slots. Never written by the application: `db/supervision-queries.ts` only reads it.
 */
export const supervisionCounts = pgTable(
  'supervision_counts',
  {
    /** `case` or `task`. */
    subject: text('subject').notNull(),
    /** A case's lead department; a task's own department. */
    departmentCode: text('department_code').notNull(),
    serviceItemCode: text('service_item_code').notNull(),
    /** Null on the row of what is open now; else the first day of the month (Beijing time) the finished ones finished in. */
    month: date('month', { mode: 'string' }),
    slot: smallint('slot').notNull(),
    /** Running cases, open (or claimed) tasks; of them, yellow and red. */
    open: integer('open').notNull().default(0),
    yellow: integer('yellow').notNull().default(0),
    red: integer('red').notNull().default(0),
    /** Finished in the month: completed at or before their due instant, or after it. */
    onTime: integer('on_time').notNull().default(0),
    late: integer('late').notNull().default(0),
    /** Of the steps finished in the month: the working days their clocks consumed, in all (their average per step). */
    workingDays: integer('working_days').notNull().default(0),
    /** How many of them had a clock to tell it (steps opened before clocks were kept did not). */
    timedSteps: integer('timed_steps').notNull().default(0),
  },
  (t) => [
    // One row per key: the triggers' upserts conflict on it; a reader reads two ranges of it, `month is null` (now)
    // and `month = $1`.
    unique('supervision_counts_key').on(t.month, t.subject, t.departmentCode, t.serviceItemCode, t.slot).nullsNotDistinct(),
  ],
);

/**
 * The supervisors' weekly counters (`GET /api/supervision/trend`), kept by the same triggers as
 * `supervision_counts` (migration `0021_supervision_weeks.sql`), per ISO week in Beijing time (`week`: its Monday),
 * subject, department and slot. Two kinds of figure share a row: the week's **cohort** — cases started and steps
 * opened in the week, and of them how many are open now and how many of those red (overdue) — and what **finished**
 * in the week, on time or late, with the working days the finished steps took. Not per service item (the monthly
 * counters have that): a trend of 12 weeks reads 12 weeks × departments × 16 slots, however many cases and items.
 */
export const supervisionWeeks = pgTable(
  'supervision_weeks',
  {
    /** The Monday (Beijing time) of the ISO week. */
    week: date('week', { mode: 'string' }).notNull(),
    /** `case` or `task`. */
    subject: text('subject').notNull(),
    /** A case's lead department; a task's own department. */
    departmentCode: text('department_code').notNull(),
    slot: smallint('slot').notNull(),
    /** Started (cases) or opened (steps) in the week; of them, running or open now; of those, red now. */
    opened: integer('opened').notNull().default(0),
    open: integer('open').notNull().default(0),
    red: integer('red').notNull().default(0),
    /** Finished in the week: at or before their due instant, or after it. */
    onTime: integer('on_time').notNull().default(0),
    late: integer('late').notNull().default(0),
    /** Of the steps finished in the week: the working days their clocks consumed, and how many had a clock. */
    workingDays: integer('working_days').notNull().default(0),
    timedSteps: integer('timed_steps').notNull().default(0),
  },
  // The triggers' upserts conflict on it; the trend reads a range of weeks of it.
  (t) => [primaryKey({ name: 'supervision_weeks_pkey', columns: [t.week, t.subject, t.departmentCode, t.slot] })],
);
