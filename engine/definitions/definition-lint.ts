import { DefinitionInvalidError } from '../errors.js';
import { INTAKE_DEPARTMENT, LEAD_DEPARTMENT } from './case-machine.js';
import { definitionGraph } from './definition-graph.js';
import { definitionProblems, type DefinitionProblem } from './definition-validation.js';
import { compileDefinition, type CompiledDefinition, type ProcessDefinition } from './process-definition.js';
import { adviceFindings } from './lint/advice-rules.js';
import { declaredParts, stateAtPath, type DeclaredParts } from './lint/declared-parts.js';
import { graphFindings } from './lint/graph-rules.js';
import { finding, LINT_RULES, type LintFinding, type LintReferences, type LintRule } from './lint/lint-finding.js';
import { referenceFindings } from './lint/reference-rules.js';
import { statechart } from './lint/statechart-reach.js';

export { LINT_RULES, type LintFinding, type LintReferences, type LintRule } from './lint/lint-finding.js';

/** The lint of a definition: its errors refuse publishing; its warnings are shown and publishing goes on. */
export interface DefinitionLint {
  readonly errors: LintFinding[];
  readonly warnings: LintFinding[];
}

/**
 * Lints a process definition before it is published, each finding with its rule, its path in the definition's
 * JSON and its state. A definition that does not compile (`compileDefinition`) gets its problems back as errors —
 * the vocabulary's (`definitionProblems`) under `vocabulary`, or `no-owner` / `no-clock` for a human step's
 * department or working days — and nothing else is checked. One that compiles is checked on its machine's graph
 * (`definitionGraph`, xstate's `toDirectedGraph`, with statechart semantics: `lint/statechart-reach.ts`): no state
 * never entered, none a case is stuck in, parallel regions that all join, returns that come back, withdrawals that
 * reopen; on what it names (departments that exist, clocks the case keeps, ladders that end); and for the warnings
 * (`LINT_RULES` gives each rule's severity).
 *
 * @example
 * const lint = lintDefinition(constructionPermit, { departments: new Set(['window', 'housing', 'planning', 'ecology', 'civil-air-defence', 'water']), item: constructionPermitItem });
 * lint.errors;
 * // [{ rule: 'unknown-department', path: 'machine.states.jointReview.states.fire.states.reviewing.entry.0.params.department',
 * //    state: 'construction-permit.jointReview.fire.reviewing', problem: 'No department has the code fire, which task review.fire names.' },
 * //  { rule: 'unknown-department', path: 'machine.states.jointReview.states.fire.states.entering.always.0.guard.params.department', … }]
 * lint.warnings; // []: warnings never refuse publishing, errors do
 */
export function lintDefinition(definition: ProcessDefinition, references: LintReferences): DefinitionLint {
  let compiled: CompiledDefinition;
  try {
    compiled = compileDefinition(definition);
  } catch (error) {
    if (!(error instanceof DefinitionInvalidError)) throw error;
    return bySeverity(compileFindings(definition, error.problems));
  }
  const parts = declaredParts(definition.machine, definition.key);
  const chart = statechart(definitionGraph(compiled));
  return bySeverity([...graphFindings({ definition: compiled, chart, parts }), ...referenceFindings(parts, references), ...adviceFindings(parts, references)]);
}

function bySeverity(findings: readonly LintFinding[]): DefinitionLint {
  return { errors: findings.filter((f) => LINT_RULES[f.rule] === 'error'), warnings: findings.filter((f) => LINT_RULES[f.rule] === 'warning') };
}

/** A problem of the vocabulary about a human step's params (the action's name opens its message). */
const HUMAN_STEP_PROBLEM = /^action (openTask|openCountersign)\b/;
const OWNER_PARAM = /\.params\.(department|signers|signers\.\d+\.department)$/;
const CLOCK_PARAM = /\.params\.workingDays$/;

/** The problems that kept the definition from compiling, each under its rule and in its state. */
function compileFindings(definition: ProcessDefinition, problems: readonly DefinitionProblem[]): LintFinding[] {
  const parts: DeclaredParts = declaredParts(definition.machine, definition.key);
  const vocabulary = new Set(definitionProblems(definition.machine).map((p) => `${p.path}\n${p.problem}`));
  return problems.map((p) => {
    const rule = ruleOf(p, vocabulary);
    const problem =
      rule === 'no-owner'
        ? `A human step needs a department that owns it (a department code, ${LEAD_DEPARTMENT} or ${INTAKE_DEPARTMENT}): ${p.problem}.`
        : rule === 'no-clock'
          ? `A human step needs its clock, a whole number of working days: ${p.problem}.`
          : p.problem;
    return finding(rule, p.path, stateAtPath(parts, p.path), problem);
  });
}

function ruleOf(p: DefinitionProblem, vocabulary: ReadonlySet<string>): LintRule {
  if (!vocabulary.has(`${p.path}\n${p.problem}`)) return 'does-not-compile';
  if (HUMAN_STEP_PROBLEM.test(p.problem) && OWNER_PARAM.test(p.path)) return 'no-owner';
  if (HUMAN_STEP_PROBLEM.test(p.problem) && CLOCK_PARAM.test(p.path)) return 'no-clock';
  return 'vocabulary';
}
