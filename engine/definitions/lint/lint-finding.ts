import type { ServiceItem } from '../../service-item.js';

/**
 * What the lint of a definition reports (`definition-lint.ts`): each finding under a stable rule id, with where it
 * is in the definition's JSON and in which state. A rule is an error (publishing is refused) or a warning (shown
 * to the designer, publishing goes on): its severity is the rule's, never the finding's.
 */
export const LINT_RULES = {
  /** The machine cannot be built at all (its id, its version, JSON it cannot hold, a final state without an outcome). */
  'does-not-compile': 'error',
  /** An action, guard, param, event or target outside the engine's vocabulary (`definitionProblems`). */
  vocabulary: 'error',
  /** A human step (a task, a countersign) that names no department to own it. */
  'no-owner': 'error',
  /** A human step without its clock: no budget of working days. */
  'no-clock': 'error',
  'unreachable-state': 'error',
  /** A state from which the case can never end. */
  'dead-end': 'error',
  /** A parallel state whose regions cannot all finish, or that is not left when they have. */
  'region-never-joins': 'error',
  'unknown-department': 'error',
  /** A task naming a material (the materials its review needs) that the service item does not list. */
  'unknown-material': 'error',
  /** A clock paused, resumed or stopped by a name the definition never keeps. */
  'unknown-clock': 'error',
  /** A warning ladder without a last rung at or after the due date, or with a rung repeating another. */
  'ladder-never-ends': 'error',
  /** A return (退回) from which the case never comes back to the task returned. */
  'return-never-comes-back': 'error',
  /** A withdrawal (撤回) whose target never reopens the task taken back. */
  'withdrawal-never-reopens': 'error',
  /** Unguarded eventless transitions that lead back to where they started: the machine never stops. */
  'endless-eventless-loop': 'error',
  /** A human step given more working days than the service item commits to for the whole case. */
  'over-committed-limit': 'warning',
  /** A pause for a procedure the service item counts in its limits: its clocks do not stop. */
  'pause-counted-by-item': 'warning',
  /** An approval ending (a final state tagged approved) that issues no licence. */
  'approval-without-licence': 'warning',
  /** A step's title not in both languages ("中文 English"). */
  'title-not-bilingual': 'warning',
  /** Eventless transitions that can lead back to where they started: a loop while their guards hold. */
  'eventless-loop': 'warning',
} as const;

export type LintRule = keyof typeof LINT_RULES;

/** One thing the lint found. */
export interface LintFinding {
  readonly rule: LintRule;
  /** Where in the definition's JSON, as `definitionProblems` writes it: `machine.states.jointReview.states.fire`. */
  readonly path: string;
  /** The id of the state node concerned (`construction-permit.jointReview.fire.reviewing`); null when none is. */
  readonly state: string | null;
  /** What is wrong, in a sentence a designer understands. */
  readonly problem: string;
}

/** A finding under `rule`. */
export const finding = (rule: LintRule, path: string, state: string | null, problem: string): LintFinding => ({ rule, path, state, problem });

/** What exists outside the definition, that it names or is weighed against. */
export interface LintReferences {
  /** The department codes of the database: every department a step goes to must be one (or `lead` / `intake`). */
  readonly departments: ReadonlySet<string>;
  /**
   * The service item the definition will run under, when there is one: its ladder is the one the steps without
   * their own climb, its committed limit (working days) what no single step should exceed, its uncounted
   * procedures those the definition's pauses may stop its clocks for, its materials those a task may say it needs.
   */
  readonly item?: (Pick<ServiceItem, 'committedLimitDays' | 'ladder' | 'uncountedProcedures'> & Partial<Pick<ServiceItem, 'materials'>>) | undefined;
}
