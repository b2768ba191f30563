import { createHash } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { CommandOptions } from '../engine/engine.js';
import type { ApiQueries } from '../db/api-queries.js';
import type { KeptAnswer } from '../db/idempotency-keys.js';
import type { AuthEnv } from './auth.js';
import { problem, problemType } from './problem.js';

/**
 * How a route answers a retried request (same caller, key and body):
 * - `answer`: with the answer kept from the first request. Commands keep their result in their own
 *   transaction, so a command never runs twice; other POSTs keep theirs right after answering, or what the
 *   route sets as `replayAnswer` instead (an API key without its secret).
 * - `rerun`: by running the route again, because the answer must not be kept (the applicant's personal
 *   data stays only where the case keeps it): the command keeps a reference to its audit event, and each
 *   replay is a new read under the caller's current permissions, audited like the first.
 */
export type Replay = 'answer' | 'rerun';

/** A POST sent with a well-formed Idempotency-Key, with what is kept under it. */
interface IdempotentRequest {
  readonly principal: string;
  readonly key: string;
  readonly requestHash: string;
  kept(): Promise<KeptAnswer | null>;
  keep(answer: KeptAnswer): Promise<void>;
}

/** What a command needs to keep its answer in its own transaction. */
type PendingAnswer = NonNullable<CommandOptions['idempotency']>;

export type IdempotentEnv = AuthEnv & {
  Variables: {
    idempotentRequest?: IdempotentRequest;
    /** Set when this request's answer is still to be kept (not on a replay). */
    idempotency?: Omit<PendingAnswer, 'status'>;
    /** What to keep for a replay instead of the answer itself, when the answer holds a secret. */
    replayAnswer?: unknown;
  };
};

const KEY_FORMAT = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * Reads the Idempotency-Key of a POST, app-wide after authentication: refuses a malformed one with 400 and
 * fingerprints the request. It answers no replay: that is the last step of each route
 * ({@link idempotentReplay}), after the route's permission check, rate limit and other guards.
 */
export function idempotencyKey(answers: Pick<ApiQueries, 'findKeptAnswer' | 'keepAnswer'>): MiddlewareHandler<IdempotentEnv> {
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (c.req.method !== 'POST' || key === undefined) return next();
    if (!KEY_FORMAT.test(key)) {
      return problem(c, {
        type: problemType('validation'),
        code: 'TB-VALIDATION',
        title: 'Invalid request',
        status: 400,
        detail: 'Idempotency-Key must be 8 to 128 characters of letters, digits and . _ : -',
        errors: [{ path: 'header.Idempotency-Key', message: 'invalid format' }],
      });
    }
    const principal = c.get('actor').userId;
    const requestHash = createHash('sha256').update(`${c.req.method} ${c.req.path}\n${await c.req.text()}`).digest('hex');
    c.set('idempotentRequest', {
      principal,
      key,
      requestHash,
      kept: () => answers.findKeptAnswer(principal, key),
      keep: (answer) => answers.keepAnswer(principal, key, answer),
    });
    await next();
  };
}

/**
 * A route's last step before its handler: a retried request gets its replay (see {@link Replay}) and
 * `Idempotent-Replayed: true`; the same key with another body is refused with 422. Running after the route's
 * checks, a replay is refused to a caller who may no longer perform the operation and is rate limited.
 */
export function idempotentReplay(replay: Replay): MiddlewareHandler<IdempotentEnv> {
  return async (c, next) => {
    const request = c.get('idempotentRequest');
    if (!request) return next();
    const kept = await request.kept();
    if (kept && kept.requestHash !== request.requestHash) return mismatch(c);
    if (kept && replay === 'answer') return replayed(c, kept);
    if (kept) {
      await next();
      c.header('Idempotent-Replayed', 'true');
      return;
    }

    const { principal, key, requestHash } = request;
    c.set('idempotency', { principal, key, requestHash, keep: replay === 'rerun' ? 'audit-event' : 'result' });
    await next();
    if (replay === 'rerun') return;
    if (c.error) {
      // A concurrent twin may have committed first: then its answer is ours too.
      const twin = await request.kept();
      if (twin) c.res = twin.requestHash === requestHash ? replayed(c, twin) : mismatch(c);
      return;
    }
    if (c.res.status < 300) {
      const substitute = c.get('replayAnswer');
      await request.keep({ requestHash, status: c.res.status, response: substitute === undefined ? await c.res.clone().json() : substitute });
    }
  };
}

/** Options for `engine.execute`/`startCase` that keep the answer (status `status`) with the command. */
export function commandOptions(c: Context<IdempotentEnv>, status: number): CommandOptions {
  const pending = c.get('idempotency');
  return pending ? { idempotency: { ...pending, status } } : {};
}

function mismatch(c: Context): Response {
  return problem(c, {
    type: problemType('TB-IDEMPOTENCY-MISMATCH'),
    title: 'Unprocessable content',
    status: 422,
    code: 'TB-IDEMPOTENCY-MISMATCH',
    detail: 'This Idempotency-Key was used with a different request; use a new key for a new request.',
  });
}

/** The kept answer, made by the context so that it carries the headers set before it (the request id). */
function replayed(c: Context, kept: KeptAnswer): Response {
  return c.body(JSON.stringify(kept.response), kept.status as ContentfulStatusCode, { 'content-type': 'application/json', 'idempotent-replayed': 'true' });
}
