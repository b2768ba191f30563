import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import { caseMachineSetup, type CaseMachine, type CaseMachineConfig } from './case-machine.js';

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
 * Builds the machine for a definition and checks that it can be stored: pure JSON (no inline functions,
 * which would not survive publishing) and a machine id equal to the key.
 */
export function compileDefinition(definition: ProcessDefinition): CompiledDefinition {
  assertPlainJson(definition.machine, `${definition.key}.machine`);
  if (definition.machine.id !== definition.key) {
    throw new TypeError(`Definition ${definition.key}: machine id must equal the key, got ${String(definition.machine.id)}`);
  }
  if (!Number.isInteger(definition.version) || definition.version < 1) {
    throw new TypeError(`Definition ${definition.key}: version must be a positive integer`);
  }
  const stateMachine = caseMachineSetup.createMachine(definition.machine);
  assertOutcomeTags(definition, stateMachine);
  return { ...definition, checksum: definitionChecksum(definition), stateMachine };
}

/** Every top-level final state must say how the case ended, or the case status would be a guess. */
function assertOutcomeTags(definition: ProcessDefinition, stateMachine: CaseMachine): void {
  const outcomes: readonly string[] = Object.values(CASE_OUTCOME_TAGS);
  for (const [name, node] of Object.entries(stateMachine.root.states as Record<string, { type: string; tags: Iterable<string> }>)) {
    if (node.type === 'final' && ![...node.tags].some((tag) => outcomes.includes(tag))) {
      throw new TypeError(`Definition ${definition.key}: final state ${name} needs a tag of ${outcomes.join(' or ')}`);
    }
  }
}

/** sha256 over the canonical JSON of what defines behaviour (title excluded: renaming changes nothing). */
export function definitionChecksum(definition: Pick<ProcessDefinition, 'key' | 'version' | 'machine'>): string {
  return createHash('sha256')
    .update(canonicalJson({ key: definition.key, version: definition.version, machine: definition.machine }))
    .digest('hex');
}

/** Only what survives being stored as JSON: finite numbers, strings, booleans, null, arrays, plain objects. */
function assertPlainJson(value: unknown, path: string): void {
  const plain =
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value)) ||
    Array.isArray(value) ||
    (typeof value === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(value)));
  if (typeof value === 'function') throw new TypeError(`Definition is not serializable: function at ${path}`);
  if (!plain) throw new TypeError(`Definition is not plain JSON: ${String(value)} at ${path}`);
  if (Array.isArray(value)) value.forEach((v, i) => assertPlainJson(v, `${path}.${i}`));
  else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) if (child !== undefined) assertPlainJson(child, `${path}.${key}`);
  }
}
