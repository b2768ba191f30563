import { EVENTLESS, type DefinitionGraph, type GraphState, type GraphTransition } from '../definition-graph.js';

/**
 * Where a case can go, read from a definition's graph (`definitionGraph`: xstate's `toDirectedGraph` and the
 * eventless transitions it leaves out) with statechart semantics: entering a compound state enters its initial
 * child, a parallel state all its regions; a transition declared on a state is available while any state inside it
 * is active; a parallel state's `onDone` is taken once every region is in a final state of its own, a compound's
 * once one of its final children is. Guards are not evaluated — any guarded transition may be taken — so what is
 * found unreachable, or stuck, is so whatever the case's data.
 */
export interface Statechart {
  readonly root: GraphState;
  readonly states: readonly GraphState[];
  readonly transitions: readonly GraphTransition[];
  children(id: string): readonly GraphState[];
  /** Whether `id` is `ancestor` or a state nested in it. */
  isInside(id: string, ancestor: string): boolean;
  /** The states entering `id` by default makes active (its initial child, or every region, all the way down). */
  defaultEntry(id: string): readonly string[];
  /**
   * Every state that can become active from the states `start`, along the transitions `take` allows (all by default).
   * With `joinsAssumed`, a parallel state's `onDone` is taken whenever the parallel state is active, whether its
   * regions can finish or not: what is reached then is what some transition leads to, a join that never comes
   * being a fault of its own (`region-never-joins`).
   */
  reach(start: Iterable<string>, take?: (t: GraphTransition) => boolean, joinsAssumed?: boolean): ReadonlySet<string>;
  /** Whether `id` has completed, when the states `active` can be active. */
  done(id: string, active: ReadonlySet<string>): boolean;
  /**
   * What may be active while `id` is, out of the states `reachable`: it with what it enters and every state it is
   * nested in; and, beside each parallel state it is in, any state of the other regions they can reach.
   */
  configurationOf(id: string, reachable: ReadonlySet<string>): ReadonlySet<string>;
}

const DONE_EVENT = 'xstate.done.state.';

/** The statechart of a definition's graph. */
export function statechart(graph: DefinitionGraph): Statechart {
  const byId = new Map(graph.states.map((s) => [s.id, s]));
  const get = (id: string): GraphState => {
    const state = byId.get(id);
    if (!state) throw new TypeError(`state ${id} is not in the definition's graph`);
    return state;
  };
  const root = graph.states.find((s) => s.parent === null);
  if (!root) throw new TypeError('the definition graph has no root state');
  const childrenOf = new Map<string, GraphState[]>();
  for (const s of graph.states) if (s.parent !== null) childrenOf.set(s.parent, [...(childrenOf.get(s.parent) ?? []), s]);
  const children = (id: string): readonly GraphState[] => childrenOf.get(id) ?? [];
  const above = new Map<string, readonly string[]>();
  const ancestors = (id: string): readonly string[] => {
    let found = above.get(id);
    if (!found) {
      const parent = get(id).parent;
      above.set(id, (found = parent === null ? [] : [parent, ...ancestors(parent)]));
    }
    return found;
  };
  const isInside = (id: string, ancestor: string): boolean => id === ancestor || ancestors(id).includes(ancestor);

  const defaultEntry = (id: string): string[] => {
    const s = get(id);
    if (s.type === 'compound' && s.initial !== null) return [id, ...defaultEntry(s.initial)];
    if (s.type === 'parallel') return [id, ...children(id).flatMap((c) => defaultEntry(c.id))];
    return [id];
  };
  const enteredCache = new Map<string, ReadonlySet<string>>();
  /** The states made active by entering `id`: it and what it enters by default, and every state it is nested in. */
  const entered = (id: string): ReadonlySet<string> => {
    let found = enteredCache.get(id);
    if (found) return found;
    // Entering a state inside a parallel state enters the parallel state's other regions too.
    const besides = ancestors(id).flatMap((a) => (get(a).type === 'parallel' ? children(a).filter((r) => !isInside(id, r.id)).flatMap((r) => defaultEntry(r.id)) : []));
    found = new Set([...defaultEntry(id), ...ancestors(id), ...besides]);
    enteredCache.set(id, found);
    return found;
  };

  const done = (id: string, active: ReadonlySet<string>): boolean => {
    const s = get(id);
    if (s.type === 'final') return active.has(id);
    if (s.type === 'compound') return children(id).some((c) => c.type === 'final' && active.has(c.id));
    if (s.type === 'parallel') return children(id).every((c) => done(c.id, active));
    return false;
  };
  const leaving = new Map<string, GraphTransition[]>();
  for (const t of graph.transitions) leaving.set(t.source, [...(leaving.get(t.source) ?? []), t]);

  const reach = (start: Iterable<string>, take: (t: GraphTransition) => boolean = () => true, joinsAssumed = false): ReadonlySet<string> => {
    const active = new Set<string>();
    const fresh: string[] = [];
    const activate = (id: string) => {
      if (active.has(id)) return;
      active.add(id);
      fresh.push(id);
    };
    // The onDone transitions of active states, waiting for their state to complete.
    let completing: GraphTransition[] = [];
    for (const id of start) activate(id);
    while (fresh.length > 0) {
      for (let id = fresh.pop(); id !== undefined; id = fresh.pop()) {
        for (const t of (leaving.get(id) ?? []).filter(take)) {
          if (isOnDone(t) && !(joinsAssumed && get(id).type === 'parallel')) completing.push(t);
          else entered(t.target).forEach(activate);
        }
      }
      const taken = completing.filter((t) => done(t.source, active));
      completing = completing.filter((t) => !taken.includes(t));
      for (const t of taken) entered(t.target).forEach(activate);
    }
    return active;
  };

  const configurationOf = (id: string, reachable: ReadonlySet<string>): ReadonlySet<string> => {
    const besides = ancestors(id).flatMap((a) =>
      get(a).type === 'parallel' ? children(a).filter((r) => !isInside(id, r.id)).flatMap((r) => [...reachable].filter((s) => isInside(s, r.id))) : [],
    );
    return new Set([...defaultEntry(id), ...ancestors(id), ...besides]);
  };

  return { root, states: graph.states, transitions: graph.transitions, children, isInside, defaultEntry, reach, done, configurationOf };
}

/** An eventless (`always`) transition: taken as soon as its guard holds, with no event to wait for. */
export const isEventless = (t: GraphTransition): boolean => t.event === EVENTLESS;

/** A transition of the state's `onDone`: taken when the state completes (xstate's `xstate.done.state.<id>`). */
export const isOnDone = (t: GraphTransition): boolean => t.event === `${DONE_EVENT}${t.source}`;

/** A transition taken by itself once its state is entered: eventless, or the `onDone` of a state that completed. */
export const isImmediate = (t: GraphTransition): boolean => isEventless(t) || isOnDone(t);
