import { randomUUID } from 'node:crypto';
import type { Actor } from '../access/actor.js';
import { buildCommit } from '../case-commit.js';
import type { OpinionVisibility } from '../case-command.js';
import type { TaskOutcome } from '../definitions/case-machine.js';
import { planEffects } from '../effect-planner.js';
import { openedIds, type CaseEffect, type NewSupplementRequest } from '../case-effect.js';
import type { TaskId } from '../ids.js';
import { workingDaysTaken } from '../case-clocks.js';
import { actionableTask } from './actionable-task.js';
import { clockContext } from './clock-change.js';
import type { CaseOperation } from './case-operation.js';
import { committed, planning } from './decision.js';
import { completionStep } from './completion.js';
import { requestedSupplement, withRequestedMaterials, type SupplementRequestInput } from './supplement-request.js';
import type { TaskRecord } from '../case-record.js';
import type { MachineStep } from '../case-snapshot.js';

/** A department's decision on its task: approve, reject or return, with an opinion (审查意见). */
export interface CompleteTask {
  readonly type: 'task.complete';
  readonly actor: Actor;
  readonly taskId: TaskId;
  readonly outcome: TaskOutcome;
  readonly opinion: { readonly text: string; readonly visibility: OpinionVisibility };
  /** A return's target, among those the definition declares for the task (its first when not given). */
  readonly returnTo?: string | undefined;
  /** With a return to the applicant (补正), and only then: every material to supplement, with its reason (一次性告知). */
  readonly supplementRequest?: SupplementRequestInput | undefined;
  readonly expectedVersion?: number;
}

/**
 * Completes the task, records the opinion and moves the case on in the same commit: the machine takes
 * `task.approved` / `task.rejected` / `task.returned` and its actions become effects.
 */
export const completeTask: CaseOperation<CompleteTask> = {
  type: 'task.complete',
  permission: 'task.complete',
  // Only a return may ask for a supplement, which is checked against the case file: the approval does not load it.
  caseRef: (command) => (command.outcome === 'return' ? { taskId: command.taskId, caseFile: true } : { taskId: command.taskId }),
  decide(locked, command, env) {
    const task = actionableTask(locked, command.taskId, command.actor, 'complete');
    const { event, step, returnTo: to } = completionStep(locked, task, { outcome: command.outcome, text: command.opinion.text, returnTo: command.returnTo }, env);
    const request = requestedSupplement(locked, task, command, step, env);
    const planned = withRequestedMaterials(planEffects(step.actions, planning(locked, env, step, { task, outcome: command.outcome })), request);
    const effects: CaseEffect[] = [
      {
        type: 'task.complete',
        taskId: task.id,
        outcome: command.outcome,
        completedBy: command.actor.userId,
        at: env.now,
        workingDays: workingDaysTaken(locked.case.clocks, task.key, clockContext(locked, env)),
        opened: openedIds(planned),
      },
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
      ...(request ? [{ type: 'supplement.request', request } as const] : []),
      ...planned,
    ];
    return committed(
      buildCommit(locked, env.now, {
        step,
        effects,
        auditType: event.type,
        actor: command.actor,
        data: { taskId: task.id, task: task.key, outcome: command.outcome, ...(to ? { returnTo: to } : {}), ...draftedBy(task), ...(task.substitutedFor ? { substitutedFor: task.substitutedFor } : {}), ...decidedStep(task.key, step), ...requestNamed(request) },
      }),
    );
  },
};

/** The supplement request the return made, as the audit names it: which materials (the reasons are in the request). */
const requestNamed = (request: NewSupplementRequest | null): { supplementRequest?: { id: string; materials: string[] } } =>
  request ? { supplementRequest: { id: request.id, materials: request.materials.map((m) => m.name) } } : {};

/** 委派 confirmed: who drafted the proposal the holder decided on (the delegate), as the holder may have kept it or not. */
const draftedBy = (task: TaskRecord): { draftedBy?: string } =>
  task.delegation === 'resolved' && task.delegationProposal ? { draftedBy: task.delegationProposal.by } : {};

/**
 * The countersign step this vote decided, with its outcome: the audit records when a step ended and how. A vote is
 * only taken while its step is undecided (a decided step is left at once), so a step with an outcome after the vote
 * was decided by it.
 */
function decidedStep(taskKey: string, step: MachineStep): { countersign?: { step: string; outcome: string } } {
  const decided = Object.entries(step.context.countersigns ?? {}).find(
    ([, s]) => s.outcome !== null && s.signers.some((signer) => signer.task === taskKey && signer.vote !== null),
  );
  return decided ? { countersign: { step: decided[0], outcome: decided[1].outcome ?? '' } } : {};
}
