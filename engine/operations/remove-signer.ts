import type { Actor } from '../access/actor.js';
import { authorizeLeadDepartment } from '../access/authorization-policy.js';
import { buildCommit } from '../case-commit.js';
import { restoreSnapshot } from '../case-snapshot.js';
import type { CaseContext } from '../definitions/case-machine.js';
import { signerChangeRefusal, type SignerChange } from '../definitions/signer-changes.js';
import { planEffects } from '../effect-planner.js';
import { SignerChangeNotAllowedError } from '../errors.js';
import type { CaseId } from '../ids.js';
import type { CaseOperation } from './case-operation.js';
import { acceptedStep, assertRunning, committed, planning } from './decision.js';

/** 减签: the lead of the case's lead department removes a signer who has not voted from a countersign step, with a reason. */
export interface RemoveSigner {
  readonly type: 'countersign.signer.remove';
  readonly actor: Actor;
  readonly caseId: CaseId;
  readonly step: string;
  /** The removed signer's task key, e.g. `signOff.urban-management.deputy-b`. */
  readonly task: string;
  readonly reason: string;
  readonly expectedVersion?: number;
}

/**
 * `countersign.signer.remove` (减签): the removed signer's task is cancelled and the step is tallied again at
 * once, so it may end (the last pending signer of an `all` step whose others approved: approved). A signer who
 * voted stays, and a step keeps at least one signer.
 */
export const removeSigner: CaseOperation<RemoveSigner> = {
  type: 'countersign.signer.remove',
  permission: 'countersign.signer.remove',
  caseRef: (command) => ({ caseId: command.caseId }),
  decide(locked, command, env) {
    // Who may act before whether the case still runs: a closed case is not found by a department outside it.
    authorizeLeadDepartment(command.actor, locked.case, locked.openTasks, 'remove a signer of this case');
    assertRunning(locked.case);
    const { step, task, reason } = command;
    const context: CaseContext = restoreSnapshot(env.definition, locked.case.snapshot).context;
    const change: SignerChange = { step, reason, remove: task };
    const removed = context.countersigns?.[step]?.signers.find((s) => s.task === task);
    const refusal = signerChangeRefusal(context.countersigns?.[step], change);
    if (refusal || !removed) throw new SignerChangeNotAllowedError(step, refusal ?? `${task} is not a signer of the step`);
    const next = acceptedStep(locked, { type: 'signers.changed', ...change }, env);
    return committed(
      buildCommit(locked, env.now, {
        step: next,
        effects: planEffects(next.actions, planning(locked, env, next, null)),
        auditType: 'countersign.signer-removed',
        actor: command.actor,
        data: { step, task, department: removed.department, person: removed.person, reason },
      }),
    );
  },
};
