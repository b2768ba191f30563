import { createHash } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { CommandOptions } from '../engine/engine.js';
import type { Sql } from '../db/connection.js';
import type { AuthEnv } from './auth.js';
import { problem, problemType } from './problem.js';

/** What a handler needs to have its command's answer kept with the command. */
interface PendingAnswer {
  readonly principal: string;
  readonly key: string;
  readonly requestHash: string;
}

export type IdempotentEnv = AuthEnv & {
  Variables: {
    idempotency?: PendingAnswer;
    /** What to keep for a replay instead of the answer itself, when the answer holds a secret. */
    replayAnswer?: unknown;
  };
};

const KEY_FORMAT = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * Idempotency-Key on POST: a retried request (same caller, key and body) gets the stored answer with
 * `Idempotent-Replayed: true`; the same key with another body is refused with 422. Commands keep their
 * answer in their own transaction (see `commandOptions`), so a command never runs twice; other POSTs
 * keep theirs right after answering.
 */
export function idempotency(sql: Sql): MiddlewareHandler<IdempotentEnv> {
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (c.req.method !== 'POST' || key === undefined) return next();
    if (!KEY_FORMAT.test(key)) {
      return problem(c, {
        type: problemType('validation'),
        title: 'Invalid request',
        status: 400,
        detail: 'Idempotency-Key must be 8 to 128 characters of letters, digits and . _ : -',
        errors: [{ path: 'header.Idempotency-Key', message: 'invalid format' }],
      });
    }
    const principal = c.get('actor').userId;
    const requestHash = createHash('sha256').update(`${c.req.method} ${c.req.path}\n${await c.req.text()}`).digest('hex');
    const stored = await lookup(sql, principal, key);
    if (stored) return replayOrRefuse(c, stored, requestHash);

    c.set('idempotency', { principal, key, requestHash });
    await next();
    if (c.error) {
      // A concurrent twin may have committed first: then its answer is ours too.
      const twin = await lookup(sql, principal, key);
      if (twin) c.res = replayOrRefuse(c, twin, requestHash);
      return;
    }
    if (c.res.status < 300) {
      const replay = c.get('replayAnswer');
      const body: unknown = replay === undefined ? await c.res.clone().json() : replay;
      await sql`insert into idempotency_keys (principal, key, request_hash, status, response)
        values (${principal}, ${key}, ${requestHash}, ${c.res.status}, ${JSON.stringify(body)}::jsonb) on conflict do nothing`;
    }
  };
}

/** Options for `engine.execute`/`startCase` that keep the answer (status `status`) with the command. */
export function commandOptions(c: Context<IdempotentEnv>, status: number): CommandOptions {
  const pending = c.get('idempotency');
  return pending ? { idempotency: { ...pending, status } } : {};
}

interface StoredAnswer {
  readonly requestHash: string;
  readonly status: number;
  readonly response: unknown;
}

async function lookup(sql: Sql, principal: string, key: string): Promise<StoredAnswer | null> {
  const [row] = await sql`select request_hash, status, response from idempotency_keys where principal = ${principal} and key = ${key}`;
  return row ? { requestHash: row['request_hash'] as string, status: row['status'] as number, response: row['response'] } : null;
}

function replayOrRefuse(c: Context, stored: StoredAnswer, requestHash: string): Response {
  if (stored.requestHash !== requestHash) {
    return problem(c, {
      type: problemType('TB-IDEMPOTENCY-MISMATCH'),
      title: 'Unprocessable content',
      status: 422,
      code: 'TB-IDEMPOTENCY-MISMATCH',
      detail: 'This Idempotency-Key was used with a different request; use a new key for a new request.',
    });
  }
  return new Response(JSON.stringify(stored.response), {
    status: stored.status,
    headers: { 'content-type': 'application/json', 'idempotent-replayed': 'true' },
  });
}
