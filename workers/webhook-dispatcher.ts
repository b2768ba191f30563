import type { WallClock } from '../engine/time/wall-clock.js';
import type { Sql } from '../db/connection.js';
import { claimDueDeliveries, recordAttempt, type AttemptOutcome, type ClaimedDelivery } from '../db/webhook-deliveries.js';
import { WEBHOOK_CHANNEL } from '../db/webhook-events.js';
import { errorFields, type Logger } from '../platform/logger.js';
import { ListeningLoop } from './listening-loop.js';
import { signWebhook } from './webhook-signature.js';
import { DEFAULT_RETRY_POLICY, retryDelayMs, type RetryPolicy } from './webhook-retry.js';

export interface WebhookDispatcherOptions {
  readonly sql: Sql;
  readonly clock: WallClock;
  readonly logger: Logger;
  readonly retry?: Partial<RetryPolicy>;
  /** How long a receiver has to answer, body included (default 10 000 ms). */
  readonly timeoutMs?: number;
  /** Deliveries claimed, and sent in parallel, at a time (default 20). */
  readonly batchSize?: number;
  /** Poll interval: retries falling due, and a lost wake-up (default 1000 ms). */
  readonly pollMs?: number;
  /** Draws the retries' jitter (default `Math.random`). */
  readonly random?: () => number;
}

/** How much of a failure's description is kept as the delivery's last error. */
const ERROR_TEXT_CHARS = 300;

/**
 * Sends webhook deliveries to department systems (`docs/webhooks.md`). Each run claims the deliveries due
 * (`claimDueDeliveries`: `FOR UPDATE SKIP LOCKED` and a lease, so dispatchers in many processes share them and a
 * dispatcher that dies mid-request leaves them to the next), POSTs each signed, and records the outcome: a 2xx is
 * delivered; anything else (a refusal, a redirect, a timeout, no connection) is tried again after a backoff with
 * jitter, and after the last attempt the delivery is dead (a dead letter, replayable through the API). Woken by the
 * relay when it made deliveries (`WEBHOOK_CHANNEL`), and by a poll for retries falling due. Instants come from the
 * injected clock.
 *
 * @example
 * const dispatcher = new WebhookDispatcher({ sql, clock: systemClock, logger });
 * await dispatcher.start();
 * // ...
 * await dispatcher.stop();
 */
export class WebhookDispatcher {
  readonly #retry: RetryPolicy;
  readonly #timeoutMs: number;
  readonly #batchSize: number;
  readonly #loop: ListeningLoop;

  constructor(private readonly opts: WebhookDispatcherOptions) {
    this.#retry = { ...DEFAULT_RETRY_POLICY, ...opts.retry };
    this.#timeoutMs = opts.timeoutMs ?? 10_000;
    this.#batchSize = opts.batchSize ?? 20;
    this.#loop = new ListeningLoop(
      opts.sql,
      WEBHOOK_CHANNEL,
      async () => {
        await this.dispatchDue();
      },
      opts.pollMs ?? 1_000,
      (error) => opts.logger.log('error', 'webhooks.failed', errorFields(error)),
    );
  }

  start(): Promise<void> {
    return this.#loop.start();
  }

  /** Stops claiming; waits for the requests in flight and their outcomes. */
  stop(): Promise<void> {
    return this.#loop.stop();
  }

  /** Sends what is due now, batch after batch, until a batch comes back short; returns how many attempts it made. */
  async dispatchDue(): Promise<number> {
    let total = 0;
    for (;;) {
      // A delivery's lease outlasts its request: the timeout, and time to record the outcome.
      const claimed = await claimDueDeliveries(this.opts.sql, this.opts.clock.now(), this.#batchSize, this.#timeoutMs + 30_000);
      await Promise.all(claimed.map((d) => this.#attempt(d)));
      total += claimed.length;
      if (claimed.length < this.#batchSize || this.#loop.stopping) return total;
    }
  }

  async #attempt(d: ClaimedDelivery): Promise<void> {
    const sent = await this.#post(d);
    const at = this.opts.clock.now();
    const delay = sent.delivered ? null : retryDelayMs(this.#retry, d.attempt, this.opts.random);
    const outcome: AttemptOutcome = { id: d.id, attempt: d.attempt, ...sent, at, retryAt: delay === null ? null : new Date(at.getTime() + delay) };
    await recordAttempt(this.opts.sql, outcome);
    if (!sent.delivered) {
      this.opts.logger.log(delay === null ? 'error' : 'warn', delay === null ? 'webhook.dead' : 'webhook.retrying', {
        deliveryId: d.id,
        attempt: d.attempt,
        status: sent.status,
        error: sent.error,
      });
    }
  }

  /** One signed POST; never throws: a failure is the attempt's outcome. Redirects are not followed. */
  async #post(d: ClaimedDelivery): Promise<Pick<AttemptOutcome, 'delivered' | 'status' | 'error'>> {
    const body = JSON.stringify(d.payload);
    const timestamp = Math.floor(this.opts.clock.now().getTime() / 1000);
    try {
      const res = await fetch(d.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.#timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Tongban-Webhooks/1',
          'x-tongban-event': d.event,
          'x-tongban-delivery': d.id,
          'x-tongban-timestamp': String(timestamp),
          'x-tongban-signature': signWebhook(d.secret, timestamp, body),
        },
        body,
      });
      // The answer's body is never read, so never kept: a URL pointing inside the network (a department system's key
      // chooses it) must not make the deliveries list a way to read what answers there. The status says enough.
      await res.body?.cancel();
      if (res.status >= 200 && res.status < 300) return { delivered: true, status: res.status, error: null };
      return { delivered: false, status: res.status, error: `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`.slice(0, ERROR_TEXT_CHARS) };
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
      return { delivered: false, status: null, error: `${error instanceof Error ? error.message : String(error)}${cause}`.slice(0, ERROR_TEXT_CHARS) };
    }
  }
}
