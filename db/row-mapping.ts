import type { Applicant, CaseRecord, CaseStatus, DelegationProposal, DelegationState, TaskRecord, TaskStatus, TimerKind, TimerRecord, TimerStatus } from '../engine/case-record.js';
import type { TaskKind, TaskOutcome } from '../engine/definitions/case-machine.js';
import { caseId, departmentCode, taskId, timerId, userId } from '../engine/ids.js';
import type { CountingRule } from '../engine/time/counting-rule.js';
import type { DeadlineDerivation } from '../engine/time/deadline.js';
import type { LegalClock } from '../engine/time/legal-clock.js';
import type { NoticeStatus, SupervisionNotice } from '../engine/supervision-notice.js';
import type { CaseCopy } from '../engine/case-copy.js';
import type { CaseFile, SupplementRequest } from '../engine/case-store.js';
import { instant, optionalInstant } from './instants.js';

/** Maps rows of `cases`, `tasks` and `timers` (snake_case, as selected with `*`) to engine records. */
export type Row = Record<string, unknown>;

export function toCaseRecord(r: Row): CaseRecord {
  return {
    id: caseId(r['id'] as string),
    serviceItemCode: r['service_item_code'] as string,
    serviceItemVersion: r['service_item_version'] as number,
    definitionKey: r['definition_key'] as string,
    definitionVersion: r['definition_version'] as number,
    leadDepartment: departmentCode(r['lead_department'] as string),
    intakeDepartment: departmentCode(r['intake_department'] as string),
    status: r['status'] as CaseStatus,
    stateLabel: r['state_label'] as string,
    applicant: r['applicant'] as Applicant,
    snapshot: r['snapshot'],
    version: r['version'] as number,
    auditSeq: r['audit_seq'] as number,
    auditHead: r['audit_head'] as string,
    calendarCode: r['calendar_code'] as string,
    countingRule: r['counting_rule'] as CountingRule,
    dueAt: instant(r['due_at']),
    dueDerivation: derivationOf(r),
    clocks: (r['clocks'] as LegalClock[] | null | undefined) ?? [],
  };
}

export function toTaskRecord(r: Row): TaskRecord {
  return {
    id: taskId(r['id'] as string),
    caseId: caseId(r['case_id'] as string),
    key: r['key'] as string,
    kind: r['kind'] as TaskKind,
    title: r['title'] as string,
    departmentCode: departmentCode(r['department_code'] as string),
    status: r['status'] as TaskStatus,
    assigneeId: r['assignee_id'] === null ? null : userId(r['assignee_id'] as string),
    signerId: r['signer_id'] === null || r['signer_id'] === undefined ? null : userId(r['signer_id'] as string),
    outcome: (r['outcome'] as TaskOutcome | null) ?? null,
    openedAt: instant(r['opened_at']),
    dueAt: instant(r['due_at']),
    dueDerivation: derivationOf(r),
    completedAt: optionalInstant(r['completed_at']),
    completedBy: (r['completed_by'] as string | null | undefined) ?? null,
    openedTasks: ((r['opened_task_ids'] as string[] | null | undefined) ?? []).map(taskId),
    delegatedBy: optionalUser(r['delegated_by']),
    delegation: (r['delegation'] as DelegationState | null | undefined) ?? null,
    delegationProposal: (r['delegation_proposal'] as DelegationProposal | null | undefined) ?? null,
    substitutedFor: optionalUser(r['substituted_for']),
  };
}

export function toTimerRecord(r: Row): TimerRecord {
  return {
    id: timerId(r['id'] as string),
    caseId: caseId(r['case_id'] as string),
    kind: r['kind'] as TimerKind,
    taskId: r['task_id'] === null ? null : taskId(r['task_id'] as string),
    event: r['event'] as TimerRecord['event'],
    sendId: (r['send_id'] as string | null) ?? null,
    dueAt: instant(r['due_at']),
    dueDerivation: derivationOf(r),
    status: r['status'] as TimerStatus,
  };
}

export function toSupervisionNotice(r: Row): SupervisionNotice {
  const user = (column: string) => (r[column] === null || r[column] === undefined ? null : userId(r[column] as string));
  return {
    id: r['id'] as string,
    caseId: caseId(r['case_id'] as string),
    taskId: r['task_id'] === null ? null : taskId(r['task_id'] as string),
    departmentCode: departmentCode(r['department_code'] as string),
    message: r['message'] as string,
    issuedBy: userId(r['issued_by'] as string),
    issuedAt: instant(r['issued_at']),
    responseWorkingDays: r['response_working_days'] as number,
    dueAt: instant(r['due_at']),
    status: r['status'] as NoticeStatus,
    response: (r['response'] as string | null) ?? null,
    respondedBy: user('responded_by'),
    respondedAt: optionalInstant(r['responded_at']),
    closedBy: user('closed_by'),
    closedAt: optionalInstant(r['closed_at']),
  };
}

/**
 * What a list row (an inbox task, a copy) shows of its case, selected as `case_number`, `case_service_item`,
 * `service_item_name` (null for an item no longer in the catalogue: its code stands for it), `applicant`,
 * `intake_department` and `lead_department`.
 */
export function listedCase(r: Row) {
  return {
    caseNumber: r['case_number'] as string,
    serviceItem: { code: r['case_service_item'] as string, name: (r['service_item_name'] as string | null) ?? (r['case_service_item'] as string) },
    applicant: r['applicant'] as Applicant,
    intakeDepartment: r['intake_department'] as string,
    leadDepartment: r['lead_department'] as string,
  };
}

/** A row's `due_derivation`: null when written before derivations were kept (or a machine delay's). */
const derivationOf = (r: Row): DeadlineDerivation | null => (r['due_derivation'] as DeadlineDerivation | null | undefined) ?? null;

/** A user id column that may be null (or absent from the selection). */
const optionalUser = (value: unknown) => (value === null || value === undefined ? null : userId(value as string));

/** A `case_copies` row (抄送) as the engine reads it. */
export function toCaseCopy(r: Row): CaseCopy {
  return {
    id: r['id'] as string,
    caseId: caseId(r['case_id'] as string),
    sentBy: userId(r['sent_by'] as string),
    sentByDepartment: departmentCode(r['sent_by_department'] as string),
    recipientUser: optionalUser(r['recipient_user']),
    recipientDepartment: r['recipient_department'] === null || r['recipient_department'] === undefined ? null : departmentCode(r['recipient_department'] as string),
    note: r['note'] as string,
    sentAt: instant(r['sent_at']),
    readAt: optionalInstant(r['read_at']),
    readBy: optionalUser(r['read_by']),
  };
}

/** The case file's rows (`LOAD_CASE_FILE` of `pg-case-store.ts`): material versions and supplement requests, oldest request first. */
export function toCaseFile(rows: readonly Row[]): CaseFile {
  const requests: SupplementRequest[] = rows
    .filter((r) => r['kind'] === 'request')
    .map((r) => ({
      id: r['id'] as string,
      taskId: r['task_id'] as string,
      materials: r['materials'] as SupplementRequest['materials'],
      requestedAt: instant(r['at']),
      answeredAt: optionalInstant(r['answered_at']),
    }));
  return {
    materials: rows
      .filter((r) => r['kind'] === 'material')
      .map((r) => ({ id: r['id'] as string, name: r['name'] as string, version: Number(r['version']), sha256: r['sha256'] as string, submittedAt: instant(r['at']) })),
    supplementRequests: requests.sort((a, b) => a.requestedAt.getTime() - b.requestedAt.getTime()),
  };
}
