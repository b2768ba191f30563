import type { CountingRule } from './time/counting-rule.js';

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
}
