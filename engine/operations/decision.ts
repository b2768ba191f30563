import type { CommandResult, DecisionEnv } from './decide-command.js';
import type { CaseCommit } from '../case-effect.js';
import type { TaskRecord } from '../case-record.js';
import type { MachineStep } from '../case-snapshot.js';
import type { Decision, LockedCase } from '../case-store.js';
import type { PlanningContext } from '../effect-planner.js';

/**
 * What the effect planner needs to know of the case after `step`; `completed` is the task the command
 * completes, if any.
 */
export function planning(locked: LockedCase, env: DecisionEnv, step: MachineStep, completed: TaskRecord | null): PlanningContext {
  return {
    caseId: locked.case.id,
    leadDepartment: locked.case.leadDepartment,
    intakeDepartment: locked.case.intakeDepartment,
    applicant: locked.case.applicant,
    now: env.now,
    calendar: env.calendar,
    openTasks: locked.openTasks.filter((t) => t.id !== completed?.id),
    rejections: step.context.rejections,
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
