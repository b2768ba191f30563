import type { Redis } from 'ioredis';

/**
 * When the reconciler last finished a tick, kept in Redis beside its other keys (`<prefix>::…`), so that the
 * readiness of every API and worker process can tell a reconciler that stopped. Redis rather than
 * PostgreSQL: the reconciler's work is Redis' content (a reconciler that cannot reach Redis has not run),
 * and a Redis emptied since the last tick rightly reads as "not run since".
 */
const heartbeatKey = (prefix: string) => `${prefix}::reconciler-ran`;

export async function recordReconcilerRun(redis: Redis, prefix: string, at: Date): Promise<void> {
  await redis.set(heartbeatKey(prefix), at.toISOString());
}

/** When the reconciler last finished a tick under `prefix`, or null if it has not since Redis was emptied. */
export async function lastReconcilerRun(redis: Redis, prefix: string): Promise<Date | null> {
  const at = await redis.get(heartbeatKey(prefix));
  return at === null ? null : new Date(at);
}
