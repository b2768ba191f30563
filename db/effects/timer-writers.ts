import type { IncidentResolution } from '../timer-incidents.js';
import { CLOSING } from './case-close-writer.js';
import { ids, payloadList, rowIn, type EffectWriters } from './effect-writer.js';

/**
 * "Pending" said as what it is not: written as `status = 'pending'` the condition matches the partial indexes
 * of every pending timer, and the planner ANDs such a whole index into the primary-key lookup (as it did for
 * open tasks, see `task-writers.ts`).
 */
export const STILL_PENDING = `tm.status not in ('fired', 'cancelled')`;

/**
 * The timer effects. `timers_scheduled` and `timers_rearmed` return what the commit statement's outbox arm
 * relays (`commit-statement.ts`).
 */
export const TIMER_WRITERS = {
  'timer.schedule': {
    write: rowIn('timersScheduled', (e) => e.timer),
    arms: () => [
      `timers_scheduled as (
  insert into timers (id, case_id, kind, task_id, event, send_id, due_at, due_derivation, status)
  select x."id", x."caseId", x."kind", x."taskId", x."event", x."sendId", x."dueAt", x."dueDerivation", 'pending'
  from jsonb_to_recordset(${payloadList('timersScheduled')}) as x("id" uuid, "caseId" uuid, "kind" text, "taskId" uuid, "event" jsonb,
    "sendId" text, "dueAt" timestamptz, "dueDerivation" jsonb)
  returning id, due_at
)`,
    ],
  },
  'timer.fired': {
    write: rowIn('timersFired', (e) => ({ id: e.timerId, at: e.at })),
    arms: (caseId) => [
      `timers_fired as (
  update timers tm set status = 'fired', fired_at = x."at"
  from jsonb_to_recordset(${payloadList('timersFired')}) as x("id" uuid, "at" timestamptz)
  where tm.id = x."id" and tm.id = any(${ids('timersFired')}) and tm.case_id = ${caseId} and ${STILL_PENDING}
  returning tm.id
)`,
    ],
  },
  // Also written by `case.close` (CLOSING), except the timers the same command fires.
  'timer.cancel': {
    write: (e, payload) => {
      if ('taskId' in e.match) payload.timersCancelledByTask.push(e.match.taskId);
      else payload.timersCancelledBySendId.push(e.match.sendId);
    },
    arms: (caseId) => [
      `timers_cancelled as (
  update timers tm set status = 'cancelled'
  where tm.case_id = ${caseId} and tm.status = 'pending'
    and (tm.task_id in (select value::uuid from jsonb_array_elements_text(${payloadList('timersCancelledByTask')}))
      or tm.send_id in (select value from jsonb_array_elements_text(${payloadList('timersCancelledBySendId')}))
      or ${CLOSING})
    and tm.id not in (select x."id" from jsonb_to_recordset(${payloadList('timersFired')}) as x("id" uuid))
)`,
    ],
  },
  // Read, not written: the outbox arm (commit-statement.ts) relays these ids again.
  'timer.relay': {
    write: rowIn('timersRelayed', (e) => ({ id: e.timerId })),
    arms: (caseId) => [
      `timers_relayed as (
  select tm.id, tm.due_at from timers tm where tm.id = any(${ids('timersRelayed')}) and tm.case_id = ${caseId} and ${STILL_PENDING}
)`,
    ],
  },
  // The incident lives outside the case's rows (`timer-incidents.ts` opens it); re-arming resolves it.
  'timer.rearm': {
    write: rowIn('timersRearmed', (e) => ({ id: e.timerId, incidentId: e.incidentId, by: e.by, at: e.at })),
    arms: (caseId) => [
      `timers_rearmed as (
  update timers tm set status = 'pending'
  from jsonb_to_recordset(${payloadList('timersRearmed')}) as x("id" uuid)
  where tm.id = x."id" and tm.id = any(${ids('timersRearmed')}) and tm.case_id = ${caseId} and tm.status = 'failed'
  returning tm.id, tm.due_at
)`,
      `incidents_resolved as (
  update timer_incidents i set resolved_at = x."at", resolved_by = x."by", resolution = '${'retried' satisfies IncidentResolution}'
  from jsonb_to_recordset(${payloadList('timersRearmed')}) as x("id" uuid, "incidentId" uuid, "by" text, "at" timestamptz)
  where i.case_id = ${caseId} and i.timer_id = x."id" and i.id = x."incidentId" and i.resolved_at is null
  returning i.id
)`,
    ],
    // Two administrators retrying at once: the second finds the incident resolved and is refused.
    checks: [
      {
        name: 'incidentsResolved',
        holds: `(select count(*) from incidents_resolved) = jsonb_array_length(${payloadList('timersRearmed')})`,
        refusal: 'the incident was resolved by someone else',
      },
    ],
  },
} satisfies Partial<EffectWriters>;
