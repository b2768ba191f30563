import type { CaseRef } from './case-command.js';
import type { UserId } from './ids.js';
import type { Substitution } from './substitution.js';
import type { CaseCopy } from './case-copy.js';
import type { CaseCommit, CaseCreation } from './case-effect.js';
import type { CaseRecord, TaskRecord, TimerRecord } from './case-record.js';
import type { CompiledDefinition } from './definitions/process-definition.js';
import type { ServiceItem } from './service-item.js';
import type { SupervisionNotice } from './supervision-notice.js';
import type { WorkingCalendar } from './time/working-calendar.js';
import type { LicenceType } from './licences/electronic-licence.js';

/** A case as a command sees it: locked for the length of the command's transaction. */
export interface LockedCase {
  readonly case: CaseRecord;
  /** Open and claimed tasks of the case. */
  readonly openTasks: readonly TaskRecord[];
  /** The task the command names, whatever its status, when the command names one. */
  readonly task: TaskRecord | null;
  /** The timer the command names, whatever its status, when the command names one. */
  readonly timer: TimerRecord | null;
  /** With a named timer: the case's other pending timers due no later than it (they fire with it). */
  readonly timersDueWith: readonly TimerRecord[];
  /** With a reference that asks for them (`{ caseId, pendingTimers: true }`): every pending timer of the case. */
  readonly pendingTimers: readonly TimerRecord[];
  /** With a reference to a supervision notice (`{ noticeId }`): the notice, whatever its status. */
  readonly notice?: SupervisionNotice | null;
  /** With a reference to a copy (`{ copyId }`): the copy, read or not. */
  readonly copy?: CaseCopy | null;
  /** With a reference that asks for them (`{ caseId, unreadCopies: true }`): the case's copies not yet read. */
  readonly unreadCopies?: readonly CaseCopy[];
  /** With a reference that asks for it (`caseFile: true`): the case's materials and supplement requests. */
  readonly caseFile?: CaseFile;
}

/** What a case holds of the applicant's: every version of every material, and what was asked for (补正告知). */
export interface CaseFile {
  readonly materials: readonly FiledMaterial[];
  /** Oldest first. */
  readonly supplementRequests: readonly SupplementRequest[];
}

/** One version of a material, as filed. */
export interface FiledMaterial {
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly sha256: string;
  readonly submittedAt: Date;
}

/** A request for a supplement (补正告知): each material named with what is wrong with it. */
export interface SupplementRequest {
  readonly id: string;
  readonly taskId: string;
  readonly materials: readonly { readonly name: string; readonly reason: string }[];
  readonly requestedAt: Date;
  /** When a supplement answered it; null while awaited. */
  readonly answeredAt: Date | null;
}

/** What a decision returns: what to write (nothing when the command changes nothing) and the answer. */
export interface Decision<T> {
  readonly commit: CaseCommit | null;
  readonly result: T;
}

/**
 * What a decision may need to read besides its case, asked only on the paths that need it: a command's inside its
 * transaction (`update` hands it to `decide`), a case being started's before it is written.
 */
export interface CaseReads {
  /** The substitution windows (代理) holding at `at` for these absent people, with their substitutes as they are now. */
  substitutionsAt(absentIds: readonly UserId[], at: Date): Promise<readonly Substitution[]>;
}

/**
 * The engine's storage port. `db/` implements it on PostgreSQL.
 */
export interface CaseStore extends CaseReads {
  /** Writes a new case and everything its start opens, in one transaction. */
  create(creation: CaseCreation): Promise<void>;
  /**
   * One transaction: find and lock the case `ref` points at (`null` when there is none), let `decide`
   * compute what changes (from cached, immutable catalog data only) and write it all before committing. When `decide` throws,
   * nothing is written.
   */
  update<T>(ref: CaseRef, decide: (locked: LockedCase | null, reads: CaseReads) => Decision<T> | Promise<Decision<T>>): Promise<T>;
}

/** Published, immutable things the engine reads: service items, definitions, calendars. */
export interface Catalog {
  /** A service item: the version in force, or with `version`, that published version (the one a case pins). */
  serviceItem(code: string, version?: number): Promise<ServiceItem>;
  /** A published definition; the latest version when `version` is omitted. */
  definition(key: string, version?: number): Promise<CompiledDefinition>;
  calendar(code: string): Promise<WorkingCalendar>;
  /** The licence types (证照类型) by code: how long a licence of each is valid. */
  licenceTypes(): Promise<ReadonlyMap<string, LicenceType>>;
}
