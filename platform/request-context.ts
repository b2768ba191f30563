import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The request id of the work in hand: an API request's (`X-Request-Id`), or, in the workers, the one of the
 * request whose command wrote the outbox row a job came from. Kept in async context rather than passed along, so
 * that every log line written while serving it carries it (`platform/logger.ts`), and the commit it makes writes it
 * into its outbox rows (`db/commit-statement.ts`), without a parameter through every route, query and job.
 */
const context = new AsyncLocalStorage<string>();

/**
 * Runs `work` with `requestId` as the current request id (none: runs it as is).
 *
 * @example await withRequestId('3f0c…', () => next())
 */
export function withRequestId<T>(requestId: string | undefined, work: () => T): T {
  return requestId === undefined ? work() : context.run(requestId, work);
}

/** The current request id, if the work in hand has one. */
export function currentRequestId(): string | undefined {
  return context.getStore();
}
