import { Redis } from 'ioredis';
import type { WallClock } from '../engine/time/wall-clock.js';
import type { Sql } from '../db/connection.js';
import { databaseReadiness, type DatabaseReadiness } from '../db/readiness.js';
import type { Check, Readiness } from '../platform/readiness.js';
import { lastReconcilerRun } from './reconciler-heartbeat.js';

/** Redis as a process sees it: the connection and the queues' key prefix. */
export interface RedisView {
  readonly connection: Redis;
  readonly prefix: string;
}

export interface ReadinessLimits {
  /** How old the oldest undelivered outbox row or notification may be (the relay polls every second). */
  readonly outboxLagMs: number;
  /** How long ago the reconciler may have last finished a tick (it ticks every 30 s). */
  readonly reconcilerAgeMs: number;
  /** How long PostgreSQL and Redis may take to answer. */
  readonly answerMs: number;
}

export const DEFAULT_READINESS_LIMITS: ReadinessLimits = { outboxLagMs: 60_000, reconcilerAgeMs: 5 * 60_000, answerMs: 2_000 };

export interface ReadinessSources {
  readonly sql: Sql;
  readonly clock: WallClock;
  /** Absent where the process runs without Redis (an API without REDIS_URL): Redis is then "not configured". */
  readonly redis?: RedisView;
  readonly limits?: Partial<ReadinessLimits>;
}

export type CheckName = 'postgres' | 'migrations' | 'outbox' | 'redis' | 'reconciler';

/**
 * What a command needs to commit. PostgreSQL is the truth and Redis only delivers (DESIGN.md rule 1): while
 * these answer, commands commit and their effects wait in the outbox, so the other checks failing makes a
 * process `degraded`, not `not-ready`. A load balancer pulling every API process for a Redis outage would turn
 * a delivery delay into an outage.
 */
const COMMAND_CHECKS: readonly CheckName[] = ['postgres', 'migrations'];

/**
 * Whether this process can do its work: PostgreSQL answers with every shipped migration applied, what
 * commands committed is being delivered (outbox lag), and, where Redis is configured, Redis answers and
 * the reconciler ran lately. Each source gets `answerMs` to answer (a frozen server cannot hang the probe);
 * the checks run side by side. `not-ready` when a check of {@link COMMAND_CHECKS} fails, `degraded` when only
 * deliveries are hurt.
 *
 * @example
 * const { status, checks } = await checkReadiness({ sql, clock: systemClock, redis: { connection, prefix } });
 */
export async function checkReadiness(sources: ReadinessSources): Promise<Readiness<CheckName>> {
  const limits = { ...DEFAULT_READINESS_LIMITS, ...sources.limits };
  const now = sources.clock.now().getTime();
  const [database, redis] = await Promise.all([
    settle(databaseReadiness(sources.sql), limits.answerMs),
    sources.redis ? settle(redisReadiness(sources.redis), limits.answerMs) : null,
  ]);
  const checks: Record<CheckName, Check> = {
    postgres: database.ok ? ok('answers') : failing(`PostgreSQL ${database.why}`),
    ...databaseChecks(database.ok ? database.value : null, now, limits),
    redis: !redis ? notConfigured : redis.ok ? ok('answers') : failing(`Redis ${redis.why}`),
    reconciler: !redis ? notConfigured : redis.ok ? reconcilerCheck(redis.value, now, limits) : unknown('Redis did not answer'),
  };
  const fine = (c: Check) => c.status === 'ok' || c.status === 'not-configured';
  const status = !COMMAND_CHECKS.every((name) => fine(checks[name])) ? 'not-ready' : Object.values(checks).every(fine) ? 'ready' : 'degraded';
  return { status, checks };
}

/**
 * A connection for readiness alone, for a process that has no other use for Redis (the API): it does not
 * queue commands while disconnected, so a probe fails at once instead of waiting for Redis to come back.
 */
export function connectForReadiness(url: string, onError: (error: Error) => void): Redis {
  const connection = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
  connection.on('error', onError);
  return connection;
}

async function redisReadiness(redis: RedisView): Promise<Date | null> {
  await redis.connection.ping();
  return lastReconcilerRun(redis.connection, redis.prefix);
}

function databaseChecks(db: DatabaseReadiness | null, now: number, limits: ReadinessLimits): Pick<Record<CheckName, Check>, 'migrations' | 'outbox'> {
  if (!db) return { migrations: unknown('PostgreSQL did not answer'), outbox: unknown('PostgreSQL did not answer') };
  const lag = db.oldestUndeliveredAt ? now - db.oldestUndeliveredAt.getTime() : 0;
  return {
    migrations: db.pendingMigrations === 0 ? ok('all applied') : failing(`${db.pendingMigrations} migration(s) not applied`),
    outbox:
      lag <= limits.outboxLagMs
        ? ok(db.oldestUndeliveredAt ? `oldest undelivered row ${seconds(lag)} old` : 'nothing undelivered')
        : failing(`oldest undelivered row is ${seconds(lag)} old (limit ${seconds(limits.outboxLagMs)})`),
  };
}

function reconcilerCheck(lastRun: Date | null, now: number, limits: ReadinessLimits): Check {
  if (!lastRun) return failing('has not run since Redis was last emptied');
  const age = now - lastRun.getTime();
  return age <= limits.reconcilerAgeMs ? ok(`ran ${seconds(age)} ago`) : failing(`last ran ${seconds(age)} ago (limit ${seconds(limits.reconcilerAgeMs)})`);
}

type Settled<T> = { ok: true; value: T } | { ok: false; why: string };

/** The answer, or why there is none: an error (by its code: readiness is public, messages may hold SQL) or no answer in time. */
async function settle<T>(answer: Promise<T>, withinMs: number): Promise<Settled<T>> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Settled<T>>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, why: `did not answer within ${withinMs} ms` }), withinMs);
  });
  const settled = answer.then(
    (value): Settled<T> => ({ ok: true, value }),
    (error: unknown): Settled<T> => ({ ok: false, why: `failed (${String((error as { code?: unknown } | null)?.code ?? 'no code')})` }),
  );
  try {
    return await Promise.race([settled, late]);
  } finally {
    clearTimeout(timer);
  }
}

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;
const ok = (detail: string): Check => ({ status: 'ok', detail });
const failing = (detail: string): Check => ({ status: 'failing', detail });
const unknown = (detail: string): Check => ({ status: 'unknown', detail });
const notConfigured: Check = { status: 'not-configured', detail: 'this process runs without Redis' };
