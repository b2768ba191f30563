/**
 * A definition's machine config as written, read for what the lint checks that the compiled machine no longer
 * says where it is: every state with its id, every action and guard with its params, every transition — each with
 * its path in the JSON, written as `definitionProblems` writes it (`machine.states.review.entry.0.params.task`).
 * Read defensively: the lint also places the problems of a definition that did not compile.
 */

type Json = Record<string, unknown>;

export interface DeclaredState {
  /** The state node's id: its own `id`, or the machine's id and the keys down to it (`construction-permit.jointReview.fire`). */
  readonly id: string;
  readonly path: string;
  readonly config: Json;
}

/** An action or a guard as a state or a transition names it. */
export interface DeclaredNamed {
  readonly type: string;
  readonly params: Json;
  readonly path: string;
  /** The id of the state that declares it. */
  readonly state: string;
  /** Where the state declares it: run on entering it, on leaving it, or on one of its transitions. */
  readonly declaredIn: 'entry' | 'exit' | 'transition';
}

export interface DeclaredTransition {
  readonly path: string;
  /** The id of the state that declares it. */
  readonly state: string;
  /** The event it is on; null for an eventless (`always`), `onDone` or delayed (`after`) one. */
  readonly event: string | null;
  /** Its place among the transitions declared on that event, as the compiled state node lists them. */
  readonly index: number;
  readonly guard: DeclaredNamed | null;
}

export interface DeclaredParts {
  /** The root first, each state before those nested in it. */
  readonly states: readonly DeclaredState[];
  readonly actions: readonly DeclaredNamed[];
  readonly guards: readonly DeclaredNamed[];
  readonly transitions: readonly DeclaredTransition[];
}

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
/** A value written as one item or a list of them, each with its path (`.i` only for a list, as XState reads either). */
const listed = (value: unknown, path: string): [unknown, string][] =>
  value === undefined ? [] : Array.isArray(value) ? value.map((v, i) => [v, `${path}.${i}`]) : [[value, path]];

/** The machine's parts, under the machine id `machineId` (the definition's key). */
export function declaredParts(machine: unknown, machineId: string): DeclaredParts {
  const parts = { states: [] as DeclaredState[], actions: [] as DeclaredNamed[], guards: [] as DeclaredNamed[], transitions: [] as DeclaredTransition[] };
  if (!isObject(machine)) return parts;
  const visit = (config: Json, keys: readonly string[]): void => {
    const path = ['machine', ...keys.flatMap((k) => ['states', k])].join('.');
    const id = typeof config['id'] === 'string' ? config['id'] : [machineId, ...keys].join('.');
    parts.states.push({ id, path, config });
    const named = (into: DeclaredNamed[], value: unknown, at: string, declaredIn: DeclaredNamed['declaredIn']): DeclaredNamed | null => {
      const type = typeof value === 'string' ? value : isObject(value) ? value['type'] : undefined;
      if (typeof type !== 'string') return null;
      const params = isObject(value) && isObject(value['params']) ? value['params'] : {};
      const found = { type, params, path: at, state: id, declaredIn };
      into.push(found);
      return found;
    };
    for (const key of ['entry', 'exit'] as const) for (const [action, at] of listed(config[key], `${path}.${key}`)) named(parts.actions, action, at, key);
    const transitions = (value: unknown, at: string, event: string | null): void =>
      listed(value, at).forEach(([transition, where], index) => {
        const guard = isObject(transition) ? named(parts.guards, transition['guard'], `${where}.guard`, 'transition') : null;
        if (isObject(transition)) for (const [action, a] of listed(transition['actions'], `${where}.actions`)) named(parts.actions, action, a, 'transition');
        parts.transitions.push({ path: where, state: id, event, index, guard });
      });
    if (isObject(config['on'])) for (const [event, value] of Object.entries(config['on'])) transitions(value, `${path}.on.${event}`, event);
    transitions(config['always'], `${path}.always`, null);
    transitions(config['onDone'], `${path}.onDone`, null);
    if (isObject(config['after'])) for (const [delay, value] of Object.entries(config['after'])) transitions(value, `${path}.after.${delay}`, null);
    if (isObject(config['states'])) for (const [key, child] of Object.entries(config['states'])) if (isObject(child)) visit(child, [...keys, key]);
  };
  visit(machine, []);
  return parts;
}

/** The id of the innermost state whose JSON holds `path`; null for a path outside the machine (`version`). */
export function stateAtPath(parts: DeclaredParts, path: string): string | null {
  let found: DeclaredState | null = null;
  for (const s of parts.states) if ((path === s.path || path.startsWith(`${s.path}.`)) && s.path.length >= (found?.path.length ?? 0)) found = s;
  return found?.id ?? null;
}
