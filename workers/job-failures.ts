import type { Worker } from 'bullmq';
import { errorFields, type Logger } from '../platform/logger.js';

/**
 * Logs a worker's failures, one line per failed attempt: `<kind>.retrying` while attempts remain,
 * `<kind>.failed` when BullMQ gives up (attempts used up, or `UnrecoverableError`, logged once). Failed jobs
 * are removed from Redis (see `DELIVERY_JOB_OPTIONS`), so this line is their record. Also logs the worker's
 * connection errors, which would otherwise crash the process as an unhandled `'error'` event.
 */
export function watchWorker<D, R, N extends string>(worker: Worker<D, R, N>, kind: string, logger: Logger): void {
  worker.on('failed', (job, error) => {
    const unrecoverable = error.name === 'UnrecoverableError';
    const attempts = job?.opts.attempts ?? 1;
    const attemptsMade = job?.attemptsMade ?? attempts;
    const final = unrecoverable || attemptsMade >= attempts;
    logger.log(final ? 'error' : 'warn', `${kind}.${final ? 'failed' : 'retrying'}`, {
      jobId: job?.id,
      data: job?.data,
      attemptsMade,
      attempts,
      ...errorFields(error),
    });
  });
  worker.on('error', (error) => logger.log('error', `${kind}.worker-error`, errorFields(error)));
}
