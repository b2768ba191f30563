/**
 * What a department system hears (`docs/webhooks.md`): the webhook events, and how they are derived from the
 * notifications the relay delivers (`delivery-queries.ts` `deliverNotifications`), in the statement that marks
 * those notifications delivered — an event is made exactly when its notification leaves the outbox, never twice,
 * never without it.
 */

/** The events a subscription may ask for. */
export const WEBHOOK_EVENTS = ['task.opened', 'task.warned', 'task.overdue', 'case.decided', 'licence.issued'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** The NOTIFY channel that wakes the webhook dispatchers when deliveries were made. */
export const WEBHOOK_CHANNEL = 'tongban_webhooks';

/**
 * The applicant's notices that tell a decision (the final states of `engine/definitions/final-states.ts`): a
 * licence issued, a refusal, an application not accepted. A grant without a licence of ours (`grantedState`, e.g.
 * `business.opened`) names its own template; it is recognised as the applicant's notice of the commit that
 * approved the case (`created_at = completed_at`).
 */
const DECISION_TEMPLATES = ['licence.issued', 'case.refused', 'case.not-accepted'];

/**
 * The arms that follow a `delivered` CTE (the notifications just marked delivered: `id, case_id, department_code,
 * audience, template, data, created_at`) and insert one `webhook_deliveries` row per event and matching active
 * subscription of the department concerned. `$1` is unused here; the caller's statement owns it.
 *
 * - `task.opened`: a department's `task.opened` notice, to that department.
 * - `task.overdue`: a department's `task.overdue` (a task past its due date) and `case.overdue` (the case's
 *   committed limit, to the lead department, no task), and a red rung of a warning ladder reached (`warning.reached`
 *   with colour red: the due date passed, as the default ladder's `red` and `red+3` say). Not `escalation.overdue`:
 *   it tells the lead department of another department's task, whose own system hears `task.overdue`.
 * - `task.warned`: every other rung reached and every reminder (`warning.reached`, `warning.reminder`), to the
 *   department told; a case clock's rung has no task.
 * - `case.decided`: the applicant's notice of the decision, to the lead department; its source is the case, so
 *   a case is decided once per subscription whatever notices its last commit sent.
 * - `licence.issued`: the applicant's `licence.issued` notice, one per licence of the case (source: the
 *   licence), to its issuing department (the lead department where the licence names none).
 *
 * Payloads are thin and hold no personal data: the system reads the rest through the API. `next_attempt_at` and
 * `created_at` are the notification's own instant (the engine clock's commit time), so a delivery is due at once.
 */
export const WEBHOOK_DERIVATION_ARMS = `
webhook_events as (
  select d.id as source_id,
    case
      when d.template = 'task.opened' then 'task.opened'
      when d.template in ('task.overdue', 'case.overdue') or (d.template = 'warning.reached' and d.data->>'colour' = 'red') then 'task.overdue'
      when d.template in ('warning.reached', 'warning.reminder') then 'task.warned'
    end as event,
    d.department_code, d.case_id, d.data->>'taskId' as task_id, null::text as licence_number, null::text as outcome,
    d.data->>'clock' as clock, d.data->>'rung' as rung, d.data->>'colour' as colour, d.created_at
  from delivered d where d.audience = 'department'
  union all
  select d.case_id, 'case.decided', c.lead_department, d.case_id, null, null, c.status, null, null, null, d.created_at
  from delivered d join cases c on c.id = d.case_id
  where d.audience = 'applicant' and c.status in ('approved', 'refused')
    and (d.template = any('{${DECISION_TEMPLATES.join(',')}}'::text[]) or d.created_at = c.completed_at)
  union all
  select l.id, 'licence.issued', coalesce(l.issuing_department, c.lead_department), d.case_id, null, l.number, null, null, null, null, d.created_at
  from delivered d join cases c on c.id = d.case_id join licences l on l.case_id = d.case_id
  where d.audience = 'applicant' and d.template = 'licence.issued'
),
webhook_rows as (
  select gen_random_uuid() as id, s.id as subscription_id, e.*, c.number as case_number
  from webhook_events e
  join cases c on c.id = e.case_id
  join webhook_subscriptions s on s.department_code = e.department_code and s.active and e.event = any(s.events)
  where e.event is not null
),
webhooks_made as (
  insert into webhook_deliveries (id, subscription_id, department_code, event, case_id, source_id, payload, status, attempts, next_attempt_at, created_at)
  select w.id, w.subscription_id, w.department_code, w.event, w.case_id, w.source_id,
    jsonb_strip_nulls(jsonb_build_object(
      'id', w.id, 'event', w.event, 'occurredAt', to_char(w.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'caseId', w.case_id, 'caseNumber', w.case_number, 'taskId', w.task_id, 'department', w.department_code,
      'licenceNumber', w.licence_number, 'outcome', w.outcome, 'clock', w.clock, 'rung', w.rung, 'colour', w.colour)),
    'pending', 0, w.created_at, w.created_at
  from webhook_rows w
  on conflict (subscription_id, source_id, event) do nothing
  returning id
),
webhooks_woken as (
  select pg_notify('${WEBHOOK_CHANNEL}', '') from (select 1 from webhooks_made limit 1) made
)`;
