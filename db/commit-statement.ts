import { SCHEDULING_HORIZON_MS } from './delivery-queries.js';

/**
 * Timers due within this are relayed at commit (an outbox row each); later ones reach BullMQ through the
 * reconciler as they come within its horizon. Twice the horizon, so that a timer committed while the
 * reconciler's walk passes its due instant is taken by one or the other (see SCHEDULING_HORIZON_MS).
 */
const RELAY_AT_COMMIT_MS = 2 * SCHEDULING_HORIZON_MS;

/**
 * The ids of a payload list as an array, for `row.id = any(…)`: an InitPlan the primary key can be scanned
 * with. Joined with `jsonb_to_recordset` alone, a generic plan (which guesses 100 rows for it) hashes the
 * list and scans every open task or pending timer of the whole system through a partial index (seen in
 * EXPLAIN ANALYZE: 3,300 open tasks read to complete one; tasks_warned even read the whole table).
 */
const ids = (list: string) => `array(select x."id" from jsonb_to_recordset($1::jsonb->'${list}') as x("id" uuid))`;

/**
 * "Open" and "pending" said as what they are not: written as `status in ('open', 'claimed')` the condition
 * matches the partial indexes of every open task (`tasks_inbox_idx`) or pending timer, and the planner ANDs
 * that whole index into the primary-key lookup (EXPLAIN ANALYZE: 3,300 entries read to complete one task).
 */
const STILL_OPEN = `t.status not in ('completed', 'cancelled')`;
const STILL_PENDING = `tm.status not in ('fired', 'cancelled')`;

/**
 * The single statement that writes everything one command changes (PERFORMANCE.md: one multi-table CTE
 * instead of a statement per table). `$1` is the `CommitPayload` as jsonb; every arm reads its rows from it
 * with `jsonb_to_recordset`, so arms with nothing to do cost next to nothing.
 *
 * Data-modifying CTEs all see the snapshot from before the statement, so arms never touch the same row
 * twice: closing the case cancels the open tasks and pending timers except the ones this command completes
 * or fires. The final SELECT asserts that the commit applied as decided
 * (`tongban_assert`, SQLSTATE TB409): if not, the statement fails and nothing is written.
 * The relay is woken with NOTIFY; it also polls, so a lost notification only delays delivery.
 * Outbox rows are written for timers due soon only (`RELAY_AT_COMMIT_MS`), scheduled or re-armed (a re-armed
 * timer is overdue: relayed at once); notifications need none: their table is their own outbox.
 */
const effectArms = (caseId: string) => `
tasks_opened as (
  insert into tasks (id, case_id, key, kind, title, department_code, status, opened_at, due_at)
  select x."id", x."caseId", x."key", x."kind", x."title", x."departmentCode", 'open', x."openedAt", x."dueAt"
  from jsonb_to_recordset($1::jsonb->'tasksOpened') as x("id" uuid, "caseId" uuid, "key" text, "kind" text, "title" text,
    "departmentCode" text, "openedAt" timestamptz, "dueAt" timestamptz)
),
tasks_claimed as (
  update tasks t set status = 'claimed', assignee_id = x."assigneeId"
  from jsonb_to_recordset($1::jsonb->'tasksClaimed') as x("id" uuid, "assigneeId" text)
  where t.id = x."id" and t.id = any(${ids('tasksClaimed')}) and ${STILL_OPEN}
  returning t.id
),
tasks_released as (
  update tasks t set status = 'open', assignee_id = null
  where t.id = any(${ids('tasksReleased')}) and ${STILL_OPEN}
),
tasks_completed as (
  update tasks t set status = 'completed', outcome = x."outcome", completed_at = x."at", completed_by = x."completedBy",
    assignee_id = coalesce(t.assignee_id, x."completedBy")
  from jsonb_to_recordset($1::jsonb->'tasksCompleted') as x("id" uuid, "outcome" text, "completedBy" text, "at" timestamptz)
  where t.id = x."id" and t.id = any(${ids('tasksCompleted')}) and ${STILL_OPEN}
  returning t.id
),
tasks_warned as (
  -- A task this command also cancels takes its warning in tasks_cancelled: one arm per row.
  update tasks t set warning_level = x."level"
  from jsonb_to_recordset($1::jsonb->'tasksWarned') as x("id" uuid, "level" text)
  where t.id = x."id" and t.id = any(${ids('tasksWarned')}) and not ($1::jsonb->>'closing')::boolean
    and t.id not in (select value::uuid from jsonb_array_elements_text($1::jsonb->'tasksCancelled'))
  returning t.id
),
tasks_cancelled as (
  update tasks t set status = 'cancelled', completed_at = ($1::jsonb->'case'->>'updatedAt')::timestamptz,
    warning_level = coalesce((select w."level" from jsonb_to_recordset($1::jsonb->'tasksWarned') as w("id" uuid, "level" text)
      where w."id" = t.id), t.warning_level)
  where t.case_id = ${caseId} and t.status in ('open', 'claimed')
    and (t.id in (select value::uuid from jsonb_array_elements_text($1::jsonb->'tasksCancelled')) or ($1::jsonb->>'closing')::boolean)
    and t.id not in (select x."id" from jsonb_to_recordset($1::jsonb->'tasksCompleted') as x("id" uuid))
),
opinions_recorded as (
  insert into opinions (id, case_id, task_id, department_code, author_id, outcome, text, visibility, created_at)
  select x."id", x."caseId", x."taskId", x."departmentCode", x."authorId", x."outcome", x."text", x."visibility", x."at"
  from jsonb_to_recordset($1::jsonb->'opinions') as x("id" uuid, "caseId" uuid, "taskId" uuid, "departmentCode" text,
    "authorId" text, "outcome" text, "text" text, "visibility" text, "at" timestamptz)
),
materials_added as (
  insert into materials (id, case_id, name, sha256, size_bytes, submitted_by, submitted_at)
  select x."id", x."caseId", x."name", x."sha256", x."sizeBytes", x."submittedBy", x."at"
  from jsonb_to_recordset($1::jsonb->'materials') as x("id" uuid, "caseId" uuid, "name" text, "sha256" text, "sizeBytes" bigint,
    "submittedBy" text, "at" timestamptz)
),
licences_issued as (
  insert into licences (id, case_id, number, licence_type, title, holder, issued_at)
  select x."id", x."caseId", x."number", x."licenceType", x."title", x."holder", x."issuedAt"
  from jsonb_to_recordset($1::jsonb->'licences') as x("id" uuid, "caseId" uuid, "number" text, "licenceType" text, "title" text,
    "holder" jsonb, "issuedAt" timestamptz)
),
timers_scheduled as (
  insert into timers (id, case_id, kind, task_id, event, send_id, due_at, status)
  select x."id", x."caseId", x."kind", x."taskId", x."event", x."sendId", x."dueAt", 'pending'
  from jsonb_to_recordset($1::jsonb->'timersScheduled') as x("id" uuid, "caseId" uuid, "kind" text, "taskId" uuid, "event" jsonb,
    "sendId" text, "dueAt" timestamptz)
  returning id, due_at
),
timers_fired as (
  update timers tm set status = 'fired', fired_at = x."at"
  from jsonb_to_recordset($1::jsonb->'timersFired') as x("id" uuid, "at" timestamptz)
  where tm.id = x."id" and tm.id = any(${ids('timersFired')}) and ${STILL_PENDING}
  returning tm.id
),
timers_cancelled as (
  update timers tm set status = 'cancelled'
  where tm.case_id = ${caseId} and tm.status = 'pending'
    and (tm.task_id in (select value::uuid from jsonb_array_elements_text($1::jsonb->'timersCancelledByTask'))
      or tm.send_id in (select value from jsonb_array_elements_text($1::jsonb->'timersCancelledBySendId'))
      or ($1::jsonb->>'closing')::boolean)
    and tm.id not in (select x."id" from jsonb_to_recordset($1::jsonb->'timersFired') as x("id" uuid))
),
timers_rearmed as (
  update timers tm set status = 'pending'
  from jsonb_to_recordset($1::jsonb->'timersRearmed') as x("id" uuid)
  where tm.id = x."id" and tm.id = any(${ids('timersRearmed')}) and tm.status = 'failed'
  returning tm.id, tm.due_at
),
incidents_resolved as (
  update timer_incidents i set resolved_at = x."at", resolved_by = x."by"
  from jsonb_to_recordset($1::jsonb->'timersRearmed') as x("id" uuid, "incidentId" uuid, "by" text, "at" timestamptz)
  where i.case_id = ${caseId} and i.timer_id = x."id" and i.id = x."incidentId" and i.resolved_at is null
  returning i.id
),
notifications_added as (
  insert into notifications (id, case_id, department_code, audience, template, data, created_at)
  select x."id", x."caseId", x."departmentCode", x."audience", x."template", x."data", ($1::jsonb->'case'->>'updatedAt')::timestamptz
  from jsonb_to_recordset($1::jsonb->'notifications') as x("id" uuid, "caseId" uuid, "departmentCode" text, "audience" text,
    "template" text, "data" jsonb)
  returning id
),
audit_appended as (
  insert into audit_events (case_id, seq, type, actor_id, acting_for, occurred_at, data, prev_hash, hash)
  select x."caseId", x."seq", x."type", x."actorId", x."actingFor", x."occurredAt", x."data", x."prevHash", x."hash"
  from jsonb_to_recordset($1::jsonb->'audits') as x("caseId" uuid, "seq" integer, "type" text, "actorId" text, "actingFor" text,
    "occurredAt" timestamptz, "data" jsonb, "prevHash" text, "hash" text)
),
answer_kept as (
  insert into idempotency_keys (principal, key, request_hash, status, response)
  select x."principal", x."key", x."requestHash", x."status", x."response"
  from jsonb_to_recordset($1::jsonb->'answers') as x("principal" text, "key" text, "requestHash" text, "status" integer,
    "response" jsonb)
),
outbox_added as (
  insert into outbox (case_id, topic, payload)
  select ${caseId}, 'timer', jsonb_build_object('timerId', id, 'dueAt', due_at)
  from (select id, due_at from timers_scheduled union all select id, due_at from timers_rearmed) as relayed
  where due_at < ($1::jsonb->'case'->>'updatedAt')::timestamptz + interval '${RELAY_AT_COMMIT_MS} milliseconds'
  returning id
),
relay_woken as (
  select pg_notify('tongban_outbox', '') from (select 1 from outbox_added union all select 1 from notifications_added limit 1) as any_row
)
select
  tongban_assert((select count(*) from case_written) = 1, 'the case changed since it was read') as "caseWritten",
  tongban_assert((select count(*) from tasks_completed) = jsonb_array_length($1::jsonb->'tasksCompleted'),
    'a task was completed by someone else') as "tasksCompleted",
  tongban_assert((select count(*) from incidents_resolved) = jsonb_array_length($1::jsonb->'timersRearmed'),
    'the incident was resolved by someone else') as "incidentsResolved",
  (select count(*) from relay_woken)::int as "relayWoken"`;

const caseColumns = `snapshot = $1::jsonb->'case'->'snapshot', state_label = $1::jsonb->'case'->>'stateLabel', status = $1::jsonb->'case'->>'status',
    version = ($1::jsonb->'case'->>'version')::int, audit_seq = ($1::jsonb->'case'->>'auditSeq')::int, audit_head = $1::jsonb->'case'->>'auditHead',
    updated_at = ($1::jsonb->'case'->>'updatedAt')::timestamptz`;

/** `$1` payload, `$2` case id, `$3` the version read under the lock. */
export const UPDATE_CASE_SQL = `with
case_written as (
  update cases set ${caseColumns},
    completed_at = case when $1::jsonb->'case'->>'status' = 'running' then null else ($1::jsonb->'case'->>'updatedAt')::timestamptz end
  where id = $2::uuid and version = $3::int
  returning id
),
${effectArms('$2::uuid')}`;

/** `$1` payload whose `case` is a `NewCase`. */
export const CREATE_CASE_SQL = `with
case_written as (
  insert into cases (id, service_item_code, definition_key, definition_version, lead_department, intake_department, applicant,
    status, state_label, snapshot, version, audit_seq, audit_head, calendar_code, due_at, created_at, updated_at)
  select x."id", x."serviceItemCode", x."definitionKey", x."definitionVersion", x."leadDepartment", x."intakeDepartment",
    x."applicant", x."status", x."stateLabel", x."snapshot", x."version", x."auditSeq", x."auditHead", x."calendarCode",
    x."dueAt", x."createdAt", x."updatedAt"
  from jsonb_to_record($1::jsonb->'case') as x("id" uuid, "serviceItemCode" text, "definitionKey" text, "definitionVersion" integer,
    "leadDepartment" text, "intakeDepartment" text, "applicant" jsonb, "status" text, "stateLabel" text, "snapshot" jsonb,
    "version" integer, "auditSeq" integer, "auditHead" text, "calendarCode" text, "dueAt" timestamptz,
    "createdAt" timestamptz, "updatedAt" timestamptz)
  returning id
),
${effectArms(`($1::jsonb->'case'->>'id')::uuid`)}`;

/** SQLSTATE raised by `tongban_assert` when a commit would not apply as decided. */
export const COMMIT_REFUSED = 'TB409';
