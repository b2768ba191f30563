import { initialTransition, transition, type ExecutableActionObject } from 'xstate';
import { caseMachineSetup, type CaseContext, type CaseEvent, type CaseInput } from './definitions/case-machine.js';
import { withPeriodExits } from './definitions/period-exits.js';
import type { CaseStatus } from './case-record.js';
import { CASE_OUTCOME_TAGS, type CompiledDefinition } from './definitions/process-definition.js';

/** One step of a case's machine, computed with XState's pure functions: nothing is executed. */
export interface MachineStep {
  /** False when the machine ignored the event: same snapshot, no actions. */
  readonly accepted: boolean;
  /** JSON to store; `restoreSnapshot` gives back a snapshot that behaves the same. */
  readonly snapshot: unknown;
  readonly stateLabel: string;
  readonly status: CaseStatus;
  /** The machine's context after the step: the outcomes and rejections recorded so far. */
  readonly context: CaseContext;
  readonly actions: readonly ExecutableActionObject[];
}

type Snapshot = ReturnType<CompiledDefinition['stateMachine']['resolveState']>;

export function startMachine(definition: CompiledDefinition, input?: CaseInput): MachineStep {
  const [snapshot, actions] = initialTransition(definition.stateMachine, input);
  return describe(definition, snapshot, actions, true);
}

export function stepMachine(definition: CompiledDefinition, stored: unknown, event: CaseEvent): MachineStep {
  const current = restoreSnapshot(definition, stored);
  const [next, actions] = transition(definition.stateMachine, current, event);
  return describe(definition, next, actions, next !== current || actions.length > 0);
}

/** The state a migration passes through on its way into its targets: never stored, never a target. */
const ENTERING = '__entering';

/**
 * The step that puts a case with `context` into the states `targets` (state node ids) of `definition`, as entering
 * them would: XState enters them from the root, with their entry actions (the tasks, periods and delays they start)
 * and any eventless transition they then take. A case migrated between versions (`migrate-case.ts`) enters so.
 * The machine is built for the occasion, starting in a passing state whose one eventless transition goes to the
 * targets; the root's own entry is left out: it ran when the case started, and the case does not start again.
 * `keep` gives back what of the context entering must not change (a tally under way); by default, all it changed stays.
 */
export function enterStates(definition: CompiledDefinition, targets: readonly string[], context: CaseContext, keep: (entered: CaseContext) => CaseContext = (c) => c): MachineStep {
  const { entry: _startedWithTheCase, states, ...machine } = withPeriodExits(definition.machine);
  const entering = caseMachineSetup.createMachine({
    ...machine,
    context: () => context,
    initial: ENTERING,
    states: { ...states, [ENTERING]: { always: { target: targets.map((id) => `#${id}`) } } },
  });
  const [entered, actions] = initialTransition(entering);
  const snapshot = definition.stateMachine.resolveState({ value: entered.value, context: keep(entered.context) });
  return describe(definition, snapshot, actions, true);
}

/** Restores a stored snapshot; XState's `after` timers are not in it: durable time lives in the timers table. */
export function restoreSnapshot(definition: CompiledDefinition, stored: unknown): Snapshot {
  return definition.stateMachine.resolveState(stored as Parameters<CompiledDefinition['stateMachine']['resolveState']>[0]);
}

function describe(definition: CompiledDefinition, snapshot: Snapshot, actions: ExecutableActionObject[], accepted: boolean): MachineStep {
  return {
    accepted,
    snapshot: definition.stateMachine.getPersistedSnapshot(snapshot),
    stateLabel: stateLabel(snapshot.value),
    status: caseStatus(snapshot),
    context: snapshot.context,
    actions,
  };
}

function caseStatus(snapshot: Snapshot): CaseStatus {
  if (snapshot.status !== 'done') return 'running';
  return snapshot.hasTag(CASE_OUTCOME_TAGS.approved) ? 'approved' : 'refused';
}

/** The top-level state(s), e.g. `jointReview`; enough for inbox and supervision queries. */
export function stateLabel(value: unknown): string {
  if (typeof value === 'string') return value;
  return Object.keys(value as object).join('+');
}
