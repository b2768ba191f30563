import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { startWorkers, type RunningWorkers } from '../../../workers/start-workers.js';
import { createEngineFixture, type EngineFixture } from '../../support/engine-fixture.js';
import { testQueuePrefix } from '../../support/test-redis.js';
import { startConstructionPermit, waitFor } from './worker-test-kit.js';

/**
 * Redis Cluster (the scale-out path, issue 19): every key Tongban makes is under the queues' prefix, whose braces are
 * a hash tag, so that they all hash to one slot — BullMQ's multi-key scripts need that on a cluster. The workers run
 * on a Redis database of their own (no other test file's keys in it), and every key found there is checked.
 */
const DATABASE = 9;
let f: EngineFixture;
let workers: RunningWorkers;
let redis: Redis;
const prefix = `{${testQueuePrefix()}}`;

beforeAll(async () => {
  f = await createEngineFixture();
  const url = new URL(inject('redisUrl'));
  url.pathname = `/${DATABASE}`;
  const connect = () => new Redis(url.href, { maxRetriesPerRequest: null });
  redis = connect();
  await redis.flushdb();
  // A case whose deadlines are all past: the reconciler's first walk puts its timers in BullMQ, the worker fires them.
  await startConstructionPermit(f);
  f.clock.advance({ days: 30 });
  workers = await startWorkers({ sql: f.sql, redis: connect, engine: f.engine, clock: f.clock, prefix, logger: { log: () => {} } });
});
afterAll(async () => {
  await workers?.stop();
  await redis?.flushdb();
  await redis?.quit();
  await f?.close();
});

it('makes every key, of the queues and its own, under the hash-tagged prefix', async () => {
  await waitFor('timer jobs and the reconciler’s marks', async () => {
    const keys = await redis.keys('*');
    return keys.some((k) => k.endsWith(':timers:events')) && keys.some((k) => k.endsWith('::reconciler-ran'));
  });
  const keys = await redis.keys('*');
  expect(keys.filter((k) => !k.startsWith(`${prefix}:`))).toEqual([]);
});
