import type { ProcessDefinition } from './process-definition.js';

/**
 * The steps a definition keeps from substitutes (代理): every `openTask` and `openCountersign` of its machine that
 * says `substitutable: false`. Opening, the planner reads the flag from the action itself; a take-over (接办) of a
 * task already open asks here, by the task's key.
 */
interface PersonalSteps {
  /** Keys of the tasks `openTask` opens, each with whether it is substitutable. */
  readonly tasks: ReadonlyMap<string, boolean>;
  /** Countersign steps kept from substitutes: their signers' tasks are `<step>.<signer>` (a step's name has no dot). */
  readonly countersigns: ReadonlySet<string>;
}

/**
 * Whether the task of `key` is a power of its holder's own, which no substitute takes over.
 *
 * @example
 * isPersonalTask(roadOccupationV2, 'signOff.urban-management.deputy-a'); // true: the deputies sign in person
 */
export function isPersonalTask(definition: Pick<ProcessDefinition, 'machine'>, key: string): boolean {
  const steps = personalSteps(definition.machine);
  const own = steps.tasks.get(key);
  if (own !== undefined) return !own;
  const dot = key.indexOf('.');
  return dot > 0 && steps.countersigns.has(key.slice(0, dot));
}

// Read once per machine: published definitions never change.
const cache = new WeakMap<object, PersonalSteps>();

function personalSteps(machine: object): PersonalSteps {
  let found = cache.get(machine);
  if (!found) cache.set(machine, (found = collect(machine)));
  return found;
}

function collect(machine: unknown): PersonalSteps {
  const tasks = new Map<string, boolean>();
  const countersigns = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (value === null || typeof value !== 'object') return;
    const action = value as { type?: unknown; params?: { task?: unknown; step?: unknown; substitutable?: unknown } };
    const substitutable = action.params?.substitutable !== false;
    if (action.type === 'openTask' && typeof action.params?.task === 'string') tasks.set(action.params.task, substitutable && (tasks.get(action.params.task) ?? true));
    if (action.type === 'openCountersign' && typeof action.params?.step === 'string' && !substitutable) countersigns.add(action.params.step);
    Object.values(value).forEach(visit);
  };
  visit(machine);
  return { tasks, countersigns };
}
