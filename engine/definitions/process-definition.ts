import { createHash } from 'node:crypto';
import { canonicalJson } from '../audit/canonical-json.js';
import { caseMachineSetup, type CaseContext, type CaseInput, type CaseMachine, type CaseMachineConfig } from './case-machine.js';
import { definitionProblems, type DefinitionProblem } from './definition-validation.js';
import { DefinitionInvalidError } from '../errors.js';
import { withPeriodExits } from './period-exits.js';

/**
 * A process definition (流程定义): an XState machine config written in the engine's vocabulary,
 * identified by key + version. Once published a version never changes; a case stays on the version it
 * started with.
 */
export interface ProcessDefinition {
  readonly key: string;
  readonly version: number;
  readonly title: string;
  readonly machine: CaseMachineConfig;
}

/** Tags a final state carries to say how the case ended. */
export const CASE_OUTCOME_TAGS = { approved: 'outcome.approved', refused: 'outcome.refused' } as const;

/** A definition ready to run: its machine built once and a checksum of its content. */
export interface CompiledDefinition extends ProcessDefinition {
  readonly checksum: string;
  readonly stateMachine: CaseMachine;
}

/**
 * Builds the machine for a definition and checks that it can be stored and run: pure JSON (no inline
 * functions, which would not survive publishing), a machine id equal to the key, and nothing outside the
 * engine's vocabulary (`definition-validation.ts`). Every problem found is reported at once, with where it
 * is, as a `DefinitionInvalidError`.
 */
export function compileDefinition(definition: ProcessDefinition): CompiledDefinition {
  const fail = (problems: readonly DefinitionProblem[]) => new DefinitionInvalidError(definition.key, definition.version, problems);
  const problems = plainJsonProblems(definition.machine, 'machine');
  if (definition.machine.id !== definition.key) {
    problems.push({ path: 'machine.id', problem: `must equal the key ${definition.key}, got ${String(definition.machine.id)}` });
  }
  if (!Number.isInteger(definition.version) || definition.version < 1) problems.push({ path: 'version', problem: 'must be a positive integer' });
  // A function or a Map would make the vocabulary walk read what is not JSON: report those first.
  if (problems.length === 0) problems.push(...definitionProblems(definition.machine));
  if (problems.length > 0) throw fail(problems);
  let stateMachine: CaseMachine;
  try {
    stateMachine = caseMachineSetup.createMachine(withApplicationAnswers(withPeriodExits(definition.machine)));
  } catch (error) {
    // XState's own checks, should the walk have missed something: still the definition's fault, not a 500.
    throw fail([{ path: 'machine', problem: error instanceof Error ? error.message : String(error) }]);
  }
  const untagged = untaggedFinalStates(stateMachine);
  if (untagged.length > 0) throw fail(untagged);
  return { ...definition, checksum: definitionChecksum(definition), stateMachine };
}

/**
 * The machine's context as written, with the application's answers (`CaseInput`) when the case was started
 * with some: what an optional member's `whenAnswer` reads. The stored definition stays as written.
 */
function withApplicationAnswers(machine: CaseMachineConfig): CaseMachineConfig {
  const written = (machine.context ?? {}) as CaseContext;
  return {
    ...machine,
    context: ({ input }: { input: CaseInput | undefined }) => ({ ...written, ...(input && Object.keys(input.answers).length > 0 ? { answers: input.answers } : {}) }),
  };
}

/** Every top-level final state must say how the case ended, or the case status would be a guess. */
function untaggedFinalStates(stateMachine: CaseMachine): DefinitionProblem[] {
  const outcomes: readonly string[] = Object.values(CASE_OUTCOME_TAGS);
  return Object.entries(stateMachine.root.states as Record<string, { type: string; tags: Iterable<string> }>)
    .filter(([, node]) => node.type === 'final' && ![...node.tags].some((tag) => outcomes.includes(tag)))
    .map(([name]) => ({ path: `machine.states.${name}.tags`, problem: `a final state needs a tag of ${outcomes.join(' or ')}` }));
}

/** sha256 over the canonical JSON of what defines behaviour (title excluded: renaming changes nothing). */
export function definitionChecksum(definition: Pick<ProcessDefinition, 'key' | 'version' | 'machine'>): string {
  return createHash('sha256')
    .update(canonicalJson({ key: definition.key, version: definition.version, machine: definition.machine }))
    .digest('hex');
}

/** Only what survives being stored as JSON: finite numbers, strings, booleans, null, arrays, plain objects. */
function plainJsonProblems(value: unknown, path: string): DefinitionProblem[] {
  if (typeof value === 'function') return [{ path, problem: 'a function is not serializable' }];
  const plain =
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value)) ||
    Array.isArray(value) ||
    (typeof value === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(value)));
  if (!plain) return [{ path, problem: `${String(value)} is not plain JSON` }];
  if (Array.isArray(value)) return value.flatMap((v, i) => plainJsonProblems(v, `${path}.${i}`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, child]) => (child === undefined ? [] : plainJsonProblems(child, `${path}.${key}`)));
  }
  return [];
}
