import { sql as fragment } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import type { Actor } from '../engine/access/actor.js';
import type { CaseAtRest } from '../engine/operations/available-moves.js';
import type { Sql } from './connection.js';
import { caseVisibleTo } from './case-visibility.js';
import { LOAD_CASE_FILE } from './pg-case-store.js';
import { toCaseCopy, toCaseFile, toCaseRecord, toTaskRecord, type Row } from './row-mapping.js';
import { cases } from './schema/index.js';

/**
 * A case the actor may read, as the engine's records — the row, its open and its completed tasks, its case file, read as committed and not
 * locked — for what is decided about it without changing it: the moves a person may make
 * (`availableMoves`) and the states its diagram highlights. Null when there is no such case or the actor
 * may not read it (the API answers 404 either way).
 */
export async function findVisibleCaseAtRest(sql: Sql, actor: Actor, caseId: string): Promise<CaseAtRest | null> {
  // Raw rows (snake_case, as the store reads them), filtered by the same visibility rule as every case read.
  const [row] = await drizzle(sql).execute<Row>(fragment`select * from ${cases} where ${cases.id} = ${caseId} and ${caseVisibleTo(actor)}`);
  if (!row) return null;
  // Open tasks, and the completed ones whose completion a withdrawal (撤回) might take back.
  // The unread copies (抄送) of the case, which the reader may mark read (已阅) if addressed to them.
  // The case file, which a return to the applicant names its materials from (一次性告知).
  const [tasks, copies, file] = await Promise.all([
    sql<Row[]>`select * from tasks where case_id = ${caseId} and status in ('open', 'claimed', 'completed') order by opened_at, key`,
    sql<Row[]>`select * from case_copies where case_id = ${caseId} and read_at is null order by sent_at, id`,
    sql.unsafe<Row[]>(LOAD_CASE_FILE.caseId, [caseId]),
  ]);
  const records = tasks.map(toTaskRecord);
  return {
    case: toCaseRecord(row),
    openTasks: records.filter((t) => t.status !== 'completed'),
    completedTasks: records.filter((t) => t.status === 'completed'),
    unreadCopies: copies.map(toCaseCopy),
    caseFile: toCaseFile(file),
  };
}
