import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { databaseUnavailableCode } from '../db/database-unavailable.js';
import { CalendarYearInvalidError, DefinitionInvalidError, DefinitionLintError, EngineError, InvalidCommandError, InvalidTimeLimitError, MigrationMappingInvalidError, ServiceItemInvalidError, SupplementRequestInvalidError } from '../engine/errors.js';

/** A stable error code, what a department system branches on (README lists them all). */
export type ProblemCode = `TB-${string}`;

/**
 * RFC 9457 problem details: the one shape every error of the API takes. `type` and `code` are stable per
 * error kind (engine errors carry their code, e.g. TB-TASK-404); `errors` lists field paths for invalid input.
 */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: ProblemCode;
  readonly detail?: string;
  readonly errors?: readonly { readonly path: string; readonly message: string }[];
}

const TYPE_BASE = 'https://tongban.dev/problems/';

export const problemType = (slug: string) => `${TYPE_BASE}${slug}`;

export function problem(c: Context, p: Problem): Response {
  return c.body(JSON.stringify(p), p.status as ContentfulStatusCode, { 'content-type': 'application/problem+json' });
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Authentication required',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
};

/**
 * The API's one error mapper (`app.onError`). Engine errors become 4xx problems with their stable code;
 * HTTP exceptions keep their status; a database that cannot take the request now (restarting, failing over, full,
 * refusing writes: `databaseUnavailableCode`) is a 503 `TB-UNAVAILABLE` with Retry-After, which a client retries
 * with the same Idempotency-Key; anything else is logged and answered with a bare 500 that leaks no stack, SQL or
 * message.
 */
export function handleError(error: Error, c: Context, log: (entry: Record<string, unknown>) => void): Response {
  if (error instanceof EngineError) {
    const errors = fieldErrors(error);
    return problem(c, {
      type: problemType(error.code),
      title: TITLES[error.status] ?? 'Error',
      status: error.status,
      detail: error.message,
      code: error.code,
      ...(errors ? { errors } : {}),
    });
  }
  if (error instanceof HTTPException && error.status < 500) {
    return problem(c, {
      type: problemType(`http-${error.status}`),
      title: TITLES[error.status] ?? 'Error',
      status: error.status,
      // Hono raises these for malformed JSON (400), an undeclared media type (415) and the like.
      code: `TB-HTTP-${error.status}`,
      detail: error.message || TITLES[error.status] || 'Request refused',
    });
  }
  const unavailable = databaseUnavailableCode(error);
  if (unavailable) {
    // Expected in a restart, a failover or a full disk: one warning per request, not an error with its stack.
    log({ level: 'warn', msg: 'database unavailable', method: c.req.method, path: c.req.path, code: unavailable, error: String(error) });
    c.header('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
    return problem(c, {
      type: problemType('unavailable'),
      title: 'Service unavailable',
      status: 503,
      code: 'TB-UNAVAILABLE',
      // Whether a command cut off at its commit took effect, only its retry can tell: with the same Idempotency-Key.
      detail: 'The database cannot take requests right now. Retry after Retry-After seconds, with the same Idempotency-Key: a command that did take effect answers as it did.',
    });
  }
  log({ level: 'error', msg: 'unhandled error', method: c.req.method, path: c.req.path, error: String(error), stack: error.stack });
  return problem(c, { type: problemType('internal'), title: 'Internal server error', status: 500, code: 'TB-INTERNAL' });
}

/**
 * What a 503 for an unavailable database asks the client to wait: a restart or a failover takes seconds, and a
 * retry sooner only adds to the load of a server coming back.
 */
const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * The field paths of an engine error that names them, written as zod's are (`holidays.3`, not `holidays[3]`):
 * a refused calendar year lists every problem, a time limit that cannot be counted names its input.
 */
function fieldErrors(error: EngineError): Problem['errors'] {
  if (error instanceof DefinitionLintError || error instanceof ServiceItemInvalidError || error instanceof DefinitionInvalidError || error instanceof MigrationMappingInvalidError) return error.problems.map((p) => ({ path: p.path, message: p.problem }));
  if (error instanceof CalendarYearInvalidError) return error.problems.map((p) => ({ path: p.path.replace(/\[(\d+)\]/g, '.$1'), message: p.problem }));
  // A domain rule broken by one field (a rejection without reasons, a return target with an approval): name the field.
  if ((error instanceof InvalidTimeLimitError || error instanceof InvalidCommandError || error instanceof SupplementRequestInvalidError) && error.path.length > 0) return [{ path: error.path.join('.'), message: error.message }];
  return undefined;
}

/** Zod issues as field paths, e.g. `opinion.text`. */
export function validationProblem(c: Context, issues: readonly { path: readonly PropertyKey[]; message: string }[], where: string): Response {
  return problem(c, {
    type: problemType('validation'),
    title: 'Invalid request',
    status: 400,
    code: 'TB-VALIDATION',
    detail: `The request ${where} is not valid: ${issues.length} problem(s).`,
    errors: issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message })),
  });
}
