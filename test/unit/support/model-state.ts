import type { EventObject, Snapshot, StateValue } from 'xstate';
import { getStateNodes } from 'xstate/graph';
import { INTAKE_DEPARTMENT, LEAD_DEPARTMENT, type CaseContext, type OpenTaskParams, type StartPeriodParams } from '../../../engine/definitions/case-machine.js';
import type { OpenCountersignParams } from '../../../engine/definitions/countersign.js';
import type { CompiledDefinition } from '../../../engine/definitions/process-definition.js';
import { WINDOW_CLERK } from './actors.js';

/**
 * What a model-based test reads of the model's state: the tasks and periods its active states have open. The
 * model is the definition's own machine; what it says is open is read from the machine's entry actions and its
 * context, not from the engine's planner, so that the engine is checked against the definition.
 */

/** What the tests read of the model's snapshots (XState types the machine's snapshots loosely). */
export type ModelSnapshot = Snapshot<unknown> & {
  readonly value: StateValue;
  readonly context: CaseContext;
  matches(value: StateValue): boolean;
  hasTag(tag: string): boolean;
  can(event: EventObject): boolean;
};

interface EntryAction {
  readonly type: string;
  readonly params?: unknown;
}

/** The entry actions of the atomic states the snapshot is in (read once per snapshot: every check asks for them). */
function activeEntries(definition: CompiledDefinition, snapshot: ModelSnapshot): EntryAction[] {
  let entries = entriesBySnapshot.get(snapshot);
  if (!entries) {
    entries = atomicStates(definition)
      .filter(({ value }) => snapshot.matches(value))
      .flatMap(({ entry }) => entry);
    entriesBySnapshot.set(snapshot, entries);
  }
  return entries;
}

const entriesBySnapshot = new WeakMap<object, EntryAction[]>();
const atomicByDefinition = new WeakMap<CompiledDefinition, { value: StateValue; entry: EntryAction[] }[]>();

function atomicStates(definition: CompiledDefinition): { value: StateValue; entry: EntryAction[] }[] {
  let states = atomicByDefinition.get(definition);
  if (!states) {
    states = getStateNodes(definition.stateMachine.root)
      .filter((node) => node.type === 'atomic')
      .map((node) => ({ value: nestedValue(node.path), entry: node.entry as EntryAction[] }));
    atomicByDefinition.set(definition, states);
  }
  return states;
}

function nestedValue(path: readonly string[]): StateValue {
  const [head, ...rest] = path;
  if (head === undefined) throw new TypeError('empty state path');
  return rest.length === 0 ? head : { [head]: nestedValue(rest) };
}

/**
 * What the model says must be open in this state: the tasks its active states opened on entry, and the
 * signers' tasks of an active countersign step — every undecided signer, in `sequential` mode only the first
 * undecided one, and nobody once the step is decided.
 */
export function modelOpenTasks(definition: CompiledDefinition, snapshot: ModelSnapshot): OpenTaskParams[] {
  return [
    ...activeEntries(definition, snapshot)
      .filter((a) => a.type === 'openTask')
      .map((a) => a.params as OpenTaskParams),
    ...activeCountersigns(definition, snapshot).flatMap((step) => signersOpen(snapshot.context, step)),
  ];
}

/** The countersign steps whose state the snapshot is in, by name. */
export function activeCountersigns(definition: CompiledDefinition, snapshot: ModelSnapshot): string[] {
  return activeEntries(definition, snapshot)
    .filter((a) => a.type === 'openCountersign')
    .map((a) => (a.params as OpenCountersignParams).step);
}

function signersOpen(context: CaseContext, name: string): OpenTaskParams[] {
  const step = context.countersigns?.[name];
  if (!step || step.outcome !== null) return [];
  const undecided = step.signers.filter((s) => s.vote === null);
  return (step.mode === 'sequential' ? undecided.slice(0, 1) : undecided).map((s) => ({
    task: s.task,
    kind: step.kind,
    title: step.title,
    department: s.department,
    workingDays: step.workingDays,
    ...(s.person === null ? {} : { signer: s.person }),
  }));
}

/** The periods (公示 …) the active states started. */
export function modelPeriods(definition: CompiledDefinition, snapshot: ModelSnapshot): string[] {
  return activeEntries(definition, snapshot)
    .filter((a) => a.type === 'startPeriod')
    .map((a) => (a.params as StartPeriodParams).period);
}

/** The department a task of the definition lands in for a case led by `leadDepartment`. */
export function departmentOf(task: Pick<OpenTaskParams, 'department'>, leadDepartment: string): string {
  if (task.department === LEAD_DEPARTMENT) return leadDepartment;
  if (task.department === INTAKE_DEPARTMENT) return WINDOW_CLERK.departmentCode;
  return task.department;
}
