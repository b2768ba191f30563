/**
 * Readiness as a process reports it: named checks, each with a status and a line saying why. What is
 * checked is the process's own affair (`workers/readiness.ts` for PostgreSQL, Redis and the reconciler);
 * the API's `/readyz` and the workers' log show the same result through these types.
 */

/** `unknown`: what it depends on did not answer. Only `ok` and `not-configured` are ready. */
export type CheckStatus = 'ok' | 'failing' | 'unknown' | 'not-configured';

/** One thing a process depends on, as it stands. */
export interface Check {
  readonly status: CheckStatus;
  readonly detail: string;
}

/**
 * - `ready`: every check is `ok` or `not-configured`;
 * - `degraded`: what commands need answers (the process can do its work), but something that delivers their
 *   effects does not (Redis, the reconciler, the outbox): deliveries wait, nothing is lost, they catch up;
 * - `not-ready`: what commands need does not answer (PostgreSQL, its migrations).
 */
export type ReadinessStatus = 'ready' | 'degraded' | 'not-ready';

/** Every check by name, and what they add up to. */
export interface Readiness<Name extends string = string> {
  readonly status: ReadinessStatus;
  readonly checks: Readonly<Record<Name, Check>>;
}

/**
 * The checks that failed, in one line.
 *
 * @example whatIsWrong(readiness) // 'redis: Redis did not answer within 2000 ms'
 */
export function whatIsWrong(readiness: Readiness): string {
  return Object.entries(readiness.checks)
    .filter(([, c]) => c.status === 'failing' || c.status === 'unknown')
    .map(([name, c]) => `${name}: ${c.detail}`)
    .join('; ');
}
