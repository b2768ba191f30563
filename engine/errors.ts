import { EngineError } from './engine-error.js';

/**
 * Every refusal the engine has, from one place: the base (`engine-error.ts`), the errors of cases, tasks, clocks and
 * handler operations (here), and those of the catalogue, the case file and the parties outside the departments
 * (their own files, re-exported).
 */
export { EngineError } from './engine-error.js';
export * from './catalogue-errors.js';
export * from './case-file-errors.js';
export * from './outside-party-errors.js';

export class CaseNotFoundError extends EngineError {
  readonly code = 'TB-CASE-404';
  readonly status = 404;
  constructor(readonly caseId: string) {
    super(`Case ${caseId} does not exist or is not visible to you.`);
  }
}

export class TaskNotFoundError extends EngineError {
  readonly code = 'TB-TASK-404';
  readonly status = 404;
  constructor(readonly taskId: string) {
    super(`Task ${taskId} does not exist or is not visible to you.`);
  }
}

export class CaseVersionConflictError extends EngineError {
  readonly code = 'TB-CASE-VERSION';
  readonly status = 409;
  constructor(readonly caseId: string, readonly expected: number, readonly actual: number) {
    super(`Case ${caseId} is at version ${actual}, not ${expected}: reload it and try again.`);
  }
}

export class CaseClosedError extends EngineError {
  readonly code = 'TB-CASE-CLOSED';
  readonly status = 409;
  constructor(readonly caseId: string, readonly caseStatus: string) {
    super(`Case ${caseId} is ${caseStatus}; it accepts no more commands.`);
  }
}

/** 中止: a suspended case takes no command but its resumption, termination or withdrawal until it resumes. */
export class CaseSuspendedError extends EngineError {
  readonly code = 'TB-CASE-SUSPENDED';
  readonly status = 409;
  constructor(readonly caseId: string) {
    super(`Case ${caseId} is suspended (中止); nothing is done on it until it is resumed.`);
  }
}

/** A suspension, resumption or termination the case's status does not allow (resuming a running case, suspending a suspended one). */
export class CaseStatusChangeError extends EngineError {
  readonly code = 'TB-CASE-STATUS';
  readonly status = 409;
  constructor(readonly caseId: string, readonly caseStatus: string, action: string) {
    super(`Case ${caseId} is ${caseStatus}; it cannot be ${action}.`);
  }
}

export class TaskNotActionableError extends EngineError {
  readonly code = 'TB-TASK-STATE';
  readonly status = 409;
  constructor(readonly taskId: string, readonly taskStatus: string) {
    super(`Task ${taskId} is ${taskStatus}; it cannot be acted on.`);
  }
}

export class TaskClaimedByOtherError extends EngineError {
  readonly code = 'TB-TASK-CLAIMED';
  readonly status = 409;
  constructor(readonly taskId: string, readonly assignee: string) {
    super(`Task ${taskId} is claimed by another handler.`);
  }
}

/** The command is valid in form but the process, in its current state, does not accept it. */
export class CommandNotAcceptedError extends EngineError {
  readonly code = 'TB-COMMAND-REJECTED';
  readonly status = 409;
  constructor(readonly caseId: string, readonly commandType: string, readonly state: string) {
    super(`Case ${caseId} in state ${state} does not accept ${commandType}.`);
  }
}

/**
 * The actor's role may perform the operation, but not on this task or case: a task kind that needs another
 * role (a handler signing the lead's decision), or a department rule (only the intake department submits a
 * supplement). Unlike {@link PermissionDeniedError}, another task or case may well be allowed.
 */
export class ForbiddenError extends EngineError {
  readonly code = 'TB-FORBIDDEN';
  readonly status = 403;
  constructor(readonly action: string, readonly reason: string) {
    super(`You may not ${action}: ${reason}.`);
  }
}

/** Input that passed schema validation but breaks a domain rule (e.g. a rejection without reasons). */
export class InvalidCommandError extends EngineError {
  readonly code = 'TB-COMMAND-INVALID';
  readonly status = 422;
  constructor(message: string, readonly path: readonly (string | number)[] = []) {
    super(message);
  }
}

/**
 * A due date that cannot be computed as asked: a budget that is not a whole number of working days from 1 to
 * 3650, a start that is not an instant or lies before the calendar's data, a malformed cut-off time, or a
 * count past 2100 (the end of the lunar tables the statutory estimate needs).
 */
export class InvalidTimeLimitError extends EngineError {
  readonly code = 'TB-TIME-LIMIT-INVALID';
  readonly status = 422;
  constructor(message: string, readonly path: readonly (string | number)[]) {
    super(message);
  }
}

/**
 * A legal clock (计时) in a state that does not take the command: pausing a clock that is not running,
 * resuming one that is not paused, extending or stopping one that has stopped or expired. Nothing changed.
 */
export class ClockStateError extends EngineError {
  readonly code = 'TB-CLOCK-STATE';
  readonly status = 409;
  constructor(readonly clockId: string, readonly clockState: string, readonly action: string) {
    super(`Clock ${clockId} is ${clockState}; it cannot ${action}.`);
  }
}

/**
 * An extension (延期) beyond what the service item allows (行政许可法 art. 42: once, by 10 or 15 working days,
 * unless the item's own law says otherwise): too many working days in all, or one extension too many.
 * Nothing changed.
 */
export class ClockExtensionRefusedError extends EngineError {
  readonly code = 'TB-CLOCK-EXTENSION-REFUSED';
  readonly status = 409;
  constructor(readonly clockId: string, readonly requestedWorkingDays: number, readonly reason: string) {
    super(`Clock ${clockId} cannot be extended by ${requestedWorkingDays} working days: ${reason}.`);
  }
}

export class ClockNotFoundError extends EngineError {
  readonly code = 'TB-CLOCK-404';
  readonly status = 404;
  constructor(readonly caseId: string, readonly clockId: string) {
    super(`Case ${caseId} keeps no clock ${clockId}.`);
  }
}

/**
 * A pause for time the clock's law counts: the Administrative Licensing Law leaves out only the supplement and
 * the procedures of art. 45, and a public notice only where the item's own law says so. Nothing changed.
 */
export class ClockPauseRefusedError extends EngineError {
  readonly code = 'TB-CLOCK-PAUSE-REFUSED';
  readonly status = 409;
  constructor(readonly clockId: string, readonly reason: string) {
    super(`Clock ${clockId} counts the time of a ${reason}: the law behind its limit does not leave it out.`);
  }
}

/** A supervision notice (督办) that does not exist, or is held by another department than the caller's. */
export class NoticeNotFoundError extends EngineError {
  readonly code = 'TB-NOTICE-404';
  readonly status = 404;
  constructor(readonly noticeId: string) {
    super(`Supervision notice ${noticeId} does not exist or is not visible to you.`);
  }
}

/** A copy (抄送) that does not exist, or is addressed neither to the caller nor to their department. */
export class CopyNotFoundError extends EngineError {
  readonly code = 'TB-COPY-404';
  readonly status = 404;
  constructor(readonly copyId: string) {
    super(`Copy ${copyId} does not exist or is not addressed to you.`);
  }
}

/** A supervision notice already answered or closed: it takes no response and cannot be closed again. Nothing changed. */
export class NoticeStateError extends EngineError {
  readonly code = 'TB-NOTICE-STATE';
  readonly status = 409;
  constructor(readonly noticeId: string, readonly noticeStatus: string, readonly action: string) {
    super(`Supervision notice ${noticeId} is ${noticeStatus}; it cannot be ${action}.`);
  }
}

export class CalendarNotFoundError extends EngineError {
  readonly code = 'TB-CALENDAR-404';
  readonly status = 404;
  constructor(readonly calendarCode: string) {
    super(`Calendar ${calendarCode} does not exist.`);
  }
}

/** An imported year of official calendar data that `validateCalendarYear` refuses; nothing is imported. */
export class CalendarYearInvalidError extends EngineError {
  readonly code = 'TB-CALENDAR-YEAR-INVALID';
  readonly status = 422;
  constructor(
    readonly calendarCode: string,
    readonly year: number,
    readonly problems: readonly { readonly path: string; readonly problem: string }[],
  ) {
    super(`Calendar ${calendarCode}, year ${year}, is refused: ${problems.map((p) => `${p.path}: ${p.problem}`).join('; ')}.`);
  }
}

/** A timer job arrived before its due instant (clock skew between machines): retry at `dueAt`. */
export class TimerNotDueError extends EngineError {
  readonly code = 'TB-TIMER-NOT-DUE';
  readonly status = 409;
  override readonly retryable = true;
  constructor(readonly timerId: string, readonly dueAt: Date) {
    super(`Timer ${timerId} is not due before ${dueAt.toISOString()}.`);
  }
}

export class TimerNotFoundError extends EngineError {
  readonly code = 'TB-TIMER-404';
  readonly status = 404;
  constructor(readonly timerId: string) {
    super(`Timer ${timerId} does not exist.`);
  }
}

export class IncidentNotFoundError extends EngineError {
  readonly code = 'TB-INCIDENT-404';
  readonly status = 404;
  constructor(readonly incidentId: string) {
    super(`Incident ${incidentId} does not exist.`);
  }
}

/** Only an open incident — its timer still failed — can be retried; a retried one is pending again. */
export class IncidentNotOpenError extends EngineError {
  readonly code = 'TB-INCIDENT-STATE';
  readonly status = 409;
  constructor(readonly incidentId: string, readonly timerStatus: string) {
    super(`Incident ${incidentId} is not open: its timer is ${timerStatus}.`);
  }
}

/**
 * The permission matrix refuses the operation to every role the actor has (or to its API key's scopes):
 * it is refused whatever the case or task, until the actor gets another role or the key another scope.
 */
export class PermissionDeniedError extends EngineError {
  readonly code = 'TB-PERMISSION';
  readonly status = 403;
  constructor(readonly operation: string, readonly reason: string) {
    super(`You may not perform ${operation}: ${reason}.`);
  }
}

/** A request with this idempotency key is being processed, or was, with another body. */
export class IdempotencyKeyConflictError extends EngineError {
  readonly code = 'TB-IDEMPOTENCY-CONFLICT';
  readonly status = 409;
  constructor(readonly key: string) {
    super(`A request with Idempotency-Key ${key} was already processed or is in progress.`);
  }
}

/**
 * The one-statement commit refused itself: the case changed between the lock and the write (only a write
 * outside the engine can do that). Nothing was written; retrying the command is safe.
 */
export class CommitRefusedError extends EngineError {
  readonly code = 'TB-COMMIT-REFUSED';
  readonly status = 409;
  override readonly retryable = true;
  constructor(readonly caseId: string) {
    super(`Case ${caseId} changed while the command was being written; retry it.`);
  }
}

/** 404, never 403: a notice of another department, or one meant for a lead, answers as one that does not exist. */
export class NotificationNotFoundError extends EngineError {
  readonly code = 'TB-NOTIFICATION-404';
  readonly status = 404;
  constructor(readonly notificationId: string) {
    super(`Notification ${notificationId} does not exist or is not yours to read.`);
  }
}

/** A return (退回) to a step the definition does not allow for the task. */
export class ReturnNotAllowedError extends EngineError {
  readonly code = 'TB-RETURN-NOT-ALLOWED';
  readonly status = 409;
  constructor(readonly taskId: string, readonly target: string, readonly allowed: readonly string[]) {
    super(`Task ${taskId} may not be returned to ${target}; ${allowed.length > 0 ? `its return targets are ${allowed.join(', ')}` : 'its definition declares no return targets'}.`);
  }
}

/**
 * A completion that cannot be taken back (撤回): not the actor's, not completed, or the step after it has been
 * acted on (one of the tasks it opened was claimed or completed).
 */
export class WithdrawalNotAllowedError extends EngineError {
  readonly code = 'TB-WITHDRAWAL-NOT-ALLOWED';
  readonly status = 409;
  constructor(readonly taskId: string, readonly reason: string) {
    super(`The completion of task ${taskId} cannot be withdrawn: ${reason}.`);
  }
}

/**
 * A transfer (转办) the task cannot take: a named signer's task (the definition named that person), or a decision,
 * intake, correction or licence task sent out of its department.
 */
export class TransferNotAllowedError extends EngineError {
  readonly code = 'TB-TRANSFER-NOT-ALLOWED';
  readonly status = 409;
  constructor(readonly taskId: string, readonly reason: string) {
    super(`Task ${taskId} cannot be transferred: ${reason}.`);
  }
}

/**
 * A change of a countersign step's signers its rules do not allow (加签 / 减签): the step is decided, the one
 * adding is not a signer with an open task, a signer added before another outside sequential mode, a signer
 * twice, a signer who voted already, or the step's last signer.
 */
export class SignerChangeNotAllowedError extends EngineError {
  readonly code = 'TB-SIGNER-CHANGE-NOT-ALLOWED';
  readonly status = 409;
  constructor(readonly step: string, readonly reason: string) {
    super(`The signers of ${step} cannot be changed so: ${reason}.`);
  }
}

/**
 * 委派 pending: the delegate holds the task for its holder, who confirms it. Nobody else acts on it meanwhile (no
 * completion, transfer, release, signer change or second delegation): the holder may take it back (收回), or the
 * delegate returns it for confirmation (退回确认). Nothing changed.
 */
export class TaskDelegatedError extends EngineError {
  readonly code = 'TB-TASK-DELEGATED';
  readonly status = 409;
  constructor(readonly taskId: string, readonly delegate: string, readonly holder: string) {
    super(`Task ${taskId} is delegated to ${delegate}: ${holder} may take it back, or ${delegate} returns it for confirmation.`);
  }
}

/**
 * A delegation (委派) the task's state does not allow: delegating a task one does not hold (claim it first),
 * returning or taking back a task that is not delegated, or one delegated by or to someone else. Nothing changed.
 */
export class DelegationNotAllowedError extends EngineError {
  readonly code = 'TB-DELEGATION-NOT-ALLOWED';
  readonly status = 409;
  constructor(readonly taskId: string, readonly reason: string) {
    super(`Task ${taskId}: ${reason}.`);
  }
}

/** A substitution window (代理) that does not exist, or is not the caller's own to cancel. */
export class SubstitutionNotFoundError extends EngineError {
  readonly code = 'TB-SUBSTITUTION-404';
  readonly status = 404;
  constructor(readonly substitutionId: string) {
    super(`Substitution ${substitutionId} does not exist or is not yours.`);
  }
}

/** A substitution window that ended already: there is nothing left of it to cancel. Nothing changed. */
export class SubstitutionEndedError extends EngineError {
  readonly code = 'TB-SUBSTITUTION-ENDED';
  readonly status = 409;
  constructor(readonly substitutionId: string, readonly endedAt: Date) {
    super(`Substitution ${substitutionId} ended at ${endedAt.toISOString()}; there is nothing left to cancel.`);
  }
}

/**
 * A take-over (接办) the task or the window does not allow: the window does not hold now (not begun, ended, cancelled),
 * the task is not claimed by the absent person, it is delegated pending (委派), closed, or a power of its holder's
 * own that the definition keeps from substitutes. Nothing changed.
 */
export class TakeOverNotAllowedError extends EngineError {
  readonly code = 'TB-TAKE-OVER-NOT-ALLOWED';
  readonly status = 409;
  constructor(readonly taskId: string, readonly reason: string) {
    super(`Task ${taskId} cannot be taken over: ${reason}.`);
  }
}
