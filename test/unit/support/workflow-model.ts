import { expect, it } from 'vitest';
import { initialTransition, transition, type EventObject } from 'xstate';
import { createTestModel } from 'xstate/graph';
import { stateLabel } from '../../../engine/case-snapshot.js';
import type { Answer, CaseContext, CaseEvent } from '../../../engine/definitions/case-machine.js';
import type { ProcessDefinition } from '../../../engine/definitions/process-definition.js';
import type { ServiceItem } from '../../../engine/service-item.js';
import { caseEvents as eventsOfModel } from '../../../engine/simulation/case-events.js';
import { modelTraversal, movesOf, pathOf as modelPathOf, retrace, type ModelOptions as EngineModelOptions, type ModelPath } from '../../../engine/simulation/definition-model.js';
import type { CaseParties } from '../../../engine/simulation/model-state.js';
import { WINDOW_CLERK } from './actors.js';
import { CaseWorld, TEST_ANSWERS, compiledDefinition, serviceItemOf } from './case-world.js';
import { expectInvariants, type WorkflowExpectations } from './model-invariants.js';
import type { ModelSnapshot } from './model-state.js';

/**
 * Model-based testing of a workflow with `xstate/graph`: the definition's own machine is the model
 * (`engine/simulation/definition-model.ts`), the pure engine (`planCaseStart`/`decideCommand` applied by
 * `CaseWorld`) is the system under test. Every path the model yields is replayed as commands and timer firings,
 * and after each step the case must agree with the model and keep the engine's invariants (`model-invariants.ts`).
 * Moves are written as `engine/simulation/case-events.ts` says (`task:approve`, `task:return>target`, `period:name` …).
 */

export { endingsOf, movesOf, type ModelPath } from '../../../engine/simulation/definition-model.js';
export { moveOf } from '../../../engine/simulation/case-events.js';

/** How the model runs a definition: under which service item, with which application answers. */
export interface ModelOptions {
  /** The service item the cases run under; the definition's shipped one unless given (a definition written for a test). */
  readonly item?: ServiceItem;
  /** The application's answers the case starts with; `TEST_ANSWERS` unless given. */
  readonly answers?: Readonly<Record<string, Answer>>;
}

/** A test's case is led by its service item's lead department and accepted at the window (`WINDOW_CLERK`). */
const partiesOf = (definition: ProcessDefinition, item: ServiceItem = serviceItemOf(definition)): CaseParties => ({
  leadDepartment: item.leadDepartment,
  intakeDepartment: WINDOW_CLERK.departmentCode,
});

const engineOptions = (definition: ProcessDefinition, options: ModelOptions): EngineModelOptions => ({
  parties: partiesOf(definition, options.item),
  answers: options.answers ?? TEST_ANSWERS,
});

/** The concrete events a state of a test's case may take (`engine/simulation/case-events.ts`). */
export const caseEvents = (definition: ProcessDefinition, item?: ServiceItem): ((snapshot: ModelSnapshot) => CaseEvent[]) =>
  eventsOfModel(compiledDefinition(definition), partiesOf(definition, item));

/** What the graph walks besides `ModelOptions`. */
export interface GraphOptions extends ModelOptions {
  /**
   * The moves the graph offers (every one the machine takes unless restricted): a definition whose shortest
   * paths would be too many restricts them and covers the rest with targeted sequences.
   */
  readonly offers?: (move: string) => boolean;
  /** How states are told apart, when not as `exactVertex` does (a coarser key walks fewer states). */
  readonly vertex?: (snapshot: ModelSnapshot, event: EventObject | undefined) => string;
}

/** The `xstate/graph` test model of a definition (`modelTraversal`), to replay its paths with `testPath`. */
export function workflowModel(definition: ProcessDefinition, options: GraphOptions = {}) {
  const compiled = compiledDefinition(definition);
  return createTestModel(compiled.stateMachine, modelTraversal(compiled, { ...engineOptions(definition, options), offers: options.offers, vertex: options.vertex }));
}

export type WorkflowModel = ReturnType<typeof workflowModel>;

export const pathName = (path: ModelPath): string => `${stateLabel(path.state.value)} via ${movesOf(path).join(' → ') || 'start'}`;

/** A path through the model from moves; each move must be one the model takes in the state reached so far. */
export const pathOf = (definition: ProcessDefinition, moves: readonly string[], options: ModelOptions = {}): ModelPath =>
  modelPathOf(compiledDefinition(definition), moves, engineOptions(definition, options));

/**
 * Replays a model path on a fresh case, checking the invariants after every step; returns the case.
 * The graph keeps one snapshot per vertex, whatever path found it, so the expected context comes from
 * running the path's own events through the machine alongside the engine. Without expectations, the licence
 * is expected once the machine's own actions on the way issued it.
 */
async function replay(model: WorkflowModel, definition: ProcessDefinition, path: ModelPath, expectations: WorkflowExpectations | undefined, options: ModelOptions): Promise<CaseWorld> {
  const machine = compiledDefinition(definition).stateMachine;
  const { answers } = engineOptions(definition, options);
  const world = CaseWorld.start(definition, { ...(options.item ? { serviceItem: options.item } : {}), answers });
  let [expected, actions]: [ModelSnapshot, readonly { type: string }[]] = initialTransition(machine, { answers });
  let issued = actions.some(issuesLicence);
  const expecting = expectations ?? { licenceIssued: () => issued };
  let previous: CaseContext | null = null;
  const send = (step: { event: { type: string } }) => {
    const event = step.event as CaseEvent;
    previous = world.context;
    world.send(event);
    [expected, actions] = transition(machine, expected, event);
    issued ||= actions.some(issuesLicence);
  };
  const sends = Object.fromEntries(CASE_EVENT_TYPES.map((type) => [type, send]));
  await model.testPath(path, {
    events: sends,
    states: {
      '*': (snapshot) => {
        expect(expected.value).toEqual(snapshot.value);
        expectInvariants(world, expected, expecting, previous);
      },
    },
  });
  return world;
}

const issuesLicence = (action: { type: string }) => action.type === 'issueLicence';

/** Every event a model path may send, each replayed by `CaseWorld.send`. */
const CASE_EVENT_TYPES = ['task.approved', 'task.rejected', 'task.returned', 'task.withdrawn', 'members.changed', 'review.closed', 'supplement.submitted', 'period.ended'] as const;

/**
 * The model of a workflow with what each test file does with it: one test per model path, and targeted
 * sequences of moves replayed the same way. Without expectations, the licence is expected as the machine's
 * actions issue it (what a test walking every shipped definition alike expects).
 */
export function workflowSuite(definition: ProcessDefinition, expectations?: WorkflowExpectations, options: GraphOptions = {}) {
  const model = workflowModel(definition, options);
  return {
    model,
    /** The shortest path to every vertex (see `exactVertex`, or `options.vertex`). */
    shortest: model.getShortestPaths(),
    /** Declares one test per path, named by its moves, replaying it with the invariants checked at each step. */
    itReplaysEach(paths: readonly ModelPath[]): void {
      for (const path of paths) {
        it(pathName(path), async () => {
          await replay(model, definition, path, expectations, options);
        });
      }
    },
    /** The path with each state as the machine reaches it by its moves (`retrace`); null when the machine does not take them. */
    retrace: (path: ModelPath): ModelPath | null => retrace(compiledDefinition(definition), path, engineOptions(definition, options)),
    /** Replays moves (any the model takes, offered to the graph or not) with the invariants checked at each step; a case whose application answers otherwise names its `answers`. */
    replayMoves: (moves: readonly string[], answers?: Readonly<Record<string, Answer>>): Promise<CaseWorld> => {
      const run = answers ? { ...options, answers } : options;
      return replay(model, definition, pathOf(definition, moves, run), expectations, run);
    },
  };
}
