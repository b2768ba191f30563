import type { CaseId, DepartmentCode, TaskId, TimerId, UserId } from './ids.js';
import type { OpinionVisibility } from './case-command.js';
import type { TaskKind, TaskOutcome } from './definitions/case-machine.js';
import type { CountingRule } from './time/counting-rule.js';
import type { DeadlineDerivation } from './time/deadline.js';
import type { LegalClock } from './time/legal-clock.js';
import type { WarningColour } from './time/ladder.js';

/**
 * `withdrawn`: the applicant withdrew the application (撤件) through the window, with a reason. `suspended`: 中止,
 * the case waits (its clocks paused, every command on it refused) until resumed. `terminated`: 终止, ended without
 * a decision on a legal ground (the applicant died or was dissolved, the matter fell away).
 */
export const CASE_STATUSES = ['running', 'suspended', 'approved', 'refused', 'withdrawn', 'terminated'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
/** A case still to be decided: running, or suspended until it resumes. */
export type OpenCaseStatus = 'running' | 'suspended';
export const isOpenCase = (status: string): status is OpenCaseStatus => status === 'running' || status === 'suspended';

/** 委派: where a delegated task stands — with the delegate, or returned to its holder for confirmation. */
export type DelegationState = 'pending' | 'resolved';

/** What a delegate returns to the holder (委派 resolved): the outcome and opinion they propose. */
export interface DelegationProposal {
  readonly outcome: TaskOutcome;
  readonly opinion: { readonly text: string; readonly visibility: OpinionVisibility };
  readonly by: UserId;
  readonly at: string;
}

/** `withdrawn`: completed, then taken back by who completed it (撤回); the task reopened as a new one. */
export const TASK_STATUSES = ['open', 'claimed', 'completed', 'cancelled', 'withdrawn'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** A task's or a case's colour (`ladder.ts`). */
export type WarningLevel = WarningColour;

/**
 * The kinds of identity document an applicant is known by: 居民身份证 (`resident-id`, the default), 统一社会信用代码
 * (`uscc`, an organisation), 护照 (`passport`), 港澳居民来往内地通行证 (`hk-macao-permit`), 台湾居民来往大陆通行证
 * (`taiwan-permit`). A licence's holder is its applicant's ID type and number: what reuse looks licences up by.
 */
export const ID_TYPES = ['resident-id', 'uscc', 'passport', 'hk-macao-permit', 'taiwan-permit'] as const;
export type IdType = (typeof ID_TYPES)[number];
export const DEFAULT_ID_TYPE: IdType = 'resident-id';

/** Applicant data: personal data, masked for roles that do not need it. */
export interface Applicant {
  readonly name: string;
  /** `resident-id` when not given (applications taken before ID types were kept). */
  readonly idType?: IdType | undefined;
  readonly idNumber: string;
  readonly phone?: string | undefined;
}

/** A case (办件) as the engine reads it, locked, inside a command's transaction. */
export interface CaseRecord {
  readonly id: CaseId;
  readonly serviceItemCode: string;
  /** The catalogue version of its service item it started under (its legal basis and limits). */
  readonly serviceItemVersion: number;
  readonly definitionKey: string;
  readonly definitionVersion: number;
  readonly leadDepartment: DepartmentCode;
  readonly intakeDepartment: DepartmentCode;
  readonly status: CaseStatus;
  readonly stateLabel: string;
  readonly applicant: Applicant;
  /** Persisted XState snapshot (JSON), restored with `machine.resolveState`. */
  readonly snapshot: unknown;
  readonly version: number;
  readonly auditSeq: number;
  /** Hash of the last audit event: the head of the case's chain, kept here to save a read per command. */
  readonly auditHead: string;
  readonly calendarCode: string;
  /** The service item's counting rule when the case started: every deadline of the case counts by it. */
  readonly countingRule: CountingRule;
  readonly dueAt: Date;
  /** How `dueAt` was counted; null for a case started before derivations were kept. */
  readonly dueDerivation: DeadlineDerivation | null;
  /** The case's legal clocks (`legal`, `committed`), pinned at its start; empty for a case started before clocks were kept. */
  readonly clocks: readonly LegalClock[];
}

export interface TaskRecord {
  readonly id: TaskId;
  readonly caseId: CaseId;
  readonly key: string;
  readonly kind: TaskKind;
  readonly title: string;
  readonly departmentCode: DepartmentCode;
  readonly status: TaskStatus;
  readonly assigneeId: UserId | null;
  /** The person the task is for (a countersign's named signer): nobody else claims or releases it. */
  readonly signerId: UserId | null;
  readonly outcome: TaskOutcome | null;
  readonly openedAt: Date;
  readonly dueAt: Date;
  /** How `dueAt` was counted; null for a task opened before derivations were kept. */
  readonly dueDerivation: DeadlineDerivation | null;
  readonly completedAt: Date | null;
  /** Who completed it (a user id, or `system` for a deemed outcome); null while open. */
  readonly completedBy: string | null;
  /** The tasks its completion opened (empty for a task completed before they were kept). */
  readonly openedTasks: readonly TaskId[];
  /** 委派: who delegated it (the holder, who confirms); null when not delegated. */
  readonly delegatedBy: UserId | null;
  readonly delegation: DelegationState | null;
  /** The delegate's proposal, once the delegation is resolved. */
  readonly delegationProposal: DelegationProposal | null;
  /** The absent person a substitute (代理人) holds it for; null when held in one's own right. */
  readonly substitutedFor: UserId | null;
}

export const TIMER_KINDS = ['machine.delay', 'task.deadline', 'case.deadline', 'clock.deadline', 'clock.rung', 'period'] as const;
export type TimerKind = (typeof TIMER_KINDS)[number];
/** `failed`: its firing failed on every attempt; an incident waits for an administrator's retry. */
export type TimerStatus = 'pending' | 'fired' | 'cancelled' | 'failed';

/** How a timer's incident was resolved: an administrator retried its timer, or its case closed (resolved by `system`). */
export const INCIDENT_RESOLUTIONS = ['retried', 'case-closed'] as const;
export type IncidentResolution = (typeof INCIDENT_RESOLUTIONS)[number];

/** A durable timer: PostgreSQL holds it; Redis only delivers it. */
export interface TimerRecord {
  readonly id: TimerId;
  readonly caseId: CaseId;
  readonly kind: TimerKind;
  readonly taskId: TaskId | null;
  /** The event sent into the case when it fires. */
  readonly event: { readonly type: string; readonly [key: string]: unknown };
  /** XState's id of a delayed event, so `xstate.cancel` can find it. */
  readonly sendId: string | null;
  readonly dueAt: Date;
  /**
   * How `dueAt` was counted in working days (task and case deadlines, periods); null for a machine delay
   * (milliseconds) and for a timer scheduled before derivations were kept.
   */
  readonly dueDerivation: DeadlineDerivation | null;
  readonly status: TimerStatus;
}
