import type { Actor } from '../access/actor.js';
import { authorizeTaskAction } from '../access/authorization-policy.js';
import { buildCommit } from '../case-commit.js';
import { isPersonalTask } from '../definitions/personal-steps.js';
import { ForbiddenError, TakeOverNotAllowedError, TaskNotFoundError } from '../errors.js';
import type { TaskId } from '../ids.js';
import { restoreSnapshot } from '../case-snapshot.js';
import { fellowSigners, holdsAt, type Substitution } from '../substitution.js';
import { assertNotDelegated, isClosedTask } from './actionable-task.js';
import type { CaseOperation } from './case-operation.js';
import { assertRunning, committed, unchanged } from './decision.js';

/**
 * 接办: a substitute (代理人) takes over a task the person they stand in for holds. The API finds the window between
 * the two (`substitution`: the one holding now, else their latest; null when the actor stands in for nobody holding
 * the task): the engine reads no database, and decides under the case's lock whether it holds now.
 */
export interface TakeOverTask {
  readonly type: 'task.take-over';
  readonly actor: Actor;
  readonly taskId: TaskId;
  readonly substitution: Substitution | null;
  readonly expectedVersion?: number;
}

/**
 * `task.take-over` (接办): the absent person's claimed task becomes the substitute's, held for the absent person
 * (`substitutedFor`); its id, due instant and clock stay. Only while the window holds, on a task of the substitute's
 * department and of a kind their roles handle, on a running case; not a task delegated pending its delegate's
 * proposal (委派), nor a step the definition keeps from substitutes (`substitutable: false`: that power is personal), nor
 * a signer's seat in a countersign step the substitute signs in their own right (one person, one vote).
 * The audit event names both people and the window. Taking over again what one holds for them already changes nothing.
 */
export const takeOverTask: CaseOperation<TakeOverTask> = {
  type: 'task.take-over',
  permission: 'task.take-over',
  caseRef: (command) => ({ taskId: command.taskId }),
  decide(locked, command, env) {
    const { actor, substitution } = command;
    const task = locked.task;
    if (!task) throw new TaskNotFoundError(command.taskId);
    authorizeTaskAction(actor, task, 'claim');
    if (isClosedTask(task)) throw new TakeOverNotAllowedError(task.id, `it is ${task.status}`);
    assertRunning(locked.case);
    if (!substitution || substitution.substitute.userId !== actor.userId) {
      throw new ForbiddenError('take over this task', 'you stand in for nobody who holds it');
    }
    assertNotDelegated(task);
    const absentId = substitution.absentId;
    if (task.assigneeId === actor.userId && task.substitutedFor === absentId) return unchanged(locked);
    if (task.assigneeId !== absentId) throw new TakeOverNotAllowedError(task.id, `it is not held by ${absentId}, for whom you stand in`);
    if (!holdsAt(substitution, env.now)) {
      const when = substitution.cancelledAt ? 'was cancelled' : env.now < substitution.startsAt ? `begins at ${substitution.startsAt.toISOString()}` : `ended at ${substitution.endsAt.toISOString()}`;
      throw new TakeOverNotAllowedError(task.id, `your window for ${absentId} ${when}`);
    }
    if (isPersonalTask(env.definition, task.key)) throw new TakeOverNotAllowedError(task.id, `the definition keeps ${task.key} for its holder in person`);
    if (task.signerId !== null && fellowSigners(restoreSnapshot(env.definition, locked.case.snapshot).context.countersigns, task.key).has(actor.userId)) {
      throw new TakeOverNotAllowedError(task.id, 'you sign the same step in your own right: one person, one seat');
    }
    return committed(
      buildCommit(locked, env.now, {
        step: null,
        effects: [{ type: 'task.take-over', taskId: task.id, assigneeId: actor.userId, substitutedFor: absentId }],
        auditType: 'task.taken-over',
        actor,
        data: { taskId: task.id, task: task.key, substitutedFor: absentId, substitute: actor.userId, substitutionId: substitution.id },
      }),
    );
  },
};
