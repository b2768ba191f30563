import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { taskId } from '../../../engine/ids.js';
import { demoActor } from '../../../apps/demo-users.js';
import type { LogLevel, Logger } from '../../../platform/logger.js';
import { startWorkers, type RunningWorkers, type StartWorkersOptions } from '../../../workers/start-workers.js';
import { CONSTRUCTION_PERMIT_REVIEWS } from '../../../workflows/construction-permit.js';
import { CONSTRUCTION_APPLICATION } from '../../support/case-driver.js';
import { createEngineFixture, type EngineFixture } from '../../support/engine-fixture.js';
import { createRedisConnection, deleteKeysWithPrefix, testQueuePrefix } from '../../support/test-redis.js';

/** A test file's world: its own database (manual clock), its own queue prefix, a Redis connection, logs. */
export interface WorkerWorld {
  readonly f: EngineFixture;
  readonly prefix: string;
  readonly redis: Redis;
  readonly logger: Logger & { readonly records: { level: LogLevel; event: string; fields: Record<string, unknown> }[] };
  /** Closes the connection, deletes the prefix's keys, drops the database. */
  close(): Promise<void>;
}

export async function createWorkerWorld(): Promise<WorkerWorld> {
  const f = await createEngineFixture();
  const prefix = testQueuePrefix();
  const redis = createRedisConnection();
  const records: WorkerWorld['logger']['records'] = [];
  return {
    f,
    prefix,
    redis,
    logger: { records, log: (level, event, fields = {}) => records.push({ level, event, fields }) },
    async close() {
      await redis.quit();
      await deleteKeysWithPrefix(prefix);
      await f.close();
    },
  };
}

/** What a test still chooses for the world's workers (intervals, concurrency…); the rest is the world's. */
type WorldWorkersOptions = Omit<StartWorkersOptions, 'sql' | 'redis' | 'engine' | 'clock' | 'prefix' | 'logger'>;

/**
 * Starts the workers on the world's database, engine, clock, queue prefix and logger, with a Redis connection
 * of their own (their `stop()` closes it; the world's stays open for the test).
 */
export function startWorldWorkers(w: WorkerWorld, options: WorldWorkersOptions = {}): Promise<RunningWorkers> {
  const { f, prefix, logger } = w;
  return startWorkers({ sql: f.sql, redis: createRedisConnection, engine: f.engine, clock: f.clock, prefix, logger, ...options });
}

/**
 * Polls until `probe` returns a value (not null, undefined or false). For waiting on jobs being processed
 * in real time; deadlines are never waited for: tests move the manual clock.
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined && value !== false) return value;
    if (performance.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

/** Starts a construction permit at the window; returns its id. */
export async function startConstructionPermit(f: EngineFixture): Promise<string> {
  const started = await f.engine.startCase({ type: 'case.start', actor: demoActor('window.clerk'), ...CONSTRUCTION_APPLICATION });
  return started.caseId;
}

/** Approves the case's open task of `department` as `userId`. */
export async function approveOpenTask(f: EngineFixture, caseId: string, department: string, userId: string): Promise<void> {
  const [task] = await f.sql<{ id: string }[]>`
    select id from tasks where case_id = ${caseId} and department_code = ${department} and status in ('open', 'claimed')`;
  if (!task) throw new Error(`case ${caseId} has no open task for ${department}`);
  await f.engine.execute({
    type: 'task.complete',
    actor: demoActor(userId),
    taskId: taskId(task.id),
    outcome: 'approve',
    opinion: { text: '同意', visibility: 'internal' },
  });
}

/** Acceptance, the five joint reviews and the lead's joint decision: the case ends in `publicNotice`. */
export async function driveToPublicNotice(f: EngineFixture): Promise<string> {
  const caseId = await startConstructionPermit(f);
  await approveOpenTask(f, caseId, 'window', 'window.clerk');
  for (const { department } of CONSTRUCTION_PERMIT_REVIEWS) await approveOpenTask(f, caseId, department, `${department}.handler`);
  await approveOpenTask(f, caseId, 'housing', 'housing.lead');
  return caseId;
}

/** The case's timers (due instants as epoch ms), with how many audit events name each. */
export async function timersWithAuditCount(f: EngineFixture, caseId: string) {
  return f.sql<{ id: string; kind: string; status: string; dueAtMs: number; auditEvents: number }[]>`
    select t.id, t.kind, t.status, (extract(epoch from t.due_at) * 1000)::float8 as "dueAtMs",
      (select count(*) from audit_events a where a.case_id = t.case_id and a.data->>'timerId' = t.id::text)::int as "auditEvents"
    from timers t where t.case_id = ${caseId} order by t.due_at, t.id`;
}

export async function caseVersion(f: EngineFixture, caseId: string): Promise<{ version: number; status: string; state: string }> {
  const [row] = await f.sql<{ version: number; status: string; state: string }[]>`
    select version, status, state_label as state from cases where id = ${caseId}`;
  if (!row) throw new Error(`no case ${caseId}`);
  return row;
}
