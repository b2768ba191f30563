import type { AnyStateNode } from 'xstate';
import { toDirectedGraph, type DirectedGraphNode } from 'xstate/graph';
import { restoreSnapshot } from '../case-snapshot.js';
import type { OpenTaskParams, PauseCaseClocksParams, StartPeriodParams } from './case-machine.js';
import type { OpenCountersignParams, Threshold } from './countersign.js';
import type { CompiledDefinition } from './process-definition.js';

/**
 * A process definition as a diagram: its states, each naming the state it is nested in (a parallel state's
 * regions inside it), and its transitions, read from the compiled machine with `xstate/graph`'s
 * `toDirectedGraph` and the eventless ones it leaves out — never drawn by hand, so the diagram is the machine
 * the engine runs.
 */

/** What a state does on entry that a reader of the diagram cares about. */
export interface StateWork {
  /** The task it opens (`openTask`). */
  readonly task?: Pick<OpenTaskParams, 'task' | 'kind' | 'title' | 'department'>;
  /** The case's clocks it stops (`pauseCaseClocks`), and why. */
  readonly pausesClocks?: PauseCaseClocksParams['reason'];
  /** The period it waits for (`startPeriod`), in working days. */
  readonly period?: Pick<StartPeriodParams, 'period' | 'workingDays'>;
  /** The countersign step it opens (`openCountersign`): its title, mode and threshold. */
  readonly countersign?: Pick<OpenCountersignParams, 'step' | 'mode' | 'title'> & { readonly threshold: Threshold | null };
}

export interface GraphState extends StateWork {
  /** The machine's id of the state node, e.g. `construction-permit.jointReview.fire.reviewing`. */
  readonly id: string;
  /** Its key inside its parent, e.g. `reviewing`. */
  readonly key: string;
  /** The id of the state it is nested in; null for the machine's root. */
  readonly parent: string | null;
  readonly type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  /** The child entered first (compound states); null otherwise. */
  readonly initial: string | null;
}

/**
 * The event of an eventless (`always`) transition, taken as soon as its guard holds: xstate's own event type for
 * it. A countersign step is left by such transitions once its outcome is certain, a joint review's region leaves
 * `entering` by them (the member takes no part, its approval stands, or it reviews).
 */
export const EVENTLESS = '';

export interface GraphTransition {
  /**
   * Unique in the graph: `<source>:<transition>:<target>` (xstate's edge id, the transitions counted in the order
   * declared), `<source>:always:<transition>:<target>` for an eventless one.
   */
  readonly id: string;
  readonly source: string;
  readonly target: string;
  /**
   * The event, e.g. `task.approved`; `xstate.done.state.<id>` when every region of a parallel state is done;
   * {@link EVENTLESS} (`''`) for an eventless (`always`) transition.
   */
  readonly event: string;
  /** The guard that must hold, e.g. `{ type: 'anyRejected' }`; null when unguarded. */
  readonly guard: { readonly type: string; readonly params?: Readonly<Record<string, unknown>> } | null;
}

export interface DefinitionGraph {
  /**
   * Every state, the root first and each before the states nested in it; siblings in the order the process
   * reaches them (from the initial state along the transitions), whatever the order of the stored JSON's keys
   * (PostgreSQL's jsonb keeps none).
   */
  readonly states: GraphState[];
  readonly transitions: GraphTransition[];
}

/**
 * The graph of a compiled definition's machine.
 *
 * @example
 * const { states, transitions } = definitionGraph(await catalog.definition('construction-permit', 4));
 * states.filter((s) => s.parent === 'construction-permit').map((s) => s.key); // ['acceptance', 'jointReview', 'supplement', 'notAccepted', …]
 */
export function definitionGraph(definition: CompiledDefinition): DefinitionGraph {
  const states: GraphState[] = [];
  const transitions: GraphTransition[] = [];
  const visit = (node: DirectedGraphNode, parent: string | null): void => {
    const state = node.stateNode;
    states.push({ id: state.id, key: state.key, parent, type: state.type, initial: state.type === 'compound' ? (state.initial.target[0]?.id ?? null) : null, ...workOf(state) });
    for (const edge of node.edges) {
      transitions.push({ id: edge.id, source: edge.source.id, target: edge.target.id, event: edge.transition.eventType, guard: guardOf(edge.transition.guard) });
    }
    // The directed graph leaves the eventless transitions out: without them a countersign step is a dead end.
    (state.always ?? []).forEach((t, i) =>
      (t.target ?? [state]).forEach((target, k) => transitions.push({ id: `${state.id}:always:${i}:${k}`, source: state.id, target: target.id, event: EVENTLESS, guard: guardOf(t.guard) })),
    );
    for (const child of inReachOrder(node)) visit(child, state.id);
  };
  visit(toDirectedGraph(definition.stateMachine), null);
  return { states, transitions };
}

/**
 * A state's children in the order the process reaches them, from the initial child along the transitions leaving
 * each child (or any state inside it) for another child: each before the children it leads to, but along a loop
 * back (a correction returning to its review) — a review before the approval it leads to even when an approval
 * that stands also leads there straight from entering; those never reached, and the regions of a parallel state
 * (entered together), as the machine lists them.
 */
function inReachOrder(node: DirectedGraphNode): DirectedGraphNode[] {
  const parent = node.stateNode;
  const siblingOf = (target: AnyStateNode): DirectedGraphNode | undefined => {
    let s: AnyStateNode | undefined = target;
    while (s && s.parent !== parent) s = s.parent;
    return node.children.find((c) => c.stateNode === s);
  };
  // Where a child leads: the targets of the transitions leaving it or any state inside it, eventless ones
  // (`always`, which the directed graph leaves out) included: a region's `entering` leads on by them alone.
  const targets = (n: DirectedGraphNode): AnyStateNode[] => [...n.edges.map((e) => e.target), ...(n.stateNode.always ?? []).flatMap((t) => t.target ?? []), ...n.children.flatMap(targets)];
  const leaving = (n: DirectedGraphNode): DirectedGraphNode[] => targets(n).flatMap((target) => siblingOf(target) ?? []);
  const first = parent.type === 'compound' ? node.children.find((c) => c.stateNode === parent.initial.target[0]) : undefined;
  // Depth first, a child placed before every child it leads to (the reverse of the order they are done in); its
  // ways on followed last declared first, so that children reached alike keep the order declared.
  const done: DirectedGraphNode[] = [];
  const seen = new Set<DirectedGraphNode>();
  const walk = (n: DirectedGraphNode): void => {
    seen.add(n);
    for (const next of leaving(n).reverse()) if (!seen.has(next)) walk(next);
    done.push(n);
  };
  if (first) walk(first);
  return [...done.reverse(), ...node.children.filter((c) => !seen.has(c))];
}

/**
 * The ids of the states a stored snapshot is in, outermost first: every state on the path to each active
 * leaf (a parallel state and each of its regions' states), the root excluded.
 */
export function activeStateIds(definition: CompiledDefinition, stored: unknown): string[] {
  const snapshot = restoreSnapshot(definition, stored);
  const ids: string[] = [];
  const walk = (node: AnyStateNode, value: unknown): void => {
    const entries = typeof value === 'string' ? [[value, undefined] as const] : Object.entries((value ?? {}) as Record<string, unknown>);
    for (const [key, inner] of entries) {
      const child = node.states[key];
      if (!child) continue;
      ids.push(child.id);
      if (inner !== undefined) walk(child, inner);
    }
  };
  walk(definition.stateMachine.root, snapshot.value);
  return ids;
}

/** A guard as the definition names it: by type, with its params. */
function guardOf(guard: unknown): GraphTransition['guard'] {
  if (typeof guard === 'string') return { type: guard };
  if (guard && typeof guard === 'object' && 'type' in guard && typeof guard.type === 'string') {
    const params = 'params' in guard && guard.params && typeof guard.params === 'object' ? { params: guard.params as Record<string, unknown> } : {};
    return { type: guard.type, ...params };
  }
  return null;
}

/** The entry actions the diagram shows, by name; the definition's vocabulary keeps their params as data. */
function workOf(state: AnyStateNode): StateWork {
  const work: { -readonly [K in keyof StateWork]: StateWork[K] } = {};
  for (const action of state.entry) {
    if (!action || typeof action !== 'object' || !('type' in action)) continue;
    const params = ('params' in action ? action.params : undefined) as Record<string, unknown> | undefined;
    if (action.type === 'openTask' && params) {
      const { task, kind, title, department } = params as unknown as OpenTaskParams;
      work.task = { task, kind, title, department };
    }
    if (action.type === 'openCountersign' && params) {
      const { step, mode, title, threshold } = params as unknown as OpenCountersignParams;
      work.countersign = { step, mode, title, threshold: threshold ?? null };
    }
    if (action.type === 'pauseCaseClocks' && params) work.pausesClocks = (params as unknown as PauseCaseClocksParams).reason;
    if (action.type === 'startPeriod' && params) {
      const { period, workingDays } = params as unknown as StartPeriodParams;
      work.period = { period, workingDays };
    }
  }
  return work;
}
