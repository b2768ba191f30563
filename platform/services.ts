import { join } from 'node:path';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { startEmbeddedRedis } from './embedded-redis.js';

/** Options of {@link startServices}. */
export interface ServicesOptions {
  /** Parent of the embedded servers' directories, `<dataDir>/postgres` and `<dataDir>/redis`. */
  dataDir: string;
  /** Keep PostgreSQL's fsync and synchronous commit (default true); tests pass false. */
  durable?: boolean;
  /** Receives the servers' output, one line at a time. */
  log?: (line: string) => void;
}

/** Where PostgreSQL and Redis are, and how to stop the ones we started. */
export interface Services {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  /** Stops only the servers that {@link startServices} started; the others are not ours. */
  stop(): Promise<void>;
}

interface Started {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * PostgreSQL and Redis for a run: the ones named by `DATABASE_URL` / `REDIS_URL` when set, otherwise
 * embedded servers started (in parallel) under `dataDir`.
 *
 * @example
 * const services = await startServices({ dataDir: '.data/dev', log: console.log });
 * // ... use services.databaseUrl and services.redisUrl ...
 * await services.stop();
 */
export async function startServices(opts: ServicesOptions): Promise<Services> {
  const log = opts.log ?? (() => {});
  const external = (url: string): Started => ({ url, stop: async () => {} });
  const databaseUrl = process.env.DATABASE_URL;
  const redisUrl = process.env.REDIS_URL;
  const results = await Promise.allSettled([
    databaseUrl
      ? external(databaseUrl)
      : startEmbeddedPostgres({ dataDir: join(opts.dataDir, 'postgres'), log, durable: opts.durable ?? true }),
    redisUrl ? external(redisUrl) : startEmbeddedRedis({ dataDir: join(opts.dataDir, 'redis'), log }),
  ]);
  const started = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const stop = async (): Promise<void> => {
    await Promise.all(started.map((service) => service.stop()));
  };
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) {
    // Do not leave the server that did start running behind a failed start.
    await stop();
    throw failure.reason;
  }
  const [postgres, redis] = started as [Started, Started];
  return { databaseUrl: postgres.url, redisUrl: redis.url, stop };
}
