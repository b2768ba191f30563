import type postgres from 'postgres';
import type { CaseRef } from '../engine/case-command.js';
import type { CaseCommit, CaseCreation, IdempotentAnswer } from '../engine/case-effect.js';
import type { CaseReads, CaseStore, Decision, LockedCase } from '../engine/case-store.js';
import type { UserId } from '../engine/ids.js';
import type { Substitution } from '../engine/substitution.js';
import { CommitRefusedError, IdempotencyKeyConflictError } from '../engine/errors.js';
import { commitPayload } from './commit-payload.js';
import { COMMIT_REFUSED, CREATE_CASE_SQL, UPDATE_CASE_SQL } from './commit-statement.js';
import { withReservedConnection, type Sql } from './connection.js';
import { substitutionsAt } from './substitution-queries.js';
import { toCaseCopy, toCaseFile, toCaseRecord, toSupervisionNotice, toTaskRecord, toTimerRecord, type Row } from './row-mapping.js';

/** How each kind of reference finds its case id; `$1` is the referenced id. */
const CASE_OF = {
  caseId: '$1::uuid',
  taskId: '(select case_id from tasks where id = $1::uuid)',
  timerId: '(select case_id from timers where id = $1::uuid)',
  noticeId: '(select case_id from supervision_notices where id = $1::uuid)',
  copyId: '(select case_id from case_copies where id = $1::uuid)',
} as const;

/** The open tasks of the case `$1` refers to, and the named task. */
const tasksOf = (caseIdSql: string) => `select * from tasks where case_id = ${caseIdSql} and (status in ('open', 'claimed') or id = $1::uuid)`;

/**
 * Per reference kind, one statement: lock the case row and load its open tasks and the named task. A statement
 * reads with the snapshot it started with, but `for update` returns the newest version of the row it waited for,
 * so the tasks read may be older than the case locked. Only the commit statement writes tasks, and it always
 * writes the case row (`case_written`, a new row version even when a command keeps the case's `version`); so when
 * the row version this statement's snapshot sees is the one locked (same `xmin`), no command committed in between
 * and the tasks read are current (`tasks_current`). Otherwise (the lock was waited for) `tasks` reads them again, in
 * a statement of its own, after the lock.
 */
const STATEMENTS = Object.fromEntries(
  Object.entries(CASE_OF).map(([kind, caseIdSql]) => [
    kind,
    {
      lock: `with locked as (select *, xmin as locked_xmin from cases where id = ${caseIdSql} for update)
        select locked.*, coalesce((select seen.xmin = locked.locked_xmin from cases seen where seen.id = locked.id), false) as tasks_current,
          (select coalesce(json_agg(t), '[]') from (${tasksOf('locked.id')}) as t) as loaded_tasks
        from locked`,
      tasks: tasksOf(caseIdSql),
    },
  ]),
) as Record<keyof typeof CASE_OF, { lock: string; tasks: string }>;
/**
 * The named timer and the case's other pending timers due no later (they fire with it; `toLocked` tells
 * them apart by id): the partial index `timers_pending_case_idx` finds the case's few pending ones.
 */
const LOAD_TIMERS = `select * from timers where id = $1::uuid
  union all
  select due.* from timers named join timers due on due.case_id = named.case_id and due.status = 'pending' and due.id <> named.id
    and due.due_at <= named.due_at
  where named.id = $1::uuid`;

/** The supervision notice a reference names, whatever its status. */
const LOAD_NOTICE = `select * from supervision_notices where id = $1::uuid`;

/** The copy (抄送) a reference names, read or not. */
const LOAD_COPY = `select * from case_copies where id = $1::uuid`;

/** The case's copies not yet read, for a reference that asks for them (`case_copies_case_idx`): a new copy skips their recipients. */
const LOAD_UNREAD_COPIES = `select * from case_copies where case_id = $1::uuid and read_at is null`;

/**
 * The case file, for a reference that asks for it: the versions of its materials and its supplement requests (by
 * `materials_case_idx` and `supplement_requests_case_idx`), one row each, told apart by `kind`.
 */
const caseFileOf = (caseIdSql: string) => `select 'material' as kind, name, version, sha256, submitted_at as at, id, null::uuid as task_id,
    null::jsonb as materials, null::timestamptz as answered_at
  from materials where case_id = ${caseIdSql}
  union all
  select 'request', null, null, null, requested_at, id, task_id, materials, answered_at from supplement_requests where case_id = ${caseIdSql}`;
export const LOAD_CASE_FILE = { caseId: caseFileOf(CASE_OF.caseId), taskId: caseFileOf(CASE_OF.taskId) } as const;

/** Every pending timer of the case, for a reference that asks for them (`timers_pending_case_idx`). */
const LOAD_PENDING_TIMERS = `select * from timers where case_id = $1::uuid and status = 'pending'`;

/**
 * Every parameterised statement here is prepared once per connection. postgres.js does not prepare
 * `unsafe` queries unless asked; unprepared, each execution costs an extra round trip (Parse + Describe,
 * wait for the parameter types, then Bind + Execute) and a fresh parse and plan, which for the commit
 * statement is 7 kB of SQL (bench/RESULTS.md: this took commands from 5–7 socket writes to 3).
 */
const PREPARED = { prepare: true } as const;

/**
 * The engine's `CaseStore` on PostgreSQL. One command is one transaction in two round trips:
 *   1. BEGIN, lock the case row and load its open tasks and the named task in one statement (`STATEMENTS`),
 *      and the named timer (with the timers due with it), supervision notice or copy —
 *      pipelined; those loads are separate statements so they read what the last lock holder committed (a third
 *      round trip reads the tasks again when the lock was waited for);
 *   2. the single commit statement (`commit-statement.ts`) and COMMIT — pipelined; a failed write turns
 *      the COMMIT into a rollback.
 * A decision that throws rolls back and rethrows: nothing is written (`withReservedConnection`, which also keeps a
 * connection lost under the transaction out of the pool). Starting a case is one round trip:
 * BEGIN, the commit statement and COMMIT, pipelined.
 */
export class PgCaseStore implements CaseStore {
  constructor(private readonly sql: Sql) {}

  /** Before a case is written (its start): on the pool, holding no connection meanwhile. */
  substitutionsAt(absentIds: readonly UserId[], at: Date): Promise<readonly Substitution[]> {
    return substitutionsAt(this.sql, absentIds, at);
  }

  async create(creation: CaseCreation): Promise<void> {
    // Pipelined rather than `sql.begin`, which waits for BEGIN and for the statement before sending COMMIT.
    await withReservedConnection(this.sql, (conn) => Promise.all([conn.unsafe('begin').execute(), writeCreation(conn, creation), conn.unsafe('commit')]));
  }

  async update<T>(ref: CaseRef, decide: (locked: LockedCase | null, reads: CaseReads) => Decision<T> | Promise<Decision<T>>): Promise<T> {
    return withReservedConnection(this.sql, async (conn) => {
      // BEGIN sent first: `lockCase` sends its statements as it is called, before `Promise.all` would send BEGIN.
      const [, locked] = await Promise.all([conn.unsafe('begin').execute(), lockCase(conn, ref)]);
      // A third round trip, only for a decision that opens a named signer's task: in the transaction, on its connection.
      const decision = await decide(locked, { substitutionsAt: (absentIds, at) => substitutionsAt(conn, absentIds, at) });
      if (!decision.commit) {
        await conn.unsafe('rollback');
        return decision.result;
      }
      const { commit } = decision;
      await Promise.all([writeCommit(conn, commit), conn.unsafe('commit')]);
      return decision.result;
    });
  }
}

/**
 * One command's reads, on `conn` inside a transaction the caller began: find and
 * lock the case `ref` points at (`null` when there is none) and load what the reference asks for. Its statements are
 * sent as it is called (postgres.js sends a query when it is first awaited), so a caller pipelining it sends what
 * must come first — BEGIN — with `.execute()` before calling it.
 */
async function lockCase(conn: postgres.ReservedSql, ref: CaseRef): Promise<LockedCase | null> {
  const [kind, key] = refKey(ref);
  const [caseRows, timerRows, pendingRows, noticeRows, copyRows, fileRows] = await Promise.all([
    conn.unsafe(STATEMENTS[kind].lock, [key], PREPARED),
    'timerId' in ref ? conn.unsafe(LOAD_TIMERS, [key], PREPARED) : Promise.resolve([]),
    'pendingTimers' in ref ? conn.unsafe(LOAD_PENDING_TIMERS, [key], PREPARED) : Promise.resolve([]),
    'noticeId' in ref ? conn.unsafe(LOAD_NOTICE, [key], PREPARED) : Promise.resolve([]),
    copiesOf(conn, ref, key),
    'caseFile' in ref && (kind === 'caseId' || kind === 'taskId') ? conn.unsafe(LOAD_CASE_FILE[kind], [key], PREPARED) : Promise.resolve(null),
  ]);
  const caseRow = caseRows[0];
  const taskRows = caseRow === undefined ? [] : caseRow['tasks_current'] === true ? (caseRow['loaded_tasks'] as Row[]) : await conn.unsafe(STATEMENTS[kind].tasks, [key], PREPARED);
  return caseRow ? { ...toLocked(caseRow, taskRows, timerRows, pendingRows, ref, noticeRows, copyRows), ...(fileRows ? { caseFile: toCaseFile(fileRows) } : {}) } : null;
}

/** Writes a decided command's commit statement on `conn`, inside a transaction the caller commits; a refusal is a `CommitRefusedError`. */
function writeCommit(conn: postgres.ReservedSql, commit: CaseCommit): Promise<void> {
  const payload = JSON.stringify(commitPayload(commit.next, commit.effects, commit.audits, commit.answer));
  return conn.unsafe(UPDATE_CASE_SQL, [payload, commit.caseId, commit.expectedVersion], PREPARED).then(
    () => undefined,
    (error: unknown) => {
      throw sqlState(error) === COMMIT_REFUSED ? new CommitRefusedError(commit.caseId) : storeError(error, commit.answer);
    },
  );
}

/** Writes a new case and everything its start opens on `conn`, inside a transaction the caller commits. */
function writeCreation(conn: postgres.ReservedSql, creation: CaseCreation): Promise<void> {
  const payload = JSON.stringify(commitPayload(creation.case, creation.effects, [creation.audit], creation.answer));
  return conn.unsafe(CREATE_CASE_SQL, [payload], PREPARED).then(
    () => undefined,
    (error: unknown) => {
      throw storeError(error, creation.answer);
    },
  );
}

function refKey(ref: CaseRef): [keyof typeof CASE_OF, string] {
  if ('caseId' in ref) return ['caseId', ref.caseId];
  if ('taskId' in ref) return ['taskId', ref.taskId];
  if ('noticeId' in ref) return ['noticeId', ref.noticeId];
  if ('copyId' in ref) return ['copyId', ref.copyId];
  return ['timerId', ref.timerId];
}

/** The copies a reference names or asks for: the copy of `{ copyId }`, the unread ones of `{ caseId, unreadCopies }`. */
function copiesOf(conn: postgres.ReservedSql, ref: CaseRef, key: string): Promise<readonly Row[]> {
  if ('copyId' in ref) return conn.unsafe(LOAD_COPY, [key], PREPARED);
  if ('unreadCopies' in ref) return conn.unsafe(LOAD_UNREAD_COPIES, [key], PREPARED);
  return Promise.resolve([]);
}

function toLocked(
  caseRow: Row,
  taskRows: readonly Row[],
  timerRows: readonly Row[],
  pendingRows: readonly Row[],
  ref: CaseRef,
  noticeRows: readonly Row[],
  copyRows: readonly Row[],
): LockedCase {
  const tasks = taskRows.map(toTaskRecord);
  const timers = timerRows.map(toTimerRecord);
  const named = 'taskId' in ref ? (tasks.find((t) => t.id === ref.taskId) ?? null) : null;
  return {
    case: toCaseRecord(caseRow),
    openTasks: tasks.filter((t) => t.status === 'open' || t.status === 'claimed'),
    task: named,
    timer: timers.find((t) => 'timerId' in ref && t.id === ref.timerId) ?? null,
    timersDueWith: timers.filter((t) => !('timerId' in ref) || t.id !== ref.timerId),
    pendingTimers: pendingRows.map(toTimerRecord),
    ...('noticeId' in ref ? { notice: noticeRows[0] ? toSupervisionNotice(noticeRows[0]) : null } : {}),
    ...('copyId' in ref ? { copy: copyRows[0] ? toCaseCopy(copyRows[0]) : null } : {}),
    ...('unreadCopies' in ref ? { unreadCopies: copyRows.map(toCaseCopy) } : {}),
  };
}

/** The SQLSTATE of a PostgreSQL error (`40P01`, `TB409`…). */
function sqlState(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}

/** A second request with the same idempotency key lost the race: its answer is the first one's. */
function storeError(error: unknown, answer: IdempotentAnswer | undefined): unknown {
  const constraint = (error as { constraint_name?: unknown } | null)?.constraint_name;
  if (answer && sqlState(error) === '23505' && constraint === 'idempotency_keys_principal_key_pk') return new IdempotencyKeyConflictError(answer.key);
  return error;
}
