import type { CountingRule } from './time/counting-rule.js';
import type { Ladder } from './time/ladder.js';
import type { ExtensionPolicy, PauseReasonKind } from './time/legal-clock.js';

/**
 * The kinds of service item of the national catalogue (事项类型): 行政许可, 行政确认, 行政给付, 行政裁决, 其他行政权力,
 * 公共服务.
 */
export const SERVICE_ITEM_TYPES = [
  'administrative-licence',
  'administrative-confirmation',
  'administrative-payment',
  'administrative-ruling',
  'other-administrative-power',
  'public-service',
] as const;
export type ServiceItemType = (typeof SERVICE_ITEM_TYPES)[number];

/** How a required material is handed in (电子 / 纸质 / either). */
export const MATERIAL_FORMS = ['electronic', 'paper', 'either'] as const;
export type MaterialForm = (typeof MATERIAL_FORMS)[number];

/** A material the applicant must hand in (申请材料), as the catalogue lists it. */
export interface RequiredMaterial {
  readonly name: string;
  readonly form: MaterialForm;
  /** Originals to show (原件) and copies to hand in (复印件). */
  readonly originals: number;
  readonly copies: number;
  /** The electronic licence type (电子证照) that may stand in for it; null when none can. */
  readonly licenceType: string | null;
}

/**
 * A catalogue entry (事项): what an applicant applies for, under which law, led by which department,
 * processed by which definition, within which time limits (working days). Versioned: a change is a new
 * version, and a case pins the version it started under (`CaseRecord.serviceItemVersion`) — its legal basis,
 * limits, calendar and ladder.
 */
export interface ServiceItem {
  /** The standard item code (事项编码), e.g. `11310000002423XK0001` in the national form; shipped examples use short codes. */
  readonly code: string;
  /** The catalogue version in force; published versions never change. */
  readonly version: number;
  readonly name: string;
  readonly type: ServiceItemType;
  readonly legalBasis: string;
  /** Which version of the legal basis the item follows (e.g. `2019年修正`). */
  readonly legalBasisVersion: string;
  /** Who and what it applies to (适用范围). */
  readonly scope: string;
  readonly leadDepartment: string;
  /** The departments taking part besides the lead (协办部门). */
  readonly participatingDepartments: readonly string[];
  /** Statutory limit (法定时限), working days. */
  readonly legalLimitDays: number;
  /** Limit the government commits to (承诺时限), working days; never above the legal one. */
  readonly committedLimitDays: number;
  readonly definitionKey: string;
  /** The published definition version its cases run on. */
  readonly definitionVersion: number;
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
  /**
   * The warning ladder its clocks climb (`DEFAULT_LADDER` unless it says otherwise; a task may declare its own),
   * with its tacit-decision rule (视为同意): a rung's `tacit`, where the item's law grants one.
   */
  readonly ladder: Ladder;
  /** What the applicant hands in. */
  readonly materials: readonly RequiredMaterial[];
}

/** Art. 42 ¶1: one department decides; its head may extend once by 10 working days. */
export const SINGLE_DEPARTMENT_EXTENSION: ExtensionPolicy = { maxWorkingDays: 10, maxTimes: 1 };
/** Art. 42 ¶2: unified, joint or centralised handling; the head of the government may extend once by 15 working days. */
export const JOINT_EXTENSION: ExtensionPolicy = { maxWorkingDays: 15, maxTimes: 1 };
