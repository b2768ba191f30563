/**
 * The engine's one error tree. Every error has a stable `code` that the API maps to an RFC 9457
 * problem type, and says whether retrying the same command could succeed (`retryable`).
 */
export abstract class EngineError extends Error {
  abstract readonly code: `TB-${string}`;
  /** HTTP status the API answers with; the engine itself knows nothing of HTTP beyond this hint. */
  abstract readonly status: 400 | 403 | 404 | 409 | 413 | 422;
  readonly retryable: boolean = false;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

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

export class ServiceItemNotFoundError extends EngineError {
  readonly code = 'TB-SERVICE-ITEM-404';
  readonly status = 404;
  constructor(readonly serviceItemCode: string) {
    super(`Service item ${serviceItemCode} does not exist.`);
  }
}

export class DefinitionNotFoundError extends EngineError {
  readonly code = 'TB-DEFINITION-404';
  readonly status = 404;
  constructor(readonly key: string, readonly version?: number) {
    super(`Process definition ${key}${version === undefined ? '' : ` v${version}`} is not published.`);
  }
}

/** A published definition version is immutable: publishing different content under it is refused. */
export class DefinitionImmutableError extends EngineError {
  readonly code = 'TB-DEFINITION-IMMUTABLE';
  readonly status = 409;
  constructor(readonly key: string, readonly version: number) {
    super(`Process definition ${key} v${version} is already published with different content; publish a new version.`);
  }
}

/**
 * A definition that cannot run as written: not plain JSON, or naming an action, guard, param, event or
 * state the engine does not have. Refused at publish, so no case ever reaches the fault.
 */
export class DefinitionInvalidError extends EngineError {
  readonly code = 'TB-DEFINITION-INVALID';
  readonly status = 422;
  constructor(
    readonly key: string,
    readonly version: number,
    readonly problems: readonly { readonly path: string; readonly problem: string }[],
  ) {
    super(`Process definition ${key} v${version} is invalid: ${problems.map((p) => `${p.path}: ${p.problem}`).join('; ')}.`);
  }
}

/** What a designer's publication is refused for, each with where it is (the lint's findings, an item's problems). */
export interface DesignProblem {
  readonly path: string;
  readonly problem: string;
}

/** A definition whose lint found errors (`lintDefinition`): it is not published; the draft stays as it was. */
export class DefinitionLintError extends EngineError {
  readonly code = 'TB-DEFINITION-LINT';
  readonly status = 422;
  constructor(
    readonly key: string,
    readonly version: number,
    readonly problems: readonly DesignProblem[],
  ) {
    super(`Process definition ${key} v${version} has ${problems.length} lint error(s) and is not published: ${problems.map((p) => `${p.path}: ${p.problem}`).join('; ')}`);
  }
}

/** A service item version whose content breaks the catalogue's rules (limits, departments, calendar, definition). */
export class ServiceItemInvalidError extends EngineError {
  readonly code = 'TB-SERVICE-ITEM-INVALID';
  readonly status = 422;
  constructor(
    readonly serviceItemCode: string,
    readonly version: number,
    readonly problems: readonly DesignProblem[],
  ) {
    super(`Service item ${serviceItemCode} v${version} is invalid: ${problems.map((p) => `${p.path}: ${p.problem}`).join('; ')}.`);
  }
}

/**
 * A draft for a version that cannot take one: already published (a published version never changes), or not after
 * the latest published version (versions only go forward).
 */
export class CatalogVersionError extends EngineError {
  readonly code = 'TB-CATALOG-VERSION';
  readonly status = 409;
  constructor(
    readonly what: string,
    readonly version: number,
    reason: string,
  ) {
    super(`${what} v${version}: ${reason}.`);
  }
}

/** No draft of this version (never saved, or published since). */
export class DraftNotFoundError extends EngineError {
  readonly code = 'TB-DRAFT-404';
  readonly status = 404;
  constructor(
    readonly what: string,
    readonly version: number,
  ) {
    super(`${what} has no draft v${version}.`);
  }
}

/** A case shown on the diagram of a definition version it does not run on: its states are not that version's. */
export class CaseNotOnDefinitionError extends EngineError {
  readonly code = 'TB-CASE-NOT-ON-DEFINITION';
  readonly status = 422;
  constructor(
    readonly caseId: string,
    readonly key: string,
    readonly version: number,
    readonly caseKey: string,
    readonly caseVersion: number,
  ) {
    super(`Case ${caseId} runs on ${caseKey} v${caseVersion}, not ${key} v${version}.`);
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

/** A material (材料) the case does not hold, or one the caller's department does not see (its review does not need it). */
export class MaterialNotFoundError extends EngineError {
  readonly code = 'TB-MATERIAL-404';
  readonly status = 404;
  constructor(readonly caseId: string, readonly materialId: string) {
    super(`Case ${caseId} holds no material ${materialId} visible to you.`);
  }
}

/** An uploaded file that does not exist, was purged (staged over a day), or was uploaded by someone else: only its uploader attaches it. */
export class UploadNotFoundError extends EngineError {
  readonly code = 'TB-UPLOAD-404';
  readonly status = 404;
  constructor(readonly blobId: string) {
    super(`No upload ${blobId} of yours is waiting to be attached.`);
  }
}

/** An uploaded file already attached to a material: a file is submitted once; upload it again for another material. Nothing changed. */
export class UploadAttachedError extends EngineError {
  readonly code = 'TB-UPLOAD-ATTACHED';
  readonly status = 409;
  constructor(readonly blobId: string) {
    super(`Upload ${blobId} is attached to a material already.`);
  }
}

/** An uploaded file over the configured size (`TONGBAN_MATERIAL_MAX_BYTES`). Nothing is kept. */
export class UploadTooLargeError extends EngineError {
  readonly code = 'TB-UPLOAD-TOO-LARGE';
  readonly status = 413;
  constructor(readonly maxBytes: number) {
    super(`A material's file is limited to ${maxBytes} bytes.`);
  }
}

/** An upload refused for what it holds: a type outside the allow-list (judged by its leading bytes), or a file the scanner flags. Nothing is kept. */
export class UploadRefusedError extends EngineError {
  readonly status = 422;
  constructor(
    readonly code: 'TB-UPLOAD-TYPE' | 'TB-UPLOAD-INFECTED',
    message: string,
  ) {
    super(message);
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

export class ApiKeyNotFoundError extends EngineError {
  readonly code = 'TB-API-KEY-404';
  readonly status = 404;
  constructor(readonly keyId: string) {
    super(`API key ${keyId} does not exist.`);
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

/**
 * A migration's state mapping (流程版本迁移) that cannot be applied to any case: a source state the from-version does
 * not have, a target the to-version does not have, or a target that would end the case (a final state). Refused
 * before any case is looked at; `problems` names each entry (`mapping.<source state id>`).
 */
export class MigrationMappingInvalidError extends EngineError {
  readonly code = 'TB-MIGRATION-MAPPING';
  readonly status = 422;
  constructor(
    readonly key: string,
    readonly problems: readonly DesignProblem[],
  ) {
    super(`The state mapping of ${key} cannot be applied: ${problems.map((p) => `${p.path}: ${p.problem}`).join('; ')}.`);
  }
}

/** A case the migration cannot move: one of its active states (and every ancestor of it) is not mapped. Nothing changed. */
export class MigrationUnmappedStateError extends EngineError {
  readonly code = 'TB-MIGRATION-UNMAPPED';
  readonly status = 409;
  constructor(
    readonly caseId: string,
    readonly stateId: string,
  ) {
    super(`Case ${caseId} is in state ${stateId}, which the mapping does not map (nor any state containing it).`);
  }
}

/** A case whose mapped states cannot be active together in the target version (two states of one region). Nothing changed. */
export class MigrationTargetsConflictError extends EngineError {
  readonly code = 'TB-MIGRATION-TARGETS';
  readonly status = 409;
  constructor(
    readonly caseId: string,
    readonly targets: readonly string[],
  ) {
    super(`Case ${caseId} would be in ${targets.join(' and ')} at once, which are not parallel states of the target version.`);
  }
}

export class MigrationNotFoundError extends EngineError {
  readonly code = 'TB-MIGRATION-404';
  readonly status = 404;
  constructor(readonly migrationId: string) {
    super(`Migration ${migrationId} does not exist.`);
  }
}

/**
 * A return to the applicant (补正) without a valid supplement request, or a request on a completion that does not go to
 * the applicant: the request names at least one material, each among the service item's materials, none twice, each with
 * its reason (一次性告知). `path` is the field at fault. Nothing changed.
 */
export class SupplementRequestInvalidError extends EngineError {
  readonly code = 'TB-SUPPLEMENT-REQUEST-INVALID';
  readonly status = 422;
  constructor(
    readonly taskId: string,
    readonly reason: string,
    readonly path: readonly (string | number)[] = ['supplementRequest'],
  ) {
    super(`The completion of task ${taskId} cannot ask for this supplement: ${reason}.`);
  }
}

/**
 * 一次性告知 (行政许可法 art. 32): a later supplement request names a material the first request of the case did not
 * name and the applicant has not changed since — it should have been asked for the first time. Nothing changed.
 */
export class SupplementNotOnceError extends EngineError {
  readonly code = 'TB-SUPPLEMENT-NOT-ONCE';
  readonly status = 409;
  constructor(
    readonly caseId: string,
    /** The materials refused, as the request names them. */
    readonly materials: readonly string[],
  ) {
    super(
      `Case ${caseId} was already asked for a supplement: ${materials.join(', ')} should have been asked for the first time ` +
        '(一次性告知); a later request names only what an earlier one named, or a material the applicant changed since.',
    );
  }
}

/**
 * The public progress query (进度查询) or a rating named a case number and query code that do not match: no such case,
 * a case without a code, or a wrong code all answer this, so that nobody learns which case numbers exist.
 */
export class ProgressNotFoundError extends EngineError {
  readonly code = 'TB-PROGRESS-404';
  readonly status = 404;
  constructor() {
    super('No case matches this case number and query code.');
  }
}

/** 好差评: a case is rated once, after it ended; `reason` says which rule refused it. Nothing changed. */
export class RatingNotAllowedError extends EngineError {
  readonly code = 'TB-RATING-NOT-ALLOWED';
  readonly status = 409;
  constructor(
    readonly caseNumber: string,
    readonly reason: 'not-ended' | 'already-rated',
  ) {
    super(reason === 'not-ended' ? `Case ${caseNumber} has not ended yet: it is rated once it has.` : `Case ${caseNumber} is rated already: a case is rated once.`);
  }
}

/** A fix task (整改) that does not exist, is not your department's, or was answered already. */
export class FixTaskNotFoundError extends EngineError {
  readonly code = 'TB-FIX-TASK-404';
  readonly status = 404;
  constructor(readonly caseId: string) {
    super(`Case ${caseId} has no open fix task (整改) of your department.`);
  }
}

/** A webhook subscription that does not exist, or (to a department system) is another department's: 404 either way. */
export class WebhookSubscriptionNotFoundError extends EngineError {
  readonly code = 'TB-WEBHOOK-404';
  readonly status = 404;
  constructor(readonly subscriptionId: string) {
    super(`Webhook subscription ${subscriptionId} does not exist or is not your department's.`);
  }
}

/** A webhook delivery that does not exist, or (to a department system) is another department's. */
export class WebhookDeliveryNotFoundError extends EngineError {
  readonly code = 'TB-WEBHOOK-DELIVERY-404';
  readonly status = 404;
  constructor(readonly deliveryId: string) {
    super(`Webhook delivery ${deliveryId} does not exist or is not your department's.`);
  }
}

/**
 * Only a dead letter of an active subscription is replayed: a pending delivery is still being tried, a delivered
 * one reached its receiver (it is listed for a system to read again), and an inactive subscription sends nothing.
 */
export class WebhookNotReplayableError extends EngineError {
  readonly code = 'TB-WEBHOOK-NOT-REPLAYABLE';
  readonly status = 409;
  constructor(
    /** The delivery, or the subscription whose dead letters were to be replayed. */
    readonly id: string,
    readonly reason: 'not-dead' | 'subscription-inactive',
  ) {
    super(
      reason === 'not-dead'
        ? `Webhook delivery ${id} is not a dead letter: only those are replayed.`
        : `The webhook subscription of ${id} is inactive: activate it before replaying.`,
    );
  }
}

/** An electronic licence (电子证照) that does not exist: by number, or none of the type held by the applicant. */
export class LicenceNotFoundError extends EngineError {
  readonly code = 'TB-LICENCE-404';
  readonly status = 404;
  constructor(readonly licence: string) {
    super(`No licence ${licence}.`);
  }
}

/** A revocation (吊销/注销) of a licence revoked already: the first one stands, nothing changed. */
export class LicenceAlreadyRevokedError extends EngineError {
  readonly code = 'TB-LICENCE-REVOKED';
  readonly status = 409;
  constructor(readonly number: string) {
    super(`Licence ${number} is revoked already.`);
  }
}

/**
 * A licence named to stand in for a material (证照复用) that does not verify as valid: expired, revoked, forged (its
 * signature fails against what is stored), unsigned (issued before licences were signed), or another holder's.
 */
export class LicenceNotReusableError extends EngineError {
  readonly code = 'TB-LICENCE-NOT-REUSABLE';
  readonly status = 409;
  constructor(readonly number: string, readonly reason: 'expired' | 'revoked' | 'forged' | 'unsigned' | 'another-holder' | 'another-type') {
    super(`Licence ${number} cannot stand in for the material: ${LICENCE_REFUSALS[reason]}.`);
  }
}

const LICENCE_REFUSALS = {
  expired: 'it has expired',
  revoked: 'it was revoked',
  forged: 'its signature does not verify',
  unsigned: 'it was issued before licences were signed, so nothing vouches for it',
  'another-holder': 'the applicant does not hold it',
  'another-type': 'it is not of the type the material takes',
} as const;

/** A licence named for a material the service item says no licence (or no licence of this type) can replace. */
export class MaterialTakesNoLicenceError extends EngineError {
  readonly code = 'TB-MATERIAL-NO-LICENCE';
  readonly status = 422;
  constructor(readonly material: string, readonly licenceType: string | null) {
    super(
      licenceType === null
        ? `The material ${material} is not one a licence can stand in for under this service item.`
        : `The material ${material} takes a licence of type ${licenceType} only.`,
    );
  }
}
