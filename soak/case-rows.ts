import type { Sql } from '../db/connection.js';
import type { LegalClock } from '../engine/time/legal-clock.js';

/** A case row as the checks read it; instants as epoch milliseconds (null where the column is). */
export interface CheckedCase {
  readonly id: string;
  readonly definitionKey: string;
  readonly definitionVersion: number;
  readonly status: string;
  readonly stateLabel: string;
  readonly snapshot: unknown;
  readonly clocks: readonly LegalClock[] | null;
  readonly warningLevel: string;
  readonly dueAtMs: number;
  readonly completedAtMs: number | null;
}

export interface CheckedTask {
  readonly id: string;
  readonly key: string;
  readonly status: string;
  readonly warningLevel: string;
  readonly dueAtMs: number;
  readonly opinions: number;
}

export interface CheckedTimer {
  readonly id: string;
  readonly kind: string;
  readonly status: string;
  readonly firedAtMs: number | null;
}

/** An audit event, without its hashes (the chain is checked apart). */
export interface CheckedEvent {
  readonly seq: number;
  readonly type: string;
  readonly data: Record<string, unknown>;
}

/** A `warning.reached` notification. */
export interface CheckedWarning {
  readonly audience: string;
  readonly departmentCode: string | null;
  readonly data: Record<string, unknown>;
}

/** One case with the rows of its that the checks compare. */
export interface CaseRows {
  readonly case: CheckedCase;
  readonly tasks: readonly CheckedTask[];
  readonly timers: readonly CheckedTimer[];
  /** In seq order. */
  readonly events: readonly CheckedEvent[];
  readonly warnings: readonly CheckedWarning[];
}

const ms = (column: string) => `(extract(epoch from ${column}) * 1000)::float8`;

/**
 * The next `limit` cases after `after` (by id) with their rows: one statement per table, each over the batch, all in
 * one read-only repeatable-read transaction — one snapshot, so that a command committing meanwhile (the workers may
 * still be firing) is seen in every table or in none: a case row and its task rows read apart could disagree.
 */
export function loadCaseRows(pool: Sql, after: string | null, limit: number): Promise<CaseRows[]> {
  return pool.begin('isolation level repeatable read read only', (tx) => readBatch(tx as unknown as Sql, after, limit)) as Promise<CaseRows[]>;
}

async function readBatch(sql: Sql, after: string | null, limit: number): Promise<CaseRows[]> {
  const cases = await sql.unsafe<CheckedCase[]>(
    `select id, definition_key as "definitionKey", definition_version as "definitionVersion", status, state_label as "stateLabel", snapshot, clocks,
       warning_level as "warningLevel", ${ms('due_at')} as "dueAtMs", ${ms('completed_at')} as "completedAtMs"
     from cases where ($1::uuid is null or id > $1::uuid) order by id limit $2`,
    [after, limit],
  );
  if (cases.length === 0) return [];
  const ids = cases.map((c) => c.id);
  const [tasks, timers, events, warnings] = await Promise.all([
    sql.unsafe<(CheckedTask & { caseId: string })[]>(
      `select t.case_id as "caseId", t.id, t.key, t.status, t.warning_level as "warningLevel", ${ms('t.due_at')} as "dueAtMs",
         (select count(*) from opinions o where o.case_id = t.case_id and o.task_id = t.id)::int as opinions
       from tasks t where t.case_id = any($1::uuid[])`,
      [ids],
    ),
    sql.unsafe<(CheckedTimer & { caseId: string })[]>(
      `select case_id as "caseId", id, kind, status, ${ms('fired_at')} as "firedAtMs" from timers where case_id = any($1::uuid[])`,
      [ids],
    ),
    sql.unsafe<(CheckedEvent & { caseId: string })[]>(`select case_id as "caseId", seq, type, data from audit_events where case_id = any($1::uuid[]) order by case_id, seq`, [ids]),
    sql.unsafe<(CheckedWarning & { caseId: string })[]>(
      `select case_id as "caseId", audience, department_code as "departmentCode", data from notifications
       where case_id = any($1::uuid[]) and template = 'warning.reached'`,
      [ids],
    ),
  ]);
  const byCase = <T extends { caseId: string }>(rows: readonly T[]) => {
    const map = new Map<string, T[]>();
    for (const row of rows) {
      const list = map.get(row.caseId);
      if (list) list.push(row);
      else map.set(row.caseId, [row]);
    }
    return (id: string) => map.get(id) ?? [];
  };
  const [tasksOf, timersOf, eventsOf, warningsOf] = [byCase(tasks), byCase(timers), byCase(events), byCase(warnings)];
  return cases.map((c) => ({ case: c, tasks: tasksOf(c.id), timers: timersOf(c.id), events: eventsOf(c.id), warnings: warningsOf(c.id) }));
}
