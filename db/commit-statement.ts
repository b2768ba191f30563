import { SCHEDULING_HORIZON_MS } from './delivery-queries.js';
import { CASE_CLOCKS_COLUMN, NEW_CASE_COLOUR, newCaseClocks } from './effects/case-clocks-writer.js';
import { RESCHEDULED_CASE_COLUMNS } from './effects/deadline-writers.js';
import { effectArms, effectChecks } from './effects/effect-writers.js';
import { OUTBOX_CHANNEL, OUTBOX_TOPICS } from './outbox-contract.js';

/**
 * Timers due within this are relayed at commit (an outbox row each); later ones reach BullMQ through the
 * reconciler as they come within its horizon. Twice the horizon, so that a timer committed while the
 * reconciler's walk passes its due instant is taken by one or the other (see SCHEDULING_HORIZON_MS).
 */
const RELAY_AT_COMMIT_MS = 2 * SCHEDULING_HORIZON_MS;

/**
 * The single statement that writes everything one command changes (PERFORMANCE.md: one multi-table CTE
 * instead of a statement per table). `$1` is the `CommitPayload` as jsonb; every arm reads its rows from it
 * with `jsonb_to_recordset`, so arms with nothing to do cost next to nothing. The arms that write effects, and
 * their checks, are their writers' (`effects/effect-writers.ts`), in the table's fixed order; the audit events,
 * the idempotent answer and the outbox are written here.
 *
 * Data-modifying CTEs all see the snapshot from before the statement, so arms never touch the same row
 * twice: closing the case cancels the open tasks and pending timers except the ones this command completes
 * or fires, and the failed timers, resolving their incidents (`effects/case-close-writer.ts`). The final SELECT asserts that the commit applied as decided
 * (`tongban_assert`, SQLSTATE TB409): if not, the statement fails and nothing is written.
 * The relay is woken with NOTIFY; it also polls, so a lost notification only delays delivery.
 * Outbox rows are written for timers due soon only (`RELAY_AT_COMMIT_MS`), scheduled, re-armed (a re-armed
 * timer is overdue: relayed at once), relayed again (held back by a suspension) or rescheduled (a deadline counted again may now fall due within the
 * reconciler's walk, which has passed it); notifications need none: their table is their own outbox. Each row
 * carries the request id of the command's request, when it came from one, so the workers' lines for it carry it too,
 * and, while tracing is on, the commit's span as a `traceparent`, so the workers' spans join the request's trace.
 */
const commitArms = (caseId: string) => `
${effectArms(caseId).join(',\n')},
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
  select ${caseId}, '${OUTBOX_TOPICS.timer}', jsonb_strip_nulls(jsonb_build_object('timerId', id, 'dueAt', due_at, 'requestId', $1::jsonb->>'requestId',
    'traceparent', $1::jsonb->>'traceparent'))
  from (select id, due_at from timers_scheduled union all select id, due_at from timers_rearmed
    union all select id, due_at from timers_rescheduled union all select id, due_at from timers_relayed) as relayed
  where due_at < ($1::jsonb->'case'->>'updatedAt')::timestamptz + interval '${RELAY_AT_COMMIT_MS} milliseconds'
  returning id
),
relay_woken as (
  select pg_notify('${OUTBOX_CHANNEL}', '') from (select 1 from outbox_added union all select 1 from notifications_added limit 1) as any_row
)
select
  tongban_assert((select count(*) from case_written) = 1, 'the case changed since it was read') as "caseWritten",
${effectChecks.map((c) => `  tongban_assert(${c.holds},\n    '${c.refusal}') as "${c.name}",\n`).join('')}  (select count(*) from relay_woken)::int as "relayWoken"`;

const caseColumns = `snapshot = $1::jsonb->'case'->'snapshot', state_label = $1::jsonb->'case'->>'stateLabel', status = $1::jsonb->'case'->>'status',
    version = ($1::jsonb->'case'->>'version')::int, audit_seq = ($1::jsonb->'case'->>'auditSeq')::int, audit_head = $1::jsonb->'case'->>'auditHead',
    updated_at = ($1::jsonb->'case'->>'updatedAt')::timestamptz,
    definition_version = coalesce(($1::jsonb->'case'->>'definitionVersion')::int, definition_version)`;

/** `$1` payload, `$2` case id, `$3` the version read under the lock. */
export const UPDATE_CASE_SQL = `with
case_written as (
  update cases set ${caseColumns}, ${RESCHEDULED_CASE_COLUMNS}, ${CASE_CLOCKS_COLUMN},
    completed_at = case when $1::jsonb->'case'->>'status' in ('running', 'suspended') then null else ($1::jsonb->'case'->>'updatedAt')::timestamptz end
  where id = $2::uuid and version = $3::int
  returning id
),
${commitArms('$2::uuid')}`;

/** `$1` payload whose `case` is a `NewCase`. */
export const CREATE_CASE_SQL = `with
case_written as (
  insert into cases (id, service_item_code, service_item_version, definition_key, definition_version, lead_department, intake_department, applicant,
    status, state_label, snapshot, version, audit_seq, audit_head, calendar_code, counting_rule, due_at, due_derivation, clocks, warning_level, query_code_hash, created_at, updated_at)
  select x."id", x."serviceItemCode", x."serviceItemVersion", x."definitionKey", x."definitionVersion", x."leadDepartment", x."intakeDepartment",
    x."applicant", x."status", x."stateLabel", x."snapshot", x."version", x."auditSeq", x."auditHead", x."calendarCode",
    x."countingRule", x."dueAt", x."dueDerivation", ${newCaseClocks('x."clocks"')}, ${NEW_CASE_COLOUR}, x."queryCodeHash", x."createdAt", x."updatedAt"
  from jsonb_to_record($1::jsonb->'case') as x("id" uuid, "serviceItemCode" text, "serviceItemVersion" integer, "definitionKey" text, "definitionVersion" integer,
    "leadDepartment" text, "intakeDepartment" text, "applicant" jsonb, "status" text, "stateLabel" text, "snapshot" jsonb,
    "version" integer, "auditSeq" integer, "auditHead" text, "calendarCode" text, "countingRule" jsonb, "dueAt" timestamptz,
    "dueDerivation" jsonb, "clocks" jsonb, "queryCodeHash" text, "createdAt" timestamptz, "updatedAt" timestamptz)
  returning id
),
${commitArms(`($1::jsonb->'case'->>'id')::uuid`)}`;

/** SQLSTATE raised by `tongban_assert` when a commit would not apply as decided. */
export const COMMIT_REFUSED = 'TB409';
