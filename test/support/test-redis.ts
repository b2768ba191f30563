import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { inject } from 'vitest';

/**
 * A BullMQ queue prefix of one's own (BullMQ's own tests do the same), so that parallel test files never
 * see each other's jobs. Delete its keys afterwards with {@link deleteKeysWithPrefix}.
 *
 * @example new Queue('timers', { connection, prefix: testQueuePrefix() })
 */
export function testQueuePrefix(): string {
  return `test-${randomUUID()}`;
}

/**
 * An ioredis connection to the injected `redisUrl`, with `maxRetriesPerRequest: null` as BullMQ requires
 * for workers. The caller closes it (`quit()`).
 */
export function createRedisConnection(): Redis {
  return new Redis(inject('redisUrl'), { maxRetriesPerRequest: null });
}

/** Deletes every key that starts with `prefix` (e.g. a {@link testQueuePrefix}). */
export async function deleteKeysWithPrefix(prefix: string): Promise<void> {
  const redis = createRedisConnection();
  try {
    // SCAN rather than KEYS: it does not block the server other test files are using.
    for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 1000 }) as AsyncIterable<string[]>) {
      if (keys.length > 0) await redis.unlink(...keys);
    }
  } finally {
    await redis.quit();
  }
}
