import { EngineError } from './engine-error.js';

/** Refusals to those outside the departments: the applicant's progress query and rating (好差评), department systems' keys and webhooks. */

export class ApiKeyNotFoundError extends EngineError {
  readonly code = 'TB-API-KEY-404';
  readonly status = 404;
  constructor(readonly keyId: string) {
    super(`API key ${keyId} does not exist.`);
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
