import type { AnyStateNode, EventObject, Snapshot, StateValue } from 'xstate';
import { INTAKE_DEPARTMENT, LEAD_DEPARTMENT, type CaseContext, type OpenTaskParams, type StartPeriodParams } from '../definitions/case-machine.js';
import type { OpenCountersignParams } from '../definitions/countersign.js';
import type { CompiledDefinition } from '../definitions/process-definition.js';

/**
 * What a model of a definition says of its state: the tasks and periods its active states have open. The model
 * is the definition's own machine; what it says is open is read from the machine's entry actions and its
 * context, not from the engine's planner, so that a model-based test checks the engine against the definition.
 */

/** What is read of the model's snapshots (XState types the machine's snapshots loosely). */
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
    entries = activeLeaves(definition.stateMachine.root, snapshot.value)
      .filter((node) => node.type === 'atomic')
      .flatMap((node) => node.entry as EntryAction[]);
    entriesBySnapshot.set(snapshot, entries);
  }
  return entries;
}

const entriesBySnapshot = new WeakMap<object, EntryAction[]>();

/** The innermost states a value names, read down the machine's tree (as quick as the value is deep). */
function activeLeaves(node: AnyStateNode, value: StateValue): AnyStateNode[] {
  if (typeof value === 'string') return node.states[value] ? [node.states[value]] : [];
  return Object.entries(value).flatMap(([key, inner]) => {
    const child = node.states[key];
    return child && inner !== undefined ? activeLeaves(child, inner) : [];
  });
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

/** The departments a case's `lead` and `intake` tasks land in: its service item's lead, the window that accepted it. */
export interface CaseParties {
  readonly leadDepartment: string;
  readonly intakeDepartment: string;
}

/** The department a task of the definition lands in for a case with these parties. */
export function departmentOf(task: Pick<OpenTaskParams, 'department'>, parties: CaseParties): string {
  if (task.department === LEAD_DEPARTMENT) return parties.leadDepartment;
  if (task.department === INTAKE_DEPARTMENT) return parties.intakeDepartment;
  return task.department;
}
