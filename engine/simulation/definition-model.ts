import { initialTransition, transition, type EventObject } from 'xstate';
import type { StatePath } from 'xstate/graph';
import { stateLabel } from '../case-snapshot.js';
import type { Answer, CaseEvent, CaseInput } from '../definitions/case-machine.js';
import type { CompiledDefinition } from '../definitions/process-definition.js';
import { caseEvents, moveOf } from './case-events.js';
import { activeCountersigns, type CaseParties, type ModelSnapshot } from './model-state.js';

/**
 * A definition's own machine as a model to walk with `xstate/graph`: in each state it offers the moves of
 * `caseEvents` the machine takes there (those the engine accepts as a command). The simulation walks it for the
 * shortest way into each final state; the model-based tests walk it and replay every path on a sandbox case.
 */

/** How the model runs a definition: for a case with these parties, applying with these answers. */
export interface ModelOptions {
  readonly parties: CaseParties;
  /** The application's answers the case starts with (what decides an optional member of a joint review). */
  readonly answers: Readonly<Record<string, Answer>>;
}

/** What the walk offers and tells apart, besides `ModelOptions`. */
export interface TraversalChoices extends ModelOptions {
  /** The moves offered (every one the machine takes unless restricted). */
  readonly offers?: ((move: string) => boolean) | undefined;
  /** How states are told apart, when not as `exactVertex` does (a coarser key walks fewer states). */
  readonly vertex?: ((snapshot: ModelSnapshot, event: EventObject | undefined) => string) | undefined;
}

/** A path of the model; its events are the engine's `CaseEvent`s. */
export type ModelPath = StatePath<ModelSnapshot, EventObject>;

const inputOf = (options: ModelOptions): CaseInput => ({ answers: options.answers });

/**
 * States told apart by their value (not the context, which mostly records history), a top-level state also by
 * the event that reached it, and a countersign step in progress by how many have approved and rejected (what
 * decides where its next vote leads): so the shortest paths take every way into every final state (each
 * department's rejection, the decision's refusal, each signer's deciding vote, ...) while the parallel reviews
 * stay at one vertex per combination of region states.
 */
export const exactVertex = (definition: CompiledDefinition) => (snapshot: ModelSnapshot, event: EventObject | undefined): string => {
  const value = JSON.stringify(snapshot.value);
  return (typeof snapshot.value === 'string' && event ? `${value} <- ${moveOf(event)}` : value) + votesOf(definition, snapshot);
};

/** The votes cast so far in each countersign step in progress, e.g. ` signOff:1+0-`. */
export function votesOf(definition: CompiledDefinition, snapshot: ModelSnapshot): string {
  const count = (step: string, vote: 'approve' | 'reject') => snapshot.context.countersigns?.[step]?.signers.filter((s) => s.vote === vote).length ?? 0;
  return activeCountersigns(definition, snapshot)
    .map((step) => ` ${step}:${count(step, 'approve')}+${count(step, 'reject')}-`)
    .join('');
}

/**
 * The traversal options of the model (`xstate/graph`'s `getShortestPaths`, `createTestModel`): the moves of
 * `caseEvents` the machine takes in each state and `offers` lets through, states told apart by `vertex`.
 */
export function modelTraversal(definition: CompiledDefinition, choices: TraversalChoices) {
  const eventsIn = caseEvents(definition, choices.parties);
  const vertexOf = choices.vertex ?? exactVertex(definition);
  const offered = new WeakMap<object, readonly CaseEvent[]>();
  const offeredIn = (snapshot: ModelSnapshot) => {
    let events = offered.get(snapshot);
    // `can`: some transition is enabled for the event, with a target or actions — what the engine accepts.
    if (!events) offered.set(snapshot, (events = eventsIn(snapshot).filter((e) => snapshot.can(e) && (choices.offers?.(moveOf(e)) ?? true))));
    return events;
  };
  return {
    input: inputOf(choices),
    events: offeredIn,
    // `xstate/graph` adds a bare `{ type }` for every event type a state handles that was not offered (XState's
    // own `xstate.done.state.*` among them): only the events offered are taken.
    filterEvents: (snapshot: ModelSnapshot, event: EventObject) => offeredIn(snapshot).includes(event as CaseEvent),
    serializeState: (snapshot: ModelSnapshot, event: EventObject | undefined) => vertexOf(snapshot, event),
  };
}

/** The moves of a path, in the notation `pathOf` reads. */
export const movesOf = (path: ModelPath): string[] => path.steps.slice(1).map((s) => moveOf(s.event));

/** How a path ends in a final state: `refused <- decision:reject`; null for a path ending elsewhere. */
export const endingOf = (path: ModelPath): string | null => (path.state.status === 'done' ? `${stateLabel(path.state.value)} <- ${movesOf(path).at(-1) ?? 'start'}` : null);

/** How the paths end in final states: `refused <- decision:reject`. */
export const endingsOf = (paths: readonly ModelPath[]): Set<string> => new Set(paths.flatMap((p) => endingOf(p) ?? []));

/** A path through the model from moves; each move must be one the model takes in the state reached so far. */
export function pathOf(definition: CompiledDefinition, moves: readonly string[], options: ModelOptions): ModelPath {
  const traced = trace(definition, moves, options);
  if ('refused' in traced) throw new Error(traced.refused);
  return traced.path;
}

/**
 * The path a walk found, with each state as the machine reaches it by the path's own moves; null when the
 * machine does not take one of them there. A walk that tells states apart coarsely (`progressVertex`) keeps one
 * snapshot for several states, so the states and even the moves of its paths are to be checked this way.
 */
export function retrace(definition: CompiledDefinition, path: ModelPath, options: ModelOptions): ModelPath | null {
  const traced = trace(definition, movesOf(path), options);
  return 'path' in traced ? traced.path : null;
}

function trace(definition: CompiledDefinition, moves: readonly string[], options: ModelOptions): { path: ModelPath } | { refused: string } {
  const machine = definition.stateMachine;
  const eventsIn = caseEvents(definition, options.parties);
  let [state] = initialTransition(machine, inputOf(options));
  const steps: ModelPath['steps'] = [{ state, event: { type: 'xstate.init' } }];
  for (const move of moves) {
    const event = eventsIn(state).find((e) => moveOf(e) === move);
    const [next] = event ? transition(machine, state, event) : [state];
    if (!event || next === state) return { refused: `The model does not take ${move} in ${JSON.stringify(state.value)}` };
    steps.push({ state: next, event });
    state = next;
  }
  return { path: { state, steps, weight: moves.length } };
}
