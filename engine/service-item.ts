import type { CountingRule } from './time/counting-rule.js';
import type { Ladder } from './time/ladder.js';
import type { ExtensionPolicy, PauseReasonKind } from './time/legal-clock.js';

/**
 * A catalogue entry (事项): what an applicant applies for, under which law, led by which department,
 * processed by which definition, within which time limits (working days).
 */
export interface ServiceItem {
  readonly code: string;
  readonly name: string;
  readonly legalBasis: string;
  readonly leadDepartment: string;
  /** Statutory limit (法定时限), working days. */
  readonly legalLimitDays: number;
  /** Limit the government commits to (承诺时限), working days; never above the legal one. */
  readonly committedLimitDays: number;
  readonly definitionKey: string;
  /** Code of the working calendar the limits are counted on. */
  readonly calendarCode: string;
  /**
   * When a receipt starts the count (cut-off time, `DEFAULT_COUNTING_RULE` unless the item's own regulation
   * says otherwise); a case pins the rule it started under.
   */
  readonly countingRule: CountingRule;
  /**
   * How far the case's clocks may be extended (延期, 行政许可法 art. 42): a joint case by 15 working days once
   * (¶2), a single department by 10 once (¶1, `SINGLE_DEPARTMENT_EXTENSION`), unless the item's own law says otherwise.
   */
  readonly extension: ExtensionPolicy;
  /**
   * The procedures whose time its limits do not count: what the law leaves out (`STATUTORY_UNCOUNTED`: the
   * supplement, art. 32; hearing, tender, testing, expert review, art. 45) and what the item's own law adds
   * (e.g. its public notice). The clocks pin it; a pause for anything else is refused.
   */
  readonly uncountedProcedures: readonly PauseReasonKind[];
  /** The warning ladder its clocks climb (`DEFAULT_LADDER` unless it says otherwise; a task may declare its own). */
  readonly ladder: Ladder;
}

/** Art. 42 ¶1: one department decides; its head may extend once by 10 working days. */
export const SINGLE_DEPARTMENT_EXTENSION: ExtensionPolicy = { maxWorkingDays: 10, maxTimes: 1 };
/** Art. 42 ¶2: unified, joint or centralised handling; the head of the government may extend once by 15 working days. */
export const JOINT_EXTENSION: ExtensionPolicy = { maxWorkingDays: 15, maxTimes: 1 };
