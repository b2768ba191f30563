import { authorize } from '../access/permission-matrix.js';
import type { CaseRef } from '../case-command.js';
import type { Decision, LockedCase } from '../case-store.js';
import { CaseVersionConflictError } from '../errors.js';
import type { CaseOperation } from './case-operation.js';
import { claimTask } from './claim-task.js';
import { closeSupervisionNotice } from './close-supervision-notice.js';
import { completeTask } from './complete-task.js';
import { endSpecialProcedure } from './end-special-procedure.js';
import { extendCaseClock } from './extend-clock.js';
import type { CommandResult, DecisionEnv } from './decision.js';
import { fireTimers } from './fire-timers.js';
import { issueSupervisionNotice } from './issue-supervision-notice.js';
import { readPersonalData } from './read-personal-data.js';
import { readMaterial } from './read-material.js';
import { recomputeDeadlines } from './recompute-deadlines.js';
import { releaseTask } from './release-task.js';
import { respondToSupervisionNotice } from './respond-to-supervision-notice.js';
import { retryIncident } from './retry-incident.js';
import { startSpecialProcedure } from './start-special-procedure.js';
import { submitSupplement } from './submit-supplement.js';
import { urgeTask } from './urge-task.js';
import { withdrawTask } from './withdraw-task.js';
import { withdrawCase } from './withdraw-case.js';
import { changeReviewMembers } from './change-review-members.js';
import { closeJointReview } from './close-joint-review.js';
import { addSigner } from './add-signer.js';
import { removeSigner } from './remove-signer.js';
import { transferTask } from './transfer-task.js';
import { takeOverTask } from './take-over-task.js';
import { delegateTask } from './delegate-task.js';
import { resolveDelegation } from './resolve-delegation.js';
import { recallDelegation } from './recall-delegation.js';
import { suspendCase } from './suspend-case.js';
import { resumeCase } from './resume-case.js';
import { terminateCase } from './terminate-case.js';
import { copyCase } from './copy-case.js';
import { readCopy } from './read-copy.js';
import { commentCase } from './comment-case.js';

/**
 * The operations on an existing case, by command type. Starting a case (`start-case.ts`) is the one
 * operation outside it: there is no case to lock yet.
 */
export const CASE_OPERATIONS = {
  [claimTask.type]: claimTask,
  [releaseTask.type]: releaseTask,
  [completeTask.type]: completeTask,
  [submitSupplement.type]: submitSupplement,
  [urgeTask.type]: urgeTask,
  [readPersonalData.type]: readPersonalData,
  [readMaterial.type]: readMaterial,
  [fireTimers.type]: fireTimers,
  [retryIncident.type]: retryIncident,
  [recomputeDeadlines.type]: recomputeDeadlines,
  [extendCaseClock.type]: extendCaseClock,
  [startSpecialProcedure.type]: startSpecialProcedure,
  [endSpecialProcedure.type]: endSpecialProcedure,
  [issueSupervisionNotice.type]: issueSupervisionNotice,
  [respondToSupervisionNotice.type]: respondToSupervisionNotice,
  [closeSupervisionNotice.type]: closeSupervisionNotice,
  [withdrawTask.type]: withdrawTask,
  [withdrawCase.type]: withdrawCase,
  [changeReviewMembers.type]: changeReviewMembers,
  [closeJointReview.type]: closeJointReview,
  [addSigner.type]: addSigner,
  [removeSigner.type]: removeSigner,
  [transferTask.type]: transferTask,
  [takeOverTask.type]: takeOverTask,
  [delegateTask.type]: delegateTask,
  [resolveDelegation.type]: resolveDelegation,
  [recallDelegation.type]: recallDelegation,
  [suspendCase.type]: suspendCase,
  [resumeCase.type]: resumeCase,
  [terminateCase.type]: terminateCase,
  [copyCase.type]: copyCase,
  [readCopy.type]: readCopy,
  [commentCase.type]: commentCase,
} as const;

type CommandOf<O> = O extends CaseOperation<infer C> ? C : never;

/** A command on an existing case: one of the commands `CASE_OPERATIONS` takes. */
export type CaseCommand = CommandOf<(typeof CASE_OPERATIONS)[keyof typeof CASE_OPERATIONS]>;

/** The table's row for a command, typed for that command (the table is keyed by the command's own type). */
function operationOf(command: CaseCommand): CaseOperation<CaseCommand> {
  return CASE_OPERATIONS[command.type] as CaseOperation<CaseCommand>;
}

export function caseRefOf(command: CaseCommand): CaseRef {
  return operationOf(command).caseRef(command);
}

/**
 * Decides a command on a locked case, purely: checks the version the caller read and the permission-matrix
 * row of the operation, then lets the operation decide (department, task and state rules, the machine, the
 * effects and the audit event). Throws an `EngineError` to refuse; nothing is written.
 */
export function decideCommand(locked: LockedCase, command: CaseCommand, env: DecisionEnv): Decision<CommandResult> {
  if ('expectedVersion' in command && command.expectedVersion !== undefined && command.expectedVersion !== locked.case.version) {
    throw new CaseVersionConflictError(locked.case.id, command.expectedVersion, locked.case.version);
  }
  const operation = operationOf(command);
  if (operation.permission && 'actor' in command) authorize(command.actor, operation.permission);
  return operation.decide(locked, command, env);
}
