import type { CaseCommit } from '../case-effect.js';
import { isOpenCase, type CaseRecord, type TaskRecord } from '../case-record.js';
import { stepMachine, type MachineStep } from '../case-snapshot.js';
import type { Decision, LockedCase } from '../case-store.js';
import type { CompiledDefinition } from '../definitions/process-definition.js';
import type { CaseEvent, TaskOutcome } from '../definitions/case-machine.js';
import type { PlanningContext } from '../effect-planner.js';
import { CaseClosedError, CaseSuspendedError, CommandNotAcceptedError } from '../errors.js';
import type { TaskId } from '../ids.js';
import type { ServiceItem } from '../service-item.js';
import type { WorkingCalendar } from '../time/working-calendar.js';
import type { Substitution } from '../substitution.js';
import type { Licensing } from '../licences/electronic-licence.js';

/**
 * The vocabulary every operation decides in: what it is given (`DecisionEnv`), what it answers
 * (`CommandResult`), and the small steps they share. It imports no operation, so operations import it
 * and never each other.
 */

export interface DecisionEnv {
  readonly definition: CompiledDefinition;
  readonly calendar: WorkingCalendar;
  readonly now: Date;
  /**
   * The case's service item at the version it pins: given with the case file (a reference asking for `caseFile`),
   * which is where its materials are needed (a supplement request names them, 一次性告知).
   */
  readonly serviceItem?: ServiceItem;
  /**
   * The windows (代理) holding now of the named signers whose tasks the command opens: given when the engine decides
   * again after a first decision opened such tasks (`Engine`), so that each opens for its signer's substitute.
   */
  readonly substitutions?: readonly Substitution[];
  /** What a licence the command issues is signed with (`Engine`); none in a simulation. */
  readonly licensing?: Licensing | undefined;
}

/** What the caller learns after a command. */
export interface CommandResult {
  readonly caseId: string;
  readonly version: number;
  readonly status: string;
  readonly state: string;
  /** False when the command was a repeat that changed nothing (a timer fired twice, a repeated claim). */
  readonly changed: boolean;
  /** The supervision notice the command issued (`supervision-notice.issue`). */
  readonly noticeId?: string;
}

/**
 * What the effect planner needs to know of the case after `step`; `completed` is the task the command
 * completes, if any, and how.
 */
export function planning(
  locked: LockedCase,
  env: DecisionEnv,
  step: MachineStep,
  completed: { readonly task: TaskRecord; readonly outcome: TaskOutcome } | null,
  reopened: TaskRecord | null = null,
): PlanningContext {
  return {
    caseId: locked.case.id,
    leadDepartment: locked.case.leadDepartment,
    intakeDepartment: locked.case.intakeDepartment,
    applicant: locked.case.applicant,
    now: env.now,
    calendar: env.calendar,
    countingRule: locked.case.countingRule,
    openTasks: locked.openTasks.filter((t) => t.id !== completed?.task.id),
    rejections: step.context.rejections,
    clocks: locked.case.clocks,
    completed: completed ? { key: completed.task.key, outcome: completed.outcome } : null,
    reopened: reopened?.key ?? null,
    substitutions: env.substitutions ?? [],
    countersigns: step.context.countersigns,
    licensing: env.licensing,
  };
}

/** A decision that writes `commit`, answered with the case as it will be. */
export function committed(commit: CaseCommit): Decision<CommandResult> {
  return {
    commit,
    result: {
      caseId: commit.caseId,
      version: commit.next.version,
      status: commit.next.status,
      state: commit.next.stateLabel,
      changed: true,
    },
  };
}

/** A decision that writes nothing (a repeat), answered with the case as it is. */
export function unchanged(locked: LockedCase): Decision<CommandResult> {
  const c = locked.case;
  return {
    commit: null,
    result: { caseId: c.id, version: c.version, status: c.status, state: c.stateLabel, changed: false },
  };
}

/** Every command on a case's work needs it running: a suspended case (中止) waits for its resumption, a closed one takes nothing. */
export function assertRunning(record: CaseRecord): void {
  if (record.status === 'suspended') throw new CaseSuspendedError(record.id);
  assertOpen(record);
}

/** What may end or resume a suspended case (撤件, 终止, 恢复) needs it still to be decided: running or suspended. */
export function assertOpen(record: CaseRecord): void {
  if (!isOpenCase(record.status)) throw new CaseClosedError(record.id, record.status);
}

/** The machine's step on `event`; refused (409) when the case, in its current state, does not take it. */
export function acceptedStep(locked: LockedCase, event: CaseEvent, env: DecisionEnv): MachineStep {
  const step = stepMachine(env.definition, locked.case.snapshot, event);
  if (!step.accepted) throw new CommandNotAcceptedError(locked.case.id, event.type, step.stateLabel);
  return step;
}

/** The open tasks by key and their ids: what `followClocks` needs to move a task's deadline with its clock. */
export function openTaskIndex(openTasks: readonly TaskRecord[]): { byKey: ReadonlyMap<string, TaskId>; ids: ReadonlySet<string> } {
  return { byKey: new Map(openTasks.map((t) => [t.key, t.id])), ids: new Set<string>(openTasks.map((t) => t.id)) };
}
