/**
 * The failures that mean PostgreSQL cannot take the request now, not that the request is wrong: the API answers
 * them 503 with Retry-After (`api/problem.ts`), and a worker's job retries them with backoff. Every other failure
 * stays unexpected (500). One place decides, so that the API, the workers and the readiness probe agree.
 *
 * - No connection: postgres.js's own codes for a connection closed, ended (the pool is shutting down), destroyed or
 *   not made in time, and Node's socket errors (refused, reset, unreachable, the host not found).
 * - SQLSTATE class 08 (connection exception), and 57P01–57P03: the server shutting down (a restart, a failover) or
 *   not accepting connections yet (starting, recovering).
 * - Class 53, insufficient resources: disk full (53100), out of memory (53200), too many connections (53300).
 * - 25006, read-only transaction: a server refusing writes (a managed PostgreSQL whose disk fills, a standby after
 *   a failover).
 */
const CONNECTION_CODES: ReadonlySet<string> = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** The server ending the session: an administrator's or a crash's shutdown (FATAL; the connection closes next). */
const SESSION_ENDED: ReadonlySet<string> = new Set(['57P01', '57P02']);

/** The server up but refusing: not accepting connections yet, out of resources, refusing writes. */
const REFUSALS: ReadonlySet<string> = new Set(['57P03', '53000', '53100', '53200', '53300', '25006']);

/** SQLSTATE class 08, connection exception. */
const CONNECTION_EXCEPTION = /^08[0-9A-Z]{3}$/;

/** How deep a chain of `cause` is followed (drizzle wraps the driver's error in a `DrizzleQueryError`). */
const MAX_CAUSES = 5;

/**
 * The code by which `error` (or an error it wraps as `cause`) says the database is unavailable (see the list above),
 * e.g. `ECONNREFUSED` or `57P01`; null for any other failure.
 *
 * @example
 * if (databaseUnavailableCode(error)) return serviceUnavailable(c); // 503, Retry-After
 */
export function databaseUnavailableCode(error: unknown): string | null {
  return findCode(error, isUnavailable);
}

/**
 * Whether `error` says the connection is gone — closed or reset under a query, or not to be made (the server down) —
 * by the driver's or the socket's own code, rather than the server answering on a live connection (a full disk, a
 * read-only server). A connection lost is never written to again (see `withReservedConnection`).
 *
 * A server's FATAL (57P01, a restart) is not one: postgres.js 3.4.9 fails the query in flight with `CONNECTION_CLOSED`
 * when the socket closes after it, and hands the FATAL itself to the first query of the connection once reconnected
 * — a live one, to be rolled back and given back.
 */
export function isConnectionLost(error: unknown): boolean {
  return findCode(error, (code) => CONNECTION_CODES.has(code)) !== null;
}

const isUnavailable = (code: string) => CONNECTION_CODES.has(code) || SESSION_ENDED.has(code) || CONNECTION_EXCEPTION.test(code) || REFUSALS.has(code);

function findCode(error: unknown, matches: (code: string) => boolean): string | null {
  let current = error;
  for (let depth = 0; depth <= MAX_CAUSES && typeof current === 'object' && current !== null; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && matches(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}
