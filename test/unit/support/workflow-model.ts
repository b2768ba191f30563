import { expect, it } from 'vitest';
import { initialTransition, transition, type EventObject } from 'xstate';
import { createTestModel, type StatePath } from 'xstate/graph';
import { stateLabel } from '../../../engine/case-snapshot.js';
import { EVENT_BY_OUTCOME, TASK_OUTCOMES, type Answer, type CaseContext, type CaseEvent, type CaseInput, type OpenTaskParams } from '../../../engine/definitions/case-machine.js';
import { declaredGuards } from '../../../engine/definitions/declared-guards.js';
import { declaredReturns } from '../../../engine/definitions/declared-returns.js';
import type { ProcessDefinition } from '../../../engine/definitions/process-definition.js';
import { joinsReview, type MembershipParams } from '../../../engine/definitions/review-membership.js';
import type { ServiceItem } from '../../../engine/service-item.js';
import { CaseWorld, TEST_ANSWERS, compiledDefinition, opinionText, serviceItemOf } from './case-world.js';
import { expectInvariants, type WorkflowExpectations } from './model-invariants.js';
import { activeCountersigns, departmentOf, modelOpenTasks, modelPeriods, type ModelSnapshot } from './model-state.js';

/**
 * Model-based testing of a shipped workflow with `xstate/graph`: the definition's own machine is the model,
 * the pure engine (`planCaseStart`/`decideCommand` applied by `CaseWorld`) is the system under test. Every
 * path the model yields is replayed as commands and timer firings, and after each step the case must agree
 * with the model and keep the engine's invariants (`model-invariants.ts`).
 *
 * Moves are written `task:approve`, `task:reject`, `task:return` (a return the definition fixes) or
 * `task:return>target` (one of the targets it declares), `task:withdraw` (撤回), `review:join dept` /
 * `review:leave dept` (the lead's change of a joint review's members), `review:close`, `supplement`,
 * `period:name`.
 */

/** How the model runs a definition: under which service item, with which application answers. */
export interface ModelOptions {
  /** The service item the cases run under; the definition's shipped one unless given (a definition written for a test). */
  readonly item?: ServiceItem;
  /** The application's answers the case starts with; `TEST_ANSWERS` unless given. */
  readonly answers?: Readonly<Record<string, Answer>>;
}

const inputOf = (options: ModelOptions): CaseInput => ({ answers: options.answers ?? TEST_ANSWERS });

/** The reason the lead gives for a change of members, as the model and `CaseWorld.send` write it. */
const memberChangeReason = (department: string, joins: boolean) => `${department}: ${joins ? '需要参加 needed' : '无需参加 not needed'} — the lead's reason`;

/**
 * The concrete events a state may take: every outcome of every open task (with the department and, for
 * rejections and returns, the reasons the engine will put in; a return to each target the definition declares
 * for the task), the withdrawal of every outcome the context holds for a task not open now, the lead's change
 * of each optional member of a joint review (the one that would change whether it takes part), the closing of
 * each joint review that may be closed, a supplement, the end of a running period. The model keeps those the
 * machine takes (`workflowModel`).
 */
export function caseEvents(definition: ProcessDefinition, item: ServiceItem = serviceItemOf(definition)): (snapshot: ModelSnapshot) => CaseEvent[] {
  const compiled = compiledDefinition(definition);
  const returns = declaredReturns(definition);
  const optional = declaredGuards<MembershipParams>(definition.machine, 'skipsReview').filter((m) => !m.required);
  const closable = [...new Set(declaredGuards<{ review: string }>(definition.machine, 'reviewClosable').map((p) => p.review))];
  return (snapshot) => {
    const open = modelOpenTasks(compiled, snapshot);
    return [
      ...open.flatMap((task) => outcomeEvents(task, departmentOf(task, item.leadDepartment), returns.get(task.task) ?? [])),
      ...withdrawals(snapshot.context, new Set(open.map((t) => t.task))),
      ...optional.map((m): CaseEvent => {
        const joins = !joinsReview(snapshot.context, m);
        return { type: 'members.changed', review: m.review, department: m.department, joins, reason: memberChangeReason(m.department, joins) };
      }),
      ...closable.map((review): CaseEvent => ({ type: 'review.closed', review })),
      { type: 'supplement.submitted' },
      ...modelPeriods(compiled, snapshot).map((period): CaseEvent => ({ type: 'period.ended', period })),
    ];
  };
}

function outcomeEvents(task: OpenTaskParams, department: string, targets: readonly { readonly to: string }[]): CaseEvent[] {
  return TASK_OUTCOMES.flatMap((outcome): CaseEvent[] => {
    const event = { type: EVENT_BY_OUTCOME[outcome], task: task.task, department, ...(outcome === 'approve' ? {} : { reason: opinionText(task.task, outcome) }) };
    if (outcome !== 'return' || targets.length === 0) return [event];
    return targets.map((r) => ({ ...event, type: 'task.returned', to: r.to }));
  });
}

/** 撤回: an outcome the context holds, of a task not open now (a task reopened since has nothing to take back). */
const withdrawals = (context: CaseContext, open: ReadonlySet<string>): CaseEvent[] =>
  Object.entries(context.outcomes)
    .filter(([task]) => !open.has(task))
    .map(([task, record]) => ({ type: 'task.withdrawn', task, department: record.department }));

/** An event written as a move (see the top of this file). */
export function moveOf(event: EventObject): string {
  const e = event as CaseEvent;
  switch (e.type) {
    case 'task.approved':
    case 'task.rejected':
      return `${e.task}:${e.type === 'task.approved' ? 'approve' : 'reject'}`;
    case 'task.returned':
      return `${e.task}:return${e.to ? `>${e.to}` : ''}`;
    case 'task.withdrawn':
      return `${e.task}:withdraw`;
    case 'members.changed':
      return `${e.review}:${e.joins ? 'join' : 'leave'} ${e.department}`;
    case 'review.closed':
      return `${e.review}:close`;
    case 'supplement.submitted':
      return 'supplement';
    case 'period.ended':
      return `period:${e.period}`;
    default:
      return e.type;
  }
}

/**
 * States are told apart by their value (not the context, which mostly records history), a top-level state
 * also by the event that reached it, and a countersign step in progress by how many have approved and rejected
 * (what decides where its next vote leads): so the shortest paths take every way into every final state (each
 * department's rejection, the decision's refusal, each signer's deciding vote, ...) while the parallel reviews
 * stay at one vertex per combination of region states.
 */
const vertexKey = (definition: ProcessDefinition) => (snapshot: ModelSnapshot, event: EventObject | undefined): string => {
  const value = JSON.stringify(snapshot.value);
  const count = (step: string, vote: 'approve' | 'reject') => snapshot.context.countersigns?.[step]?.signers.filter((s) => s.vote === vote).length ?? 0;
  const votes = activeCountersigns(compiledDefinition(definition), snapshot).map((step) => ` ${step}:${count(step, 'approve')}+${count(step, 'reject')}-`);
  return (typeof snapshot.value === 'string' && event ? `${value} <- ${moveOf(event)}` : value) + votes.join('');
};

/**
 * The `xstate/graph` test model of a definition, offering in each state the events of `caseEvents` the machine
 * takes there (those the engine accepts as a command) and `offers` lets through.
 */
export function workflowModel(definition: ProcessDefinition, options: GraphOptions = {}) {
  const eventsIn = caseEvents(definition, options.item);
  const vertexOf = vertexKey(definition);
  const offered = new WeakMap<object, readonly CaseEvent[]>();
  const offeredIn = (snapshot: ModelSnapshot) => {
    let events = offered.get(snapshot);
    // `can`: some transition is enabled for the event, with a target or actions — what the engine accepts.
    if (!events) offered.set(snapshot, (events = eventsIn(snapshot).filter((e) => snapshot.can(e) && (options.offers?.(moveOf(e)) ?? true))));
    return events;
  };
  return createTestModel(compiledDefinition(definition).stateMachine, {
    input: inputOf(options),
    events: offeredIn,
    // `createTestModel` adds a bare `{ type }` for every event type a state handles that we did not offer
    // (XState's own `xstate.done.state.*` among them): only the events offered are taken.
    filterEvents: (snapshot, event) => offeredIn(snapshot as ModelSnapshot).includes(event as CaseEvent),
    serializeState: (snapshot, event) => options.vertex?.(snapshot as ModelSnapshot) ?? vertexOf(snapshot as ModelSnapshot, event),
  });
}

/** What the graph walks besides `ModelOptions`. */
export interface GraphOptions extends ModelOptions {
  /**
   * The moves the graph offers (every one the machine takes unless restricted): a definition whose shortest
   * paths would be too many restricts them and covers the rest with targeted sequences.
   */
  readonly offers?: (move: string) => boolean;
  /** How states are told apart, when not as `vertexKey` does (a coarser key walks fewer states). */
  readonly vertex?: (snapshot: ModelSnapshot) => string;
}

export type WorkflowModel = ReturnType<typeof workflowModel>;
/** A path of the model; its events are the engine's `CaseEvent`s. */
export type ModelPath = StatePath<ModelSnapshot, EventObject>;

/** The moves of a path, in the notation `pathOf` reads. */
export const movesOf = (path: ModelPath): string[] => path.steps.slice(1).map((s) => moveOf(s.event));

/** How the paths end in final states: `refused <- decision:reject`. */
export const endingsOf = (paths: readonly ModelPath[]): Set<string> =>
  new Set(paths.filter((p) => p.state.status === 'done').map((p) => `${stateLabel(p.state.value)} <- ${movesOf(p).at(-1) ?? 'start'}`));

export const pathName = (path: ModelPath): string => `${stateLabel(path.state.value)} via ${movesOf(path).join(' → ') || 'start'}`;

/** A path through the model from moves; each move must be one the model takes in the state reached so far. */
export function pathOf(definition: ProcessDefinition, moves: readonly string[], options: ModelOptions = {}): ModelPath {
  const machine = compiledDefinition(definition).stateMachine;
  const eventsIn = caseEvents(definition, options.item);
  let [state] = initialTransition(machine, inputOf(options));
  const steps: ModelPath['steps'] = [{ state, event: { type: 'xstate.init' } }];
  for (const move of moves) {
    const event = eventsIn(state).find((e) => moveOf(e) === move);
    const [next] = event ? transition(machine, state, event) : [state];
    if (!event || next === state) throw new Error(`The model does not take ${move} in ${JSON.stringify(state.value)}`);
    steps.push({ state: next, event });
    state = next;
  }
  return { state, steps, weight: moves.length };
}

/**
 * Replays a model path on a fresh case, checking the invariants after every step; returns the case.
 * The graph keeps one snapshot per vertex, whatever path found it, so the expected context comes from
 * running the path's own events through the machine alongside the engine.
 */
async function replay(model: WorkflowModel, definition: ProcessDefinition, path: ModelPath, expectations: WorkflowExpectations, options: ModelOptions): Promise<CaseWorld> {
  const machine = compiledDefinition(definition).stateMachine;
  const input = inputOf(options);
  const world = CaseWorld.start(definition, { ...(options.item ? { serviceItem: options.item } : {}), answers: input.answers });
  let [expected]: [ModelSnapshot, ...unknown[]] = initialTransition(machine, input);
  let previous: CaseContext | null = null;
  const send = (step: { event: { type: string } }) => {
    const event = step.event as CaseEvent;
    previous = world.context;
    world.send(event);
    [expected] = transition(machine, expected, event);
  };
  const sends = Object.fromEntries(CASE_EVENT_TYPES.map((type) => [type, send]));
  await model.testPath(path, {
    events: sends,
    states: {
      '*': (snapshot) => {
        expect(expected.value).toEqual(snapshot.value);
        expectInvariants(world, expected, expectations, previous);
      },
    },
  });
  return world;
}

/** Every event a model path may send, each replayed by `CaseWorld.send`. */
const CASE_EVENT_TYPES = ['task.approved', 'task.rejected', 'task.returned', 'task.withdrawn', 'members.changed', 'review.closed', 'supplement.submitted', 'period.ended'] as const;

/**
 * The model of a workflow with what each test file does with it: one test per model path, and targeted
 * sequences of moves replayed the same way.
 */
export function workflowSuite(definition: ProcessDefinition, expectations: WorkflowExpectations, options: GraphOptions = {}) {
  const model = workflowModel(definition, options);
  return {
    model,
    /** The shortest path to every vertex (see `vertexKey`). */
    shortest: model.getShortestPaths(),
    /** Declares one test per path, named by its moves, replaying it with the invariants checked at each step. */
    itReplaysEach(paths: readonly ModelPath[]): void {
      for (const path of paths) {
        it(pathName(path), async () => {
          await replay(model, definition, path, expectations, options);
        });
      }
    },
    /** Replays moves (any the model takes, offered to the graph or not) with the invariants checked at each step; a case whose application answers otherwise names its `answers`. */
    replayMoves: (moves: readonly string[], answers?: Readonly<Record<string, Answer>>): Promise<CaseWorld> => {
      const run = answers ? { ...options, answers } : options;
      return replay(model, definition, pathOf(definition, moves, run), expectations, run);
    },
  };
}
