import { randomUUID } from 'node:crypto';
import type { Actor } from '../access/actor.js';
import { authorizeSupplement, authorizeTaskAction, authorizeUrge } from '../access/authorization-policy.js';
import { buildCommit } from '../case-commit.js';
import type { ClaimTask, CaseCommand, CompleteTask, ReadPersonalData, SubmitSupplement, UrgeTask } from '../case-command.js';
import type { CaseEffect } from '../case-effect.js';
import { EVENT_BY_OUTCOME, type CaseEvent } from '../definitions/case-machine.js';
import type { CaseRecord, TaskRecord } from '../case-record.js';
import { stepMachine, type MachineStep } from '../case-snapshot.js';
import type { Decision, LockedCase } from '../case-store.js';
import { committed, planning, unchanged } from './decision.js';
import { notify, planEffects } from '../effect-planner.js';
import {
  CaseClosedError,
  CaseVersionConflictError,
  CommandNotAcceptedError,
  InvalidCommandError,
  TaskClaimedByOtherError,
  TaskNotActionableError,
  TaskNotFoundError,
} from '../errors.js';
import type { CompiledDefinition } from '../definitions/process-definition.js';
import { authorize } from '../access/permission-matrix.js';
import { releaseTask } from './release-task.js';
import { fireTimers } from './fire-timers.js';
import { retryIncident } from './retry-incident.js';
import type { WorkingCalendar } from '../time/working-calendar.js';

export interface DecisionEnv {
  readonly definition: CompiledDefinition;
  readonly calendar: WorkingCalendar;
  readonly now: Date;
}

/** What the caller learns after a command. */
export interface CommandResult {
  readonly caseId: string;
  readonly version: number;
  readonly status: string;
  readonly state: string;
  /** False when the command was a repeat that changed nothing (a timer fired twice, a repeated claim). */
  readonly changed: boolean;
}

/**
 * Decides a command on a locked case, purely: checks version, permission and task state, runs the
 * machine, plans the effects and the audit event. Throws an `EngineError` to refuse; nothing is written.
 */
export function decideCommand(locked: LockedCase, command: CaseCommand, env: DecisionEnv): Decision<CommandResult> {
  if ('expectedVersion' in command && command.expectedVersion !== undefined && command.expectedVersion !== locked.case.version) {
    throw new CaseVersionConflictError(locked.case.id, command.expectedVersion, locked.case.version);
  }
  switch (command.type) {
    case 'task.claim':
      return claim(locked, command, env);
    case 'task.release':
      return releaseTask(locked, command, env);
    case 'task.complete':
      return complete(locked, command, env);
    case 'supplement.submit':
      return submitSupplement(locked, command, env);
    case 'task.urge':
      return urge(locked, command, env);
    case 'personal-data.read':
      return readPersonalData(locked, command, env);
    case 'timer.fire':
      return fireTimers(locked, command, env);
    case 'incident.retry':
      return retryIncident(locked, command, env);
  }
}

function urge(locked: LockedCase, command: UrgeTask, env: DecisionEnv): Decision<CommandResult> {
  const task = locked.task;
  if (!task) throw new TaskNotFoundError(command.taskId);
  authorizeUrge(command.actor, task, locked.case);
  if (task.status !== 'open' && task.status !== 'claimed') throw new TaskNotActionableError(task.id, task.status);
  const notice = { taskId: task.id, message: command.message, by: command.actor.userId, dueAt: task.dueAt.toISOString() };
  return committed(
    buildCommit(locked, env.now, {
      step: null,
      effects: [notify({ caseId: locked.case.id }, { departmentCode: task.departmentCode }, 'task.urged', notice)],
      auditType: 'task.urged',
      actor: command.actor,
      data: { taskId: task.id, task: task.key, department: task.departmentCode, message: command.message },
      // An urge changes no state a handler's expectedVersion protects.
      keepVersion: true,
    }),
  );
}

function readPersonalData(locked: LockedCase, command: ReadPersonalData, env: DecisionEnv): Decision<CommandResult> {
  authorize(command.actor, 'case.personal-data.read');
  return committed(
    buildCommit(locked, env.now, {
      step: null,
      effects: [],
      auditType: 'personal-data.read',
      actor: command.actor,
      data: { reason: command.reason },
      keepVersion: true,
    }),
  );
}

function claim(locked: LockedCase, command: ClaimTask, env: DecisionEnv): Decision<CommandResult> {
  const task = actionableTask(locked, command.taskId, command.actor, 'claim');
  if (task.assigneeId === command.actor.userId) return unchanged(locked);
  const commit = buildCommit(locked, env.now, {
    step: null,
    effects: [{ type: 'task.claim', taskId: task.id, assigneeId: command.actor.userId }],
    auditType: 'task.claimed',
    actor: command.actor,
    data: { taskId: task.id, task: task.key },
  });
  return committed(commit);
}

function complete(locked: LockedCase, command: CompleteTask, env: DecisionEnv): Decision<CommandResult> {
  const task = actionableTask(locked, command.taskId, command.actor, 'complete');
  // A refusal or a return for correction (不予许可 / 补正) must say why: the applicant is owed the reasons.
  if (command.outcome !== 'approve' && command.opinion.text.trim() === '') {
    throw new InvalidCommandError(`A ${command.outcome} must give its reasons`, ['opinion', 'text']);
  }
  const event: CaseEvent = {
    type: EVENT_BY_OUTCOME[command.outcome],
    task: task.key,
    department: task.departmentCode,
    ...(command.outcome === 'approve' ? {} : { reason: command.opinion.text }),
  };
  const step = acceptedStep(locked, event, env);
  const effects: CaseEffect[] = [
    { type: 'task.complete', taskId: task.id, outcome: command.outcome, completedBy: command.actor.userId, at: env.now },
    { type: 'timer.cancel', match: { taskId: task.id } },
    {
      type: 'opinion.record',
      opinion: {
        id: randomUUID(),
        caseId: locked.case.id,
        taskId: task.id,
        departmentCode: task.departmentCode,
        authorId: command.actor.userId,
        outcome: command.outcome,
        text: command.opinion.text,
        visibility: command.opinion.visibility,
        at: env.now,
      },
    },
    ...planEffects(step.actions, planning(locked, env, step, task)),
  ];
  return committed(
    buildCommit(locked, env.now, {
      step,
      effects,
      auditType: event.type,
      actor: command.actor,
      data: { taskId: task.id, task: task.key, outcome: command.outcome },
    }),
  );
}

function submitSupplement(locked: LockedCase, command: SubmitSupplement, env: DecisionEnv): Decision<CommandResult> {
  assertRunning(locked.case);
  authorizeSupplement(command.actor, locked.case);
  const step = acceptedStep(locked, { type: 'supplement.submitted' }, env);
  const materials: CaseEffect[] = command.materials.map((m) => ({
    type: 'material.add',
    material: { ...m, id: randomUUID(), caseId: locked.case.id, submittedBy: command.actor.userId, at: env.now },
  }));
  return committed(
    buildCommit(locked, env.now, {
      step,
      effects: [...materials, ...planEffects(step.actions, planning(locked, env, step, null))],
      auditType: 'supplement.submitted',
      actor: command.actor,
      data: { materials: command.materials.map((m) => m.name) },
    }),
  );
}

function actionableTask(locked: LockedCase, id: string, actor: Actor, action: 'claim' | 'complete'): TaskRecord {
  const task = locked.task;
  if (!task) throw new TaskNotFoundError(id);
  authorizeTaskAction(actor, task, action);
  if (task.status === 'completed' || task.status === 'cancelled') throw new TaskNotActionableError(task.id, task.status);
  assertRunning(locked.case);
  if (task.assigneeId && task.assigneeId !== actor.userId) throw new TaskClaimedByOtherError(task.id, task.assigneeId);
  return task;
}

function assertRunning(record: CaseRecord): void {
  if (record.status !== 'running') throw new CaseClosedError(record.id, record.status);
}

function acceptedStep(locked: LockedCase, event: CaseEvent, env: DecisionEnv): MachineStep {
  const step = stepMachine(env.definition, locked.case.snapshot, event);
  if (!step.accepted) throw new CommandNotAcceptedError(locked.case.id, event.type, step.stateLabel);
  return step;
}

