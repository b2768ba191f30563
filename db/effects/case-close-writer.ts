import type { IncidentResolution } from '../timer-incidents.js';
import type { EffectWriters } from './effect-writer.js';

/**
 * Whether the command closes the case, in SQL. The cancellations of open tasks and pending timers read this
 * rather than `case.close` having arms for them, so that a task or timer the command also cancels one by one
 * is touched by one arm.
 */
export const CLOSING = `($1::jsonb->>'closing')::boolean`;

/**
 * `case.close`: whatever is still open or pending is cancelled (the case row carries the new status), and so
 * are the failed timers, whose open incidents are resolved with the case: once it is closed a retry is refused,
 * so nothing else could ever clear them. Its two arms reach only failed timers and open incidents, which no
 * other arm of a closing command touches: `timers_cancelled` and `timers_fired` take pending timers, and
 * `incident.retry` (the one that resolves incidents) never closes its case.
 *
 * Other commands skip both arms for next to nothing: CLOSING has no column in it, so it is the plan's one-time
 * filter, read before any index. A failed timer always has its open incident (they are written together, and
 * resolved together), so the incidents' partial index of unresolved ones by case finds the timers too.
 */
export const CASE_CLOSE_WRITER = {
  'case.close': {
    write: (_effect, payload) => {
      payload.closing = true;
    },
    arms: (caseId) => [
      `incidents_closed as (
  update timer_incidents i set resolved_at = ($1::jsonb->'case'->>'updatedAt')::timestamptz, resolved_by = 'system',
    resolution = '${'case-closed' satisfies IncidentResolution}'
  where i.case_id = ${caseId} and i.resolved_at is null and ${CLOSING}
  returning i.timer_id
)`,
      `failed_timers_cancelled as (
  update timers tm set status = 'cancelled'
  where tm.id = any(array(select timer_id from incidents_closed)) and tm.case_id = ${caseId} and tm.status = 'failed'
)`,
    ],
  },
} satisfies Partial<EffectWriters>;
