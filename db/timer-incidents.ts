import type { Sql } from './connection.js';
import { instant, optionalInstant } from './instants.js';
import type { IncidentResolution } from '../engine/case-record.js';

/**
 * Incidents (`schema/delivery.ts` `timer_incidents`): timers whose firing failed on every attempt. The timer
 * worker opens them; administrators list them and retry them (the retry is the engine's `incident.retry`,
 * which writes through the commit statement, not here, as does the command that closes their case).
 */

/** How an incident was resolved (the engine's sandbox case resolves them too, so the engine holds the list). */
export { INCIDENT_RESOLUTIONS, type IncidentResolution } from '../engine/case-record.js';

/** What the timer worker knows when it gives a timer up. Instants are the engine clock's. */
export interface TimerFailure {
  readonly timerId: string;
  readonly error: string;
  readonly attempts: number;
  readonly firstFailedAt: Date;
  readonly lastFailedAt: Date;
}

/**
 * Gives a timer up: moves it from `pending` to `failed` and opens its incident, in one statement. A timer
 * that is no longer pending (fired or cancelled meanwhile, or failed already), or whose case is no longer
 * running, is left alone: returns null. The case row is locked first, as every command of the case does: a
 * command closing the case meanwhile either commits before (the case is then not running and its close has
 * cancelled the timer) or after (its close then sees the incident and resolves it); without the lock an
 * incident committed inside the closing statement's window would stay open on a closed case.
 * `failed` is outside the partial indexes of pending timers, so the reconciler's walk and overdue sweep no
 * longer see it and nothing delivers it again until it is retried.
 */
export async function openTimerIncident(sql: Sql, failure: TimerFailure): Promise<string | null> {
  const [row] = await sql<{ id: string }[]>`
    with running_case as (
      select c.id from cases c where c.id = (select case_id from timers where id = ${failure.timerId}::uuid)
        and c.status = 'running'
      for update
    ),
    failed as (
      update timers set status = 'failed'
      where id = ${failure.timerId}::uuid and status = 'pending' and case_id = (select id from running_case)
      returning id, case_id
    )
    insert into timer_incidents (id, case_id, timer_id, error, attempts, first_failed_at, last_failed_at)
    select gen_random_uuid(), case_id, id, ${failure.error}, ${failure.attempts},
      ${failure.firstFailedAt.toISOString()}::timestamptz, ${failure.lastFailedAt.toISOString()}::timestamptz
    from failed
    returning id`;
  return row?.id ?? null;
}

export interface Incident {
  readonly id: string;
  readonly caseId: string;
  readonly timerId: string;
  readonly timerKind: string;
  readonly timerStatus: string;
  readonly dueAt: Date;
  readonly error: string;
  readonly attempts: number;
  readonly firstFailedAt: Date;
  readonly lastFailedAt: Date;
  readonly resolvedAt: Date | null;
  readonly resolvedBy: string | null;
  readonly resolution: IncidentResolution | null;
}

const INCIDENT_COLUMNS = `i.id, i.case_id, i.timer_id, t.kind as timer_kind, t.status as timer_status, t.due_at, i.error, i.attempts,
  i.first_failed_at, i.last_failed_at, i.resolved_at, i.resolved_by, i.resolution`;

function toIncident(r: Record<string, unknown>): Incident {
  return {
    id: r['id'] as string,
    caseId: r['case_id'] as string,
    timerId: r['timer_id'] as string,
    timerKind: r['timer_kind'] as string,
    timerStatus: r['timer_status'] as string,
    dueAt: instant(r['due_at']),
    error: r['error'] as string,
    attempts: r['attempts'] as number,
    firstFailedAt: instant(r['first_failed_at']),
    lastFailedAt: instant(r['last_failed_at']),
    resolvedAt: optionalInstant(r['resolved_at']),
    resolvedBy: (r['resolved_by'] as string | null) ?? null,
    resolution: (r['resolution'] as IncidentResolution | null) ?? null,
  };
}

/** Open incidents (unresolved) or resolved ones, the latest failure first. */
export async function listIncidents(sql: Sql, opts: { readonly resolved: boolean; readonly page: number; readonly pageSize: number }): Promise<Incident[]> {
  const rows = await sql.unsafe(
    `select ${INCIDENT_COLUMNS} from timer_incidents i join timers t on t.id = i.timer_id
     where (i.resolved_at is not null) = $1 order by i.last_failed_at desc, i.id limit $2 offset $3`,
    [opts.resolved, opts.pageSize, (opts.page - 1) * opts.pageSize],
  );
  return rows.map(toIncident);
}

/** One incident, resolved or not; null when there is none. */
export async function findIncident(sql: Sql, id: string): Promise<Incident | null> {
  const [row] = await sql.unsafe(`select ${INCIDENT_COLUMNS} from timer_incidents i join timers t on t.id = i.timer_id where i.id = $1::uuid`, [id]);
  return row ? toIncident(row) : null;
}
