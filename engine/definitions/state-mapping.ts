import type { DesignProblem } from '../errors.js';
import type { CompiledDefinition } from './process-definition.js';

/**
 * A migration's state mapping (流程版本迁移): state node ids of one published version of a definition to state node
 * ids of another (`road-occupation.jointReview` → `road-occupation.review`). A case's active state is moved by the
 * mapping of the state itself or, failing that, of its nearest mapped ancestor, so mapping a compound or parallel
 * state moves everything inside it at once.
 */
export type StateMapping = Readonly<Record<string, string>>;

/** What of XState's state nodes the mapping reads: their id, kind and place in the tree. */
interface StateNodeView {
  readonly id: string;
  readonly type: string;
  readonly parent?: StateNodeView | undefined;
  readonly states: Readonly<Record<string, StateNodeView>>;
}

const rootOf = (definition: CompiledDefinition): StateNodeView => definition.stateMachine.root as unknown as StateNodeView;

/** Every state node of the definition but the root (which is not a step) and history pseudo-states, by id. */
function stateNodes(definition: CompiledDefinition): ReadonlyMap<string, StateNodeView> {
  const nodes = new Map<string, StateNodeView>();
  const visit = (node: StateNodeView): void => {
    for (const child of Object.values(node.states)) {
      if (child.type === 'history') continue;
      nodes.set(child.id, child);
      visit(child);
    }
  };
  visit(rootOf(definition));
  return nodes;
}

/**
 * What makes the mapping unusable for any case, each at `mapping.<source id>`: a source state `from` does not
 * have, a target `to` does not have, or a target that is one of `to`'s ends (a top-level final state: a migration
 * moves a case between steps, it never decides one).
 */
export function mappingProblems(from: CompiledDefinition, to: CompiledDefinition, mapping: StateMapping): DesignProblem[] {
  const sources = stateNodes(from);
  const targets = stateNodes(to);
  const entries = Object.entries(mapping);
  if (entries.length === 0) return [{ path: 'mapping', problem: 'maps no state' }];
  return entries.flatMap(([source, target]) => {
    const path = `mapping.${source}`;
    if (!sources.has(source)) return [{ path, problem: `${source} is not a state of ${from.key} v${from.version}` }];
    const node = targets.get(target);
    if (!node) return [{ path, problem: `${target} is not a state of ${to.key} v${to.version}` }];
    if (node.type === 'final' && node.parent?.id === rootOf(to).id) return [{ path, problem: `${target} is a final state: a migration does not decide a case` }];
    return [];
  });
}

/** Where the mapping sends a case whose machine holds `value`, or the first active state it leaves unmapped. */
export type MappedStates =
  | { readonly targets: readonly string[]; readonly used: StateMapping }
  | { readonly unmapped: string };

/** Where the mapping sends each leaf state `value` is in (by the leaf's own entry or its nearest mapped ancestor's). */
export function mapStates(from: CompiledDefinition, value: unknown, mapping: StateMapping): MappedStates {
  const used: Record<string, string> = {};
  for (const leaf of activeLeaves(rootOf(from), value)) {
    let node: StateNodeView | undefined = leaf;
    while (node && !Object.hasOwn(mapping, node.id)) node = node.parent;
    const target = node && mapping[node.id];
    if (!node || target === undefined) return { unmapped: leaf.id };
    used[node.id] = target;
  }
  return { targets: [...new Set(Object.values(used))], used };
}

/**
 * The targets as XState should enter them: a target inside another is enough (entering it enters its ancestors),
 * and two targets must lie in different regions of a parallel state. Returns the targets to enter, or the first
 * two that cannot be active together.
 */
export function enterableTargets(to: CompiledDefinition, ids: readonly string[]): { readonly enter: readonly string[] } | { readonly conflict: readonly [string, string] } {
  const nodes = stateNodes(to);
  const chosen = ids.map((id) => nodes.get(id)).filter((n): n is StateNodeView => n !== undefined);
  const innermost = chosen.filter((a) => !chosen.some((b) => b !== a && ancestors(b).has(a)));
  for (const [i, a] of innermost.entries()) {
    for (const b of innermost.slice(i + 1)) {
      if (commonAncestor(a, b)?.type !== 'parallel') return { conflict: [a.id, b.id] };
    }
  }
  return { enter: innermost.map((n) => n.id) };
}

function ancestors(node: StateNodeView): Set<StateNodeView> {
  const found = new Set<StateNodeView>();
  for (let n = node.parent; n; n = n.parent) found.add(n);
  return found;
}

function commonAncestor(a: StateNodeView, b: StateNodeView): StateNodeView | undefined {
  const ofA = ancestors(a);
  let n = b.parent;
  while (n && !ofA.has(n)) n = n.parent;
  return n;
}

/** The leaf states of a stored state value: `'acceptance'`, or `{ jointReview: { fire: 'reviewing', … } }`. */
function activeLeaves(node: StateNodeView, value: unknown): StateNodeView[] {
  if (typeof value === 'string') {
    const child = node.states[value];
    return child ? [child] : [];
  }
  return Object.entries((value ?? {}) as Record<string, unknown>).flatMap(([key, inner]) => {
    const child = node.states[key];
    return child ? activeLeaves(child, inner) : [];
  });
}
