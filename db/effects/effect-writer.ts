import type { CaseEffect } from '../../engine/case-effect.js';

/**
 * The lists of the commit payload (`commit-payload.ts`), one per input of the commit statement's arms. Every
 * list is sent, empty or not: the statement's checks compare counts with their lengths.
 */
export const PAYLOAD_LISTS = [
  'tasksOpened',
  'tasksClaimed',
  'tasksReleased',
  'tasksTransferred',
  'tasksDelegated',
  'tasksTakenOver',
  'tasksCompleted',
  'tasksCancelled',
  'tasksWithdrawn',
  'tasksWarned',
  'opinions',
  'materials',
  'licences',
  'timersScheduled',
  'timersCancelledByTask',
  'timersCancelledBySendId',
  'timersFired',
  'timersRearmed',
  'timersRelayed',
  'tasksRescheduled',
  'timersRescheduled',
  'casesRescheduled',
  'caseClocks',
  'caseWarned',
  'notifications',
  'noticesIssued',
  'noticesAnswered',
  'noticesClosed',
  'copiesSent',
  'copiesRead',
  'comments',
  'supplementsRequested',
  'supplementsAnswered',
] as const;

export type PayloadList = (typeof PAYLOAD_LISTS)[number];

/** What a command's effects become in the commit payload: rows by list, and whether the case closes. */
export type PayloadDraft = Record<PayloadList, unknown[]> & { closing: boolean };

/** A check of the statement's final SELECT: unless `holds`, the commit is refused (`tongban_assert`, TB409). */
export interface CommitCheck {
  /** The column it is selected as. */
  readonly name: string;
  readonly holds: string;
  /** Why the commit is refused, in the error. */
  readonly refusal: string;
}

/**
 * How one kind of effect is written: into which payload list and as what row (`write`), and the arms of the
 * commit statement that write that list (`arms`, each `name as (…)`; `caseId` is the statement's SQL for the
 * case's id). The table of them (`effect-writers.ts`) is what `commit-payload.ts` and `commit-statement.ts`
 * are built from, so a kind's row and the SQL that reads it are declared side by side, once.
 *
 * Arms run in one statement, so they all see the rows as they were before it, and no two may update the same
 * row: an arm whose rows another arm may also reach leaves them to that one (`tasks_warned` leaves a task
 * being cancelled to `tasks_cancelled`). An arm with an empty list must cost next to nothing: find rows by
 * their ids (`ids`) or their case, never by a status alone.
 */
export interface EffectWriter<E extends CaseEffect> {
  readonly write: (effect: E, payload: PayloadDraft) => void;
  readonly arms: (caseId: string) => readonly string[];
  readonly checks?: readonly CommitCheck[];
}

/** A writer for every kind of effect: a kind without one is a compile error where the table is built. */
export type EffectWriters = { readonly [K in CaseEffect['type']]: EffectWriter<Extract<CaseEffect, { type: K }>> };

/** A `write` that puts each effect as one row into one list. */
export const rowIn =
  <E extends CaseEffect>(list: PayloadList, row: (effect: E) => unknown) =>
  (effect: E, payload: PayloadDraft): void => {
    payload[list].push(row(effect));
  };

/** A payload list as jsonb, for an arm to read with `jsonb_to_recordset` or `jsonb_array_elements_text`. */
export const payloadList = (list: PayloadList): string => `$1::jsonb->'${list}'`;

/**
 * The ids of a payload list as an array, for `row.id = any(…)`: an InitPlan the primary key can be scanned
 * with. Joined with `jsonb_to_recordset` alone, a generic plan (which guesses 100 rows for it) hashes the
 * list and scans every open task or pending timer of the whole system through a partial index (seen in
 * EXPLAIN ANALYZE: 3,300 open tasks read to complete one; tasks_warned even read the whole table).
 */
export const ids = (list: PayloadList): string => `array(select x."id" from jsonb_to_recordset(${payloadList(list)}) as x("id" uuid))`;
