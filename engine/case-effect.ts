import type { Applicant, CaseStatus, IdType, DelegationProposal, DelegationState, OpenCaseStatus, TaskRecord, TimerKind, WarningLevel } from './case-record.js';
import type { OpinionVisibility, MaterialInput } from './case-command.js';
import type { TaskKind, TaskOutcome } from './definitions/case-machine.js';
import type { CaseId, DepartmentCode, TaskId, TimerId, UserId } from './ids.js';
import type { AuditEvent } from './audit/audit-chain.js';
import type { CountingRule } from './time/counting-rule.js';
import type { DeadlineDerivation } from './time/deadline.js';
import type { LegalClock } from './time/legal-clock.js';
import type { NewSupervisionNotice } from './supervision-notice.js';
import type { NewCaseCopy } from './case-copy.js';

/**
 * What a command changes, as data. The engine plans effects; `db/` writes them in the command's
 * transaction and `workers/` deliver what leaves the database (timers, notifications) through the outbox.
 */
export type CaseEffect =
  | { readonly type: 'task.open'; readonly task: NewTask }
  | { readonly type: 'task.claim'; readonly taskId: TaskId; readonly assigneeId: UserId }
  /** The task is open again, claimed by nobody. */
  | { readonly type: 'task.release'; readonly taskId: TaskId }
  | {
      readonly type: 'task.complete';
      readonly taskId: TaskId;
      readonly outcome: TaskOutcome;
      readonly completedBy: UserId;
      readonly at: Date;
      /** The working days its clock consumed (supervision's average per step); null without a clock. */
      readonly workingDays: number | null;
      /** The tasks this completion opened: while all are untouched, the completion may be withdrawn (撤回). */
      readonly opened: readonly TaskId[];
    }
  /** 转办: a still-open task changes hands, keeping its id, due instant and clock; claimed by the person, or open in the department's inbox. */
  | { readonly type: 'task.transfer'; readonly taskId: TaskId; readonly departmentCode: DepartmentCode; readonly assigneeId: UserId | null }
  /** 接办: the absent person's claimed task, taken over by their substitute (代理人), who holds it for them. */
  | { readonly type: 'task.take-over'; readonly taskId: TaskId; readonly assigneeId: UserId; readonly substitutedFor: UserId }
  /**
   * 委派: a still-open task, claimed by `assigneeId`, and where its delegation stands — delegated (the delegate holds
   * it, `pending`), returned with a proposal (its holder again, `resolved`), or taken back (its holder, not delegated).
   */
  | {
      readonly type: 'task.delegation';
      readonly taskId: TaskId;
      readonly assigneeId: UserId;
      readonly delegatedBy: UserId | null;
      readonly delegation: DelegationState | null;
      readonly proposal: DelegationProposal | null;
    }
  /** A completion taken back (撤回): the task is `withdrawn`, its opinion kept in the history. */
  | { readonly type: 'task.withdraw'; readonly taskId: TaskId; readonly at: Date }
  | { readonly type: 'task.cancel'; readonly taskId: TaskId; readonly at: Date }
  | { readonly type: 'task.warn'; readonly taskId: TaskId; readonly level: WarningLevel }
  | { readonly type: 'opinion.record'; readonly opinion: NewOpinion }
  | { readonly type: 'material.add'; readonly material: NewMaterial }
  /** 补正告知: a return to the applicant names every material to supplement (一次性告知). */
  | { readonly type: 'supplement.request'; readonly request: NewSupplementRequest }
  /** The applicant's supplement answers the requests still awaited. */
  | { readonly type: 'supplement.answer'; readonly requestIds: readonly string[]; readonly at: Date }
  | { readonly type: 'timer.schedule'; readonly timer: NewTimer }
  | { readonly type: 'timer.cancel'; readonly match: { readonly sendId: string } | { readonly taskId: TaskId } }
  | { readonly type: 'timer.fired'; readonly timerId: TimerId; readonly at: Date }
  /** A pending timer delivered again: its case was suspended (中止), which fires nothing, and the reconciler's walk passed it by. */
  | { readonly type: 'timer.relay'; readonly timerId: TimerId }
  /** A failed timer is pending again (delivered at once: it is overdue) and its incident resolved. */
  | { readonly type: 'timer.rearm'; readonly timerId: TimerId; readonly incidentId: string; readonly by: UserId; readonly at: Date }
  | { readonly type: 'licence.issue'; readonly licence: NewLicence }
  | { readonly type: 'notification.send'; readonly notification: NewNotification }
  /** A deadline counted again on newer calendar data (`deadlines.recompute`): its due instant and derivation. */
  | ({ readonly type: 'task.reschedule'; readonly taskId: TaskId } & Rescheduled)
  /** As `task.reschedule`, for a pending timer; a timer due soon is relayed again. */
  | ({ readonly type: 'timer.reschedule'; readonly timerId: TimerId } & Rescheduled)
  /** As `task.reschedule`, for the case's own deadline (the case row). */
  | ({ readonly type: 'case.reschedule' } & Rescheduled)
  /** The case's clocks changed (started, paused, resumed, extended, stopped, a rung reached): their new value (the case row). */
  | { readonly type: 'case.clocks'; readonly clocks: readonly LegalClock[] }
  /** The case's colour: the worst of its clocks still counting (the case row). */
  | { readonly type: 'case.warn'; readonly level: WarningLevel }
  /** A supervision notice (督办) issued on the case, open until answered or closed. */
  | { readonly type: 'notice.issue'; readonly notice: NewSupervisionNotice }
  /** The holding department's response: the notice is answered. */
  | { readonly type: 'notice.respond'; readonly noticeId: string; readonly response: string; readonly respondedBy: UserId; readonly at: Date }
  /** A supervisor closed the notice without (waiting for) a response. */
  | { readonly type: 'notice.close'; readonly noticeId: string; readonly closedBy: UserId; readonly at: Date }
  /** 抄送: one copy of the case to one recipient. */
  | { readonly type: 'copy.send'; readonly copy: NewCaseCopy }
  /** 已阅: the copy is read, once (by its person, or anyone of its department). */
  | { readonly type: 'copy.read'; readonly copyId: string; readonly readBy: UserId; readonly at: Date }
  /** 批注: a comment said on the case without acting on it. */
  | { readonly type: 'comment.add'; readonly comment: NewComment }
  /** The case reached a final state: whatever is still open or pending is cancelled. */
  | { readonly type: 'case.close'; readonly status: Exclude<CaseStatus, OpenCaseStatus>; readonly at: Date };

/** A deadline's new due instant and how it was counted. */
export interface Rescheduled {
  readonly dueAt: Date;
  readonly dueDerivation: DeadlineDerivation;
}

export interface NewTask {
  readonly id: TaskId;
  readonly caseId: CaseId;
  readonly key: string;
  readonly kind: TaskKind;
  readonly title: string;
  readonly departmentCode: DepartmentCode;
  /** The person the task is for (a countersign's named signer): opened claimed by them; null: the department's. */
  readonly signerId: UserId | null;
  /** The signer's substitute (代理), their window holding as it opens: opened claimed by them instead, for the signer. */
  readonly substituteId: UserId | null;
  readonly openedAt: Date;
  readonly dueAt: Date;
  readonly dueDerivation: DeadlineDerivation;
}

export interface NewOpinion {
  readonly id: string;
  readonly caseId: CaseId;
  readonly taskId: TaskId;
  readonly departmentCode: DepartmentCode;
  readonly authorId: UserId;
  readonly outcome: TaskOutcome;
  readonly text: string;
  readonly visibility: OpinionVisibility;
  readonly at: Date;
}

/** A comment (批注): read by the rules of opinions (`opinion-visibility.ts`), its visibility as theirs. */
export interface NewComment {
  readonly id: string;
  readonly caseId: CaseId;
  readonly authorId: UserId;
  readonly departmentCode: DepartmentCode;
  readonly text: string;
  readonly visibility: OpinionVisibility;
  readonly at: Date;
}

export interface NewMaterial extends MaterialInput {
  readonly id: string;
  readonly caseId: CaseId;
  /** 1 at intake; a supplement's material of the same name is its next version. */
  readonly version: number;
  readonly submittedBy: UserId;
  readonly at: Date;
}

/** A supplement request (`supplement_requests`), awaited until a supplement answers it. */
export interface NewSupplementRequest {
  readonly id: string;
  readonly caseId: CaseId;
  /** The task whose return made it. */
  readonly taskId: TaskId;
  readonly materials: readonly { readonly name: string; readonly reason: string }[];
  readonly requestedBy: UserId;
  readonly requestedAt: Date;
}

export interface NewTimer {
  readonly id: TimerId;
  readonly caseId: CaseId;
  readonly kind: TimerKind;
  readonly taskId: TaskId | null;
  readonly event: { readonly type: string; readonly [key: string]: unknown };
  readonly sendId: string | null;
  readonly dueAt: Date;
  /** Null for a machine delay: milliseconds, not working days. */
  readonly dueDerivation: DeadlineDerivation | null;
}

/**
 * An electronic licence (电子证照) issued, complete: its holder (the applicant, by ID type and number), issuing
 * department (the lead), validity (its type's `valid_years`) and the signature over its canonical content
 * (`engine/licences/electronic-licence.ts`); no signature when the engine was given no signer (a simulation).
 */
export interface NewLicence {
  readonly id: string;
  readonly caseId: CaseId;
  readonly number: string;
  readonly licenceType: string;
  readonly title: string;
  readonly holder: Applicant;
  readonly holderIdType: IdType;
  readonly holderIdNumber: string;
  readonly issuingDepartment: DepartmentCode;
  readonly issuedAt: Date;
  readonly validFrom: Date;
  readonly validUntil: Date | null;
  readonly algorithm: string | null;
  readonly keyId: string | null;
  readonly signature: string | null;
}

export interface NewNotification {
  readonly id: string;
  readonly caseId: CaseId;
  /** A department's inbox, the supervisors' (电子监察), or the applicant. */
  readonly audience: { readonly departmentCode: DepartmentCode } | { readonly supervisors: true } | { readonly applicant: true };
  readonly template: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** The case row after the command. */
export interface CaseUpdate {
  readonly snapshot: unknown;
  /** The machine's state value flattened for queries, e.g. `jointReview`. */
  readonly stateLabel: string;
  readonly status: CaseStatus;
  readonly version: number;
  readonly auditSeq: number;
  readonly auditHead: string;
  readonly updatedAt: Date;
  /** The definition version the case runs on from now: set only by a migration (`case.migrated`); absent, it stays. */
  readonly definitionVersion?: number;
}

/**
 * The answer to a request sent with an idempotency key, stored in the command's own transaction so a
 * retried request is answered from it and never runs the command twice.
 */
export interface IdempotentAnswer {
  readonly principal: string;
  readonly key: string;
  readonly requestHash: string;
  readonly status: number;
  readonly response: unknown;
}

/** Everything one command writes, in one transaction. */
export interface CaseCommit {
  readonly caseId: CaseId;
  /** Version read under the lock; the write checks it once more. */
  readonly expectedVersion: number;
  readonly next: CaseUpdate;
  readonly effects: readonly CaseEffect[];
  /** One event per thing that happened, chained in order: usually one; several timers fired together. */
  readonly audits: readonly AuditEvent[];
  readonly answer?: IdempotentAnswer;
}

/** A new case and everything its start opens. */
export interface CaseCreation {
  readonly case: NewCase;
  readonly effects: readonly CaseEffect[];
  readonly audit: AuditEvent;
  readonly answer?: IdempotentAnswer;
}

export interface NewCase extends CaseUpdate {
  readonly id: CaseId;
  readonly serviceItemCode: string;
  readonly serviceItemVersion: number;
  readonly definitionKey: string;
  readonly definitionVersion: number;
  readonly leadDepartment: DepartmentCode;
  readonly intakeDepartment: DepartmentCode;
  readonly applicant: Applicant;
  readonly calendarCode: string;
  readonly countingRule: CountingRule;
  readonly createdAt: Date;
  readonly dueAt: Date;
  readonly dueDerivation: DeadlineDerivation;
  /** The case's clocks (`legal`, `committed`), started with it. */
  readonly clocks: readonly LegalClock[];
  /** The salted hash of the applicant's query code (进度查询), never the code; null for a case started without one. */
  readonly queryCodeHash: string | null;
}

/** A task as its opening writes it: open, or claimed by its named signer (or by their substitute, for them). */
export function openedTask({ substituteId, ...task }: NewTask): TaskRecord {
  return {
    ...task,
    status: task.signerId ? 'claimed' : 'open',
    assigneeId: substituteId ?? task.signerId,
    outcome: null,
    completedAt: null,
    completedBy: null,
    openedTasks: [],
    delegatedBy: null,
    delegation: null,
    delegationProposal: null,
    substitutedFor: substituteId === null ? null : task.signerId,
  };
}

/** The ids of the tasks among `effects` that open: what a completion records as the tasks it opened. */
export const openedIds = (effects: readonly CaseEffect[]): TaskId[] => effects.flatMap((e) => (e.type === 'task.open' ? [e.task.id] : []));
