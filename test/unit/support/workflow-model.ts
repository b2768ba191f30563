import { expect, it } from 'vitest';
import { initialTransition, transition, type EventObject, type Snapshot, type StateValue } from 'xstate';
import { createTestModel, getStateNodes, type StatePath } from 'xstate/graph';
import { verifyAuditChain } from '../../../engine/audit/audit-chain.js';
import {
  EVENT_BY_OUTCOME,
  INTAKE_DEPARTMENT,
  LEAD_DEPARTMENT,
  TASK_OUTCOMES,
  type CaseContext,
  type CaseEvent,
  type OpenTaskParams,
  type StartPeriodParams,
} from '../../../engine/definitions/case-machine.js';
import { stateLabel } from '../../../engine/case-snapshot.js';
import { CASE_OUTCOME_TAGS, type CompiledDefinition, type ProcessDefinition } from '../../../engine/definitions/process-definition.js';
import type { ServiceItem } from '../../../engine/service-item.js';
import { deadline } from '../../../engine/time/deadline.js';
import { clockStatus } from '../../../engine/time/legal-clock.js';
import { WINDOW_CLERK } from './actors.js';
import { CaseWorld, compiledDefinition, opinionText, serviceItemOf } from './case-world.js';

/**
 * Model-based testing of a shipped workflow with `xstate/graph`: the definition's own machine is the model,
 * the pure engine (`planCaseStart`/`decideCommand` applied by `CaseWorld`) is the system under test. Every
 * path the model yields is replayed as commands and timer firings, and after each step the case must agree
 * with the model and keep the engine's invariants.
 */

/** What the tests read of the model's snapshots (XState types the machine's snapshots loosely). */
export type ModelSnapshot = Snapshot<unknown> & {
  readonly value: StateValue;
  readonly context: CaseContext;
  matches(value: StateValue): boolean;
  hasTag(tag: string): boolean;
};

interface EntryAction {
  readonly type: string;
  readonly params?: unknown;
}

/** The entry actions of the atomic states the snapshot is in. */
function activeEntries(definition: CompiledDefinition, snapshot: ModelSnapshot): EntryAction[] {
  return getStateNodes(definition.stateMachine.root)
    .filter((node) => node.type === 'atomic' && snapshot.matches(nestedValue(node.path)))
    .flatMap((node) => node.entry as EntryAction[]);
}

function nestedValue(path: readonly string[]): StateValue {
  const [head, ...rest] = path;
  if (head === undefined) throw new TypeError('empty state path');
  return rest.length === 0 ? head : { [head]: nestedValue(rest) };
}

/** What the model says must be open in this state: the tasks its active states opened on entry. */
export function modelOpenTasks(definition: CompiledDefinition, snapshot: ModelSnapshot): OpenTaskParams[] {
  return activeEntries(definition, snapshot)
    .filter((a) => a.type === 'openTask')
    .map((a) => a.params as OpenTaskParams);
}

function modelPeriods(definition: CompiledDefinition, snapshot: ModelSnapshot): string[] {
  return activeEntries(definition, snapshot)
    .filter((a) => a.type === 'startPeriod')
    .map((a) => (a.params as StartPeriodParams).period);
}

/** The department a task of the definition lands in for a case led by `leadDepartment`. */
function departmentOf(task: OpenTaskParams, leadDepartment: string): string {
  if (task.department === LEAD_DEPARTMENT) return leadDepartment;
  if (task.department === INTAKE_DEPARTMENT) return WINDOW_CLERK.departmentCode;
  return task.department;
}

/**
 * The concrete events possible in a state: every outcome of every open task (with the department and, for
 * rejections and returns, the reasons the engine will put in), a supplement, the end of a running period.
 * `createTestModel` keeps the ones the state handles.
 */
export function caseEvents(definition: ProcessDefinition, item: ServiceItem = serviceItemOf(definition)): (snapshot: ModelSnapshot) => CaseEvent[] {
  const compiled = compiledDefinition(definition);
  return (snapshot) => [
    ...modelOpenTasks(compiled, snapshot).flatMap((task) =>
      TASK_OUTCOMES.map((outcome): CaseEvent => ({
        type: EVENT_BY_OUTCOME[outcome],
        task: task.task,
        department: departmentOf(task, item.leadDepartment),
        ...(outcome === 'approve' ? {} : { reason: opinionText(task.task, outcome) }),
      })),
    ),
    { type: 'supplement.submitted' },
    ...modelPeriods(compiled, snapshot).map((period): CaseEvent => ({ type: 'period.ended', period })),
  ];
}

/** An event written as a move: `review.fire:reject`, `supplement`, `period:publicNotice`. */
export function moveOf(event: EventObject): string {
  const { task, period } = event as { task?: string; period?: string };
  const outcome = TASK_OUTCOMES.find((o) => EVENT_BY_OUTCOME[o] === event.type);
  if (task && outcome) return `${task}:${outcome}`;
  if (event.type === 'supplement.submitted') return 'supplement';
  if (event.type === 'period.ended') return `period:${period ?? ''}`;
  return event.type;
}

/**
 * States are told apart by their value only (not the context, which only records history), and a top-level
 * state also by the event that reached it: so the shortest paths take every way into every final state
 * (each department's rejection, the decision's refusal, ...) while the parallel reviews stay at one vertex
 * per combination of region states.
 */
function vertexKey(snapshot: ModelSnapshot, event: EventObject | undefined): string {
  const value = JSON.stringify(snapshot.value);
  return typeof snapshot.value === 'string' && event ? `${value} <- ${moveOf(event)}` : value;
}

/**
 * The `xstate/graph` test model of a definition (run under its shipped service item unless `item` is given),
 * offering the events of its open tasks in each state.
 */
export function workflowModel(definition: ProcessDefinition, item: ServiceItem = serviceItemOf(definition)) {
  return createTestModel(compiledDefinition(definition).stateMachine, {
    events: caseEvents(definition, item),
    // XState lists its internal `xstate.done.state.*` events among a state's events; nobody outside sends them.
    filterEvents: (_, event) => !event.type.startsWith('xstate.'),
    serializeState: vertexKey,
  });
}

export type WorkflowModel = ReturnType<typeof workflowModel>;
/** A path of the model; its events are the engine's `CaseEvent`s. */
export type ModelPath = StatePath<ModelSnapshot, EventObject>;

/** The moves of a path, in the notation `pathOf` reads. */
export const movesOf = (path: ModelPath): string[] => path.steps.slice(1).map((s) => moveOf(s.event));

/** How the paths end in final states: `refused <- decision:reject`. */
export const endingsOf = (paths: readonly ModelPath[]): Set<string> =>
  new Set(paths.filter((p) => p.state.status === 'done').map((p) => `${stateLabel(p.state.value)} <- ${movesOf(p).at(-1) ?? 'start'}`));

export const pathName = (path: ModelPath): string =>
  `${stateLabel(path.state.value)} via ${movesOf(path).join(' → ') || 'start'}`;

/**
 * A path through the model from moves written `task:outcome`, `supplement` or `period:name`; each move
 * must be one the model takes in the state reached so far.
 */
export function pathOf(definition: ProcessDefinition, moves: readonly string[], item: ServiceItem = serviceItemOf(definition)): ModelPath {
  const machine = compiledDefinition(definition).stateMachine;
  const eventsIn = caseEvents(definition, item);
  let [state] = initialTransition(machine);
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

export interface WorkflowExpectations {
  /** Whether the case's licence must have been issued once the machine is in this state. */
  readonly licenceIssued: (snapshot: ModelSnapshot) => boolean;
}

/**
 * Replays a model path on a fresh case, checking the invariants after every step; returns the case.
 * The graph keeps one snapshot per vertex, whatever path found it, so the expected context comes from
 * running the path's own events through the machine alongside the engine.
 */
async function replay(
  model: WorkflowModel,
  definition: ProcessDefinition,
  path: ModelPath,
  expectations: WorkflowExpectations,
  item: ServiceItem,
): Promise<CaseWorld> {
  const machine = compiledDefinition(definition).stateMachine;
  const world = CaseWorld.start(definition, { serviceItem: item });
  let [expected]: [ModelSnapshot, ...unknown[]] = initialTransition(machine);
  const send = (step: { event: { type: string } }) => {
    const event = step.event as CaseEvent;
    world.send(event);
    [expected] = transition(machine, expected, event);
  };
  await model.testPath(path, {
    events: { 'task.approved': send, 'task.rejected': send, 'task.returned': send, 'supplement.submitted': send, 'period.ended': send },
    states: {
      '*': (snapshot) => {
        expect(expected.value).toEqual(snapshot.value);
        expectInvariants(world, expected, expectations);
      },
    },
  });
  return world;
}

/** The case agrees with the model's state and keeps the engine's invariants. */
export function expectInvariants(world: CaseWorld, snapshot: ModelSnapshot, expectations: WorkflowExpectations): void {
  const definition = world.definition;
  const done = snapshot.status === 'done';
  expect(world.case.stateLabel).toBe(stateLabel(snapshot.value));
  expect(world.case.status).toBe(done ? (snapshot.hasTag(CASE_OUTCOME_TAGS.approved) ? 'approved' : 'refused') : 'running');
  // Rejections (and every other outcome) reach the context with the reasons given in the opinion.
  expect(world.context).toEqual(snapshot.context);
  for (const rejection of world.context.rejections) {
    expect(world.opinions).toContainEqual(expect.objectContaining({ outcome: 'reject', departmentCode: rejection.department, text: rejection.reason }));
  }
  if (world.case.status === 'refused') expect(world.context.rejections.length).toBeGreaterThan(0);
  expect(world.licences).toHaveLength(expectations.licenceIssued(snapshot) ? 1 : 0);

  // Exactly one open task per task key the model has open, in the right department, with its deadline timer.
  const expected = modelOpenTasks(definition, snapshot);
  const open = world.openTasks();
  expect(open.map((t) => t.key).sort()).toEqual(expected.map((t) => t.task).sort());
  const pending = world.pendingTimers();
  for (const params of expected) {
    const task = world.openTask(params.task);
    expect(task).toMatchObject({ kind: params.kind, title: params.title, departmentCode: departmentOf(params, world.case.leadDepartment) });
    expect(task.dueAt).toEqual(deadline(world.calendar, task.openedAt, params.workingDays, world.case.countingRule).due);
    const deadlines = pending.filter((t) => t.kind === 'task.deadline' && t.taskId === task.id);
    expect(deadlines.map((t) => t.dueAt)).toEqual([task.dueAt]);
  }
  expect(pending.filter((t) => t.kind === 'task.deadline')).toHaveLength(expected.length);
  expect(pending.filter((t) => t.kind === 'period').map((t) => t.event['period'])).toEqual(modelPeriods(definition, snapshot));
  // The case deadline follows the committed clock: no timer while it is paused, else one at the case's dueAt.
  const committedClock = world.case.clocks.find((c) => c.id === 'committed');
  const paused = committedClock !== undefined && clockStatus(committedClock, world.calendar, world.clock.now()).state === 'paused';
  expect(pending.filter((t) => t.kind === 'case.deadline').map((t) => t.dueAt)).toEqual(done || paused ? [] : [world.case.dueAt]);

  if (done) {
    // Reaching a final state closed the case: nothing left open or pending, the applicant told.
    const effects = world.lastCommit?.effects ?? [];
    expect(effects.filter((e) => e.type === 'case.close')).toEqual([expect.objectContaining({ status: world.case.status })]);
    expect(open).toEqual([]);
    expect(pending).toEqual([]);
    expect(effects).toContainEqual(expect.objectContaining({ type: 'notification.send', notification: expect.objectContaining({ audience: { applicant: true } }) }));
  }

  // One audit event per command, chained, ending at the head kept on the case.
  expect(world.case.version).toBe(world.audit.length);
  expect(verifyAuditChain(world.audit, { seq: world.case.auditSeq, hash: world.case.auditHead })).toEqual({ ok: true, length: world.audit.length });
}

/**
 * The model of a workflow with what each test file does with it: one test per model path, and targeted
 * sequences of moves replayed the same way. Cases run under the definition's shipped service item unless
 * `item` is given (a definition written for a test).
 */
export function workflowSuite(definition: ProcessDefinition, expectations: WorkflowExpectations, item: ServiceItem = serviceItemOf(definition)) {
  const model = workflowModel(definition, item);
  return {
    model,
    /** The shortest path to every vertex (see `vertexKey`). */
    shortest: model.getShortestPaths(),
    /** Declares one test per path, named by its moves, replaying it with the invariants checked at each step. */
    itReplaysEach(paths: readonly ModelPath[]): void {
      for (const path of paths) {
        it(pathName(path), async () => {
          await replay(model, definition, path, expectations, item);
        });
      }
    },
    /** Replays moves (`task:outcome`, `supplement`, `period:name`) with the invariants checked at each step. */
    replayMoves: (moves: readonly string[]): Promise<CaseWorld> => replay(model, definition, pathOf(definition, moves, item), expectations, item),
  };
}
