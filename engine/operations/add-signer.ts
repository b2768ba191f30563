import type { Actor } from '../access/actor.js';
import { authorizeTaskAction } from '../access/authorization-policy.js';
import { buildCommit } from '../case-commit.js';
import { restoreSnapshot } from '../case-snapshot.js';
import type { CaseContext } from '../definitions/case-machine.js';
import { addedSignerTask, signerChangeRefusal, type SignerChange, type SignerPosition } from '../definitions/signer-changes.js';
import { planEffects } from '../effect-planner.js';
import { SignerChangeNotAllowedError, TaskNotFoundError } from '../errors.js';
import type { TaskId } from '../ids.js';
import { assertNotDelegated } from './actionable-task.js';
import type { CaseOperation } from './case-operation.js';
import { acceptedStep, assertRunning, committed, planning } from './decision.js';

/** 加签: a signer of a countersign step adds one — a department, or a person of it — alongside, after or before them, with a reason. */
export interface AddSigner {
  readonly type: 'countersign.signer.add';
  readonly actor: Actor;
  /** The adding signer's own open task. */
  readonly taskId: TaskId;
  readonly department: string;
  readonly person?: string | undefined;
  readonly position: SignerPosition;
  readonly reason: string;
  readonly expectedVersion?: number;
}

/**
 * `countersign.signer.add` (加签): by the signer holding an open task of a running countersign step (claimed by
 * them: a named signer's task is, from the start). The machine takes `signers.changed`; the added signer's task
 * opens at once, or in order when their turn comes (see `SignerPosition`); a vote's total weight grows by one.
 * That the named person works for the named department is the caller's to check (the engine knows no users).
 */
export const addSigner: CaseOperation<AddSigner> = {
  type: 'countersign.signer.add',
  permission: 'countersign.signer.add',
  caseRef: (command) => ({ taskId: command.taskId }),
  decide(locked, command, env) {
    const task = locked.task;
    if (!task) throw new TaskNotFoundError(command.taskId);
    authorizeTaskAction(command.actor, task, 'complete');
    assertRunning(locked.case);
    // A delegate drafts the signer's opinion; whom the step asks besides is the signer's own call.
    assertNotDelegated(task);
    const context: CaseContext = restoreSnapshot(env.definition, locked.case.snapshot).context;
    const [step] = Object.entries(context.countersigns ?? {}).find(([, s]) => s.signers.some((signer) => signer.task === task.key && signer.vote === null)) ?? [];
    if (step === undefined || !locked.openTasks.some((t) => t.id === task.id)) throw new SignerChangeNotAllowedError(task.key, 'it is not an open signer task of a countersign step');
    if (task.assigneeId !== command.actor.userId) throw new SignerChangeNotAllowedError(step, 'only the signer holding the task adds a signer: claim it first');
    const { department, person, position, reason } = command;
    const change: SignerChange = { step, reason, add: { department, ...(person ? { person } : {}), position, by: task.key } };
    const refusal = signerChangeRefusal(context.countersigns?.[step], change);
    if (refusal) throw new SignerChangeNotAllowedError(step, refusal);
    const next = acceptedStep(locked, { type: 'signers.changed', ...change }, env);
    return committed(
      buildCommit(locked, env.now, {
        step: next,
        effects: planEffects(next.actions, planning(locked, env, next, null)),
        auditType: 'countersign.signer-added',
        actor: command.actor,
        data: { step, task: addedSignerTask(step, { department, person }), department, person: person ?? null, position, by: task.key, reason },
      }),
    );
  },
};
