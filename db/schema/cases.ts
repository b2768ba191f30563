import { sql } from 'drizzle-orm';
import { type AnyPgColumn, bigint, check, index, integer, jsonb, pgSequence, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { OpinionVisibility } from '../../engine/case-command.js';
import type { Applicant, DelegationProposal } from '../../engine/case-record.js';
import { DEFAULT_COUNTING_RULE, type CountingRule } from '../../engine/time/counting-rule.js';
import type { DeadlineDerivation } from '../../engine/time/deadline.js';
import type { LegalClock } from '../../engine/time/legal-clock.js';
import { casePartKey } from './case-part-key.js';

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * How a due date was counted (`DeadlineDerivation`); null on rows written before derivations were kept, which
 * the API shows as such and the recompute walk leaves alone.
 */
export const dueDerivation = () => jsonb('due_derivation').$type<DeadlineDerivation>();

/**
 * The calendar data version a row's due date was counted on, as the recompute walk's indexes hold it:
 * `(due_derivation->>'calendarVersion')`.
 */
export const dueVersion = (derivation: AnyPgColumn) => sql`(${derivation}->>'calendarVersion')`;

/**
 * The rows of the supervisors' lists (`db/supervision-queries.ts` says them the same way, as literals, so that
 * its prepared statements match these partial indexes).
 */
const AT_RISK_CASE = sql`status = 'running' and warning_level in ('yellow', 'red')`;
const AT_RISK_TASK = sql`status in ('open', 'claimed') and warning_level in ('yellow', 'red')`;

/**
 * The sequence behind case numbers (受理编号): a trigger of migration 0022 numbers each case as it is inserted,
 * `<year of intake, Beijing time>-<sequence, 6 digits or more>` (`2026-000123`). Unique and increasing, not
 * gapless: a start whose commit fails has used its number.
 */
export const caseNumbers = pgSequence('case_numbers');

/**
 * Cases (办件). `version` and the audit chain head change with every command, under a row lock.
 *
 * The tables of a case's parts (tasks, opinions, materials, licences, timers, notifications, audit events)
 * carry `case_id` without a foreign key: only the commit statement writes them, for the case it has just
 * locked and written in the same statement (`db/commit-statement.ts`), so a check could never fail, and the
 * per-row checks cost about 1.6 ms of PostgreSQL per task-opening command (bench/RESULTS.md). Cases are
 * never deleted.
 */
export const cases = pgTable(
  'cases',
  {
    id: uuid('id').primaryKey(),
    /** The case number (受理编号) people read and say on the phone, given by the database at insert (`caseNumbers`). */
    number: text('number').notNull(),
    serviceItemCode: text('service_item_code').notNull(),
    /** The catalogue version of its service item it started under: its legal basis and limits (`service_item_versions`). */
    serviceItemVersion: integer('service_item_version').notNull(),
    definitionKey: text('definition_key').notNull(),
    definitionVersion: integer('definition_version').notNull(),
    leadDepartment: text('lead_department').notNull(),
    intakeDepartment: text('intake_department').notNull(),
    applicant: jsonb('applicant').$type<Applicant>().notNull(),
    status: text('status').notNull(),
    stateLabel: text('state_label').notNull(),
    snapshot: jsonb('snapshot').notNull(),
    version: integer('version').notNull(),
    auditSeq: integer('audit_seq').notNull(),
    auditHead: text('audit_head').notNull(),
    calendarCode: text('calendar_code').notNull(),
    /** The service item's counting rule when the case started (existing cases: the default rule from now on). */
    countingRule: jsonb('counting_rule').$type<CountingRule>().notNull().default(DEFAULT_COUNTING_RULE),
    dueAt: instant('due_at').notNull(),
    dueDerivation: dueDerivation(),
    /** The case's clocks (`LegalClock` ledgers: `legal`, `committed`, `task:<key>`…); null for a case started before clocks were kept. */
    clocks: jsonb('clocks').$type<LegalClock[]>(),
    /** The worst colour of its clocks still counting (green, yellow, red): the supervisors' light per case. */
    warningLevel: text('warning_level').notNull().default('green'),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
    completedAt: instant('completed_at'),
    /**
     * The applicant's query code (查询码) for the public progress query, as a salted scrypt hash
     * (`scrypt:<N>:<r>:<p>:<salt hex>:<hash hex>`, `api/query-code.ts`); the code itself is shown once, at intake (or
     * when the window issues a new one). Null for cases started before codes were given.
     */
    queryCodeHash: text('query_code_hash'),
  },
  (t) => [
    // Not unique: a sharded PostgreSQL could not enforce it without the case's id in it (distribution.ts). Numbers are
    // unique by construction: only the trigger of migration 0022 gives them, each from its own value of the sequence
    // `case_numbers`, and no command changes one. This index finds a case by its number.
    index('cases_number_idx').on(t.number),
    index('cases_lead_department_idx').on(t.leadDepartment, t.createdAt),
    index('cases_intake_department_idx').on(t.intakeDepartment, t.createdAt),
    // The inbox's search by applicant name (its start): searching personal data is audited (security log). The views of
    // open tasks search the cases still to be decided only (an open task's case is running or suspended): fewer
    // applicants to read for the same start.
    index('cases_applicant_name_idx').using('btree', sql`(${t.applicant}->>'name') text_pattern_ops`),
    index('cases_open_applicant_name_idx').using('btree', sql`(${t.applicant}->>'name') text_pattern_ops`).where(sql`${t.status} in ('running', 'suspended')`),
    // The supervisors' lists of running cases at risk or overdue (db/supervision-queries.ts): one colour's cases by
    // due time, all of them or a lead department's or a service item's. Only yellow and red rows are in them. The
    // filters' other columns come last (after the unique (due_at, id), so they order nothing): a capped total
    // reads the index alone, whichever of them a generic plan picks.
    index('cases_at_risk_idx').on(t.warningLevel, t.dueAt, t.id, t.leadDepartment, t.serviceItemCode).where(AT_RISK_CASE),
    index('cases_at_risk_lead_idx').on(t.leadDepartment, t.warningLevel, t.dueAt, t.id, t.serviceItemCode).where(AT_RISK_CASE),
    index('cases_at_risk_item_idx').on(t.serviceItemCode, t.warningLevel, t.dueAt, t.id, t.leadDepartment).where(AT_RISK_CASE),
    // A migration of running cases (db/definition-migration-queries.ts): the open cases of one definition version.
    index('cases_open_definition_idx').on(t.definitionKey, t.definitionVersion, t.createdAt, t.id).where(sql`${t.status} in ('running', 'suspended')`),
    // The recompute walk: running cases by the calendar data their deadline was counted on (db/deadline-recompute-queries.ts).
    index('cases_running_due_version_idx').on(dueVersion(t.dueDerivation), t.id).where(sql`${t.status} = 'running' and ${t.dueDerivation} is not null`),
  ],
);

/** Tasks (环节任务): one department's work inside a case. */
export const tasks = pgTable(
  'tasks',
  {
    id: uuid('id').notNull(),
    caseId: uuid('case_id').notNull(),
    key: text('key').notNull(),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    departmentCode: text('department_code').notNull(),
    /** Its case's service item, for the supervisors' lists; null on tasks closed before it was kept (migration 0018). */
    serviceItemCode: text('service_item_code'),
    status: text('status').notNull(),
    assigneeId: text('assignee_id'),
    outcome: text('outcome'),
    warningLevel: text('warning_level').notNull().default('green'),
    openedAt: instant('opened_at').notNull(),
    dueAt: instant('due_at').notNull(),
    dueDerivation: dueDerivation(),
    completedAt: instant('completed_at'),
    completedBy: text('completed_by'),
    /** The working days its clock consumed when it was completed (pauses left out): supervision's time per step. */
    workingDays: integer('working_days'),
    /** The person a countersign task is for (its named signer): opened claimed by them. */
    signerId: text('signer_id'),
    /**
     * The tasks its completion opened: a withdrawal (撤回) is allowed while they are all untouched. Null when it
     * opened none (and on every open task): a null costs a row nothing, which keeps the inbox's plans as they were.
     */
    openedTaskIds: uuid('opened_task_ids').array(),
    /**
     * 委派: who delegated the task (its holder, who confirms what the delegate proposes); null when not delegated.
     * With `delegation`: `pending` while the delegate holds it, `resolved` once returned for confirmation.
     */
    delegatedBy: text('delegated_by'),
    delegation: text('delegation').$type<'pending' | 'resolved'>(),
    /** What the delegate proposes when returning it: an outcome and an opinion, for the holder to confirm. */
    delegationProposal: jsonb('delegation_proposal').$type<DelegationProposal>(),
    /** The absent person whose task a substitute (代理人) holds: the task was opened for, or taken over from, them. */
    substitutedFor: text('substituted_for'),
  },
  (t) => [
    casePartKey(t),
    // A case's tasks, and participation (does a department take part in this case?) as an index-only probe.
    index('tasks_case_department_idx').on(t.caseId, t.departmentCode),
    // A department's inbox: its open tasks by due time.
    index('tasks_inbox_idx').on(t.departmentCode, t.dueAt).where(sql`${t.status} in ('open', 'claimed')`),
    // The same inbox by the time each task was received (db/task-queries.ts: sorted by received time).
    index('tasks_inbox_received_idx').on(t.departmentCode, t.openedAt).where(sql`${t.status} in ('open', 'claimed')`),
    index('tasks_done_idx').on(t.departmentCode, t.completedAt).where(sql`${t.status} = 'completed'`),
    // The supervisors' lists of open tasks at risk or overdue (db/supervision-queries.ts): one colour's by due
    // time, all of them or a department's or a service item's (the filters' other columns last, as for cases).
    // Only yellow and red rows are in them.
    index('tasks_at_risk_idx').on(t.warningLevel, t.dueAt, t.id, t.departmentCode, t.serviceItemCode).where(AT_RISK_TASK),
    index('tasks_at_risk_department_idx').on(t.departmentCode, t.warningLevel, t.dueAt, t.id, t.serviceItemCode).where(AT_RISK_TASK),
    index('tasks_at_risk_item_idx').on(t.serviceItemCode, t.warningLevel, t.dueAt, t.id, t.departmentCode).where(AT_RISK_TASK),
    // At most one open task per key in a case: a definition bug cannot open the same work twice.
    uniqueIndex('tasks_open_key_idx').on(t.caseId, t.key).where(sql`${t.status} in ('open', 'claimed')`),
    // The inbox's personal views (db/task-queries.ts): what I hold, by due time; what I completed, latest first;
    // what was delegated to me (委派), pending my proposal.
    index('tasks_claimed_by_idx').on(t.assigneeId, t.dueAt).where(sql`${t.status} = 'claimed'`),
    index('tasks_completed_by_idx').on(t.completedBy, t.completedAt).where(sql`${t.status} = 'completed'`),
    index('tasks_delegated_to_idx').on(t.assigneeId, t.dueAt).where(sql`${t.delegation} = 'pending' and ${t.status} = 'claimed'`),
    // The recompute walk: open tasks by the calendar data their deadline was counted on.
    index('tasks_open_due_version_idx')
      .on(dueVersion(t.dueDerivation), t.caseId)
      .where(sql`${t.status} in ('open', 'claimed') and ${t.dueDerivation} is not null`),
  ],
);

/** Opinions (审查意见): a department's decision and reasons on a task. */
export const opinions = pgTable(
  'opinions',
  {
    id: uuid('id').notNull(),
    caseId: uuid('case_id').notNull(),
    taskId: uuid('task_id').notNull(),
    departmentCode: text('department_code').notNull(),
    authorId: text('author_id').notNull(),
    outcome: text('outcome').notNull(),
    text: text('text').notNull(),
    visibility: text('visibility').$type<OpinionVisibility>().notNull(),
    createdAt: instant('created_at').notNull(),
  },
  (t) => [casePartKey(t), index('opinions_case_idx').on(t.caseId)],
);

/**
 * Materials (材料): submitted once, shared with every department of the case that needs them. A supplement
 * submits a material again as its next `version` (the earlier ones stay). Its bytes are an uploaded blob
 * (`blob_id`, `material_blobs`), or an electronic licence stands in for it (`licence_number`, reused at
 * intake); rows written before uploads were kept have neither (metadata only).
 */
export const materials = pgTable(
  'materials',
  {
    id: uuid('id').notNull(),
    caseId: uuid('case_id').notNull(),
    name: text('name').notNull(),
    version: integer('version').notNull().default(1),
    sha256: text('sha256').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    contentType: text('content_type'),
    blobId: uuid('blob_id'),
    licenceNumber: text('licence_number'),
    submittedBy: text('submitted_by').notNull(),
    submittedAt: instant('submitted_at').notNull(),
  },
  (t) => [casePartKey(t), index('materials_case_idx').on(t.caseId), uniqueIndex('materials_case_name_version_idx').on(t.caseId, t.name, t.version)],
);

/**
 * Electronic licences (电子证照) issued by a case: its holder (`holder_id_type`, `holder_id_number`), validity,
 * issuing department and signature (`signature` over the licence's canonical content, by the key `key_id` of
 * `signing_keys`; null on rows issued before licences were signed). Revocation (吊销/注销) is audited.
 */
export const licences = pgTable(
  'licences',
  {
    id: uuid('id').notNull(),
    caseId: uuid('case_id').notNull(),
    /** Unique: `licence_numbers` holds each number once, claimed by the command that issues it. */
    number: text('number').notNull(),
    licenceType: text('licence_type').notNull(),
    title: text('title').notNull(),
    holder: jsonb('holder').notNull(),
    holderIdType: text('holder_id_type'),
    holderIdNumber: text('holder_id_number'),
    issuingDepartment: text('issuing_department'),
    issuedAt: instant('issued_at').notNull(),
    validFrom: instant('valid_from'),
    validUntil: instant('valid_until'),
    algorithm: text('algorithm'),
    keyId: text('key_id'),
    signature: text('signature'),
    revokedAt: instant('revoked_at'),
    revokedBy: text('revoked_by'),
    revocationReason: text('revocation_reason'),
  },
  (t) => [
    casePartKey(t),
    index('licences_case_idx').on(t.caseId),
    // Verification and revocation find a licence by its number.
    index('licences_number_idx').on(t.number),
    index('licences_holder_idx').on(t.holderIdType, t.holderIdNumber, t.licenceType),
  ],
);

/**
 * Copies (抄送): a case shown read-only to a person or a department that does not handle it, with a read receipt
 * (已阅) the sender sees. Exactly one of `recipientUser` and `recipientDepartment`; a department's copy is read
 * once, by the first of its people who marks it.
 */
export const caseCopies = pgTable(
  'case_copies',
  {
    id: uuid('id').notNull(),
    caseId: uuid('case_id').notNull(),
    sentBy: text('sent_by').notNull(),
    sentByDepartment: text('sent_by_department').notNull(),
    recipientUser: text('recipient_user'),
    recipientDepartment: text('recipient_department'),
    note: text('note').notNull(),
    sentAt: instant('sent_at').notNull(),
    readAt: instant('read_at'),
    readBy: text('read_by'),
  },
  (t) => [
    casePartKey(t),
    index('case_copies_case_idx').on(t.caseId, t.sentAt),
    // The "copied to me" view: a person's copies and their department's, latest first.
    index('case_copies_user_idx').on(t.recipientUser, t.sentAt).where(sql`${t.recipientUser} is not null`),
    index('case_copies_department_idx').on(t.recipientDepartment, t.sentAt).where(sql`${t.recipientDepartment} is not null`),
    // The unread ones only, for the "copied to me" badge: what is left to read, not everything ever received.
    index('case_copies_unread_user_idx').on(t.recipientUser, t.sentAt).where(sql`${t.readAt} is null and ${t.recipientUser} is not null`),
    index('case_copies_unread_department_idx').on(t.recipientDepartment, t.sentAt).where(sql`${t.readAt} is null and ${t.recipientDepartment} is not null`),
    check('case_copies_one_recipient', sql`(${t.recipientUser} is null) <> (${t.recipientDepartment} is null)`),
  ],
);

/** Comments (批注): said on a case without acting on it, shown by the rules of opinions (`opinion-visibility.ts`). */
export const caseComments = pgTable(
  'case_comments',
  {
    id: uuid('id').notNull(),
    caseId: uuid('case_id').notNull(),
    authorId: text('author_id').notNull(),
    departmentCode: text('department_code').notNull(),
    text: text('text').notNull(),
    visibility: text('visibility').$type<OpinionVisibility>().notNull(),
    createdAt: instant('created_at').notNull(),
  },
  (t) => [casePartKey(t), index('case_comments_case_idx').on(t.caseId, t.createdAt)],
);
