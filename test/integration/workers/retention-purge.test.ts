import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RetentionPurge } from '../../../workers/retention-purge.js';
import { createWorkerWorld, startWorldWorkers, waitFor, type WorkerWorld } from './worker-test-kit.js';

let w: WorkerWorld;
beforeAll(async () => {
  w = await createWorkerWorld();
});
afterAll(() => w.close());

const HOUR = 3_600_000;
const ago = (ms: number) => new Date(w.f.clock.now().getTime() - ms).toISOString();

/** Keys kept 25 hours ago (five, to need several batches of two) and one kept 23 hours ago; windows likewise. */
beforeEach(async () => {
  await w.f.sql`delete from idempotency_keys`;
  await w.f.sql`delete from rate_limit_windows`;
  for (let i = 0; i < 5; i += 1) {
    await w.f.sql`insert into idempotency_keys (principal, key, request_hash, status, response, created_at)
      values ('supervisor', ${`expired-${i}`}, 'h', 200, '{}'::jsonb, ${ago(25 * HOUR)})`;
    await w.f.sql`insert into rate_limit_windows (principal, action, window_start, hits) values ('supervisor', 'task.urge', ${ago((2 + i) * HOUR)}, 3)`;
  }
  await w.f.sql`insert into idempotency_keys (principal, key, request_hash, status, response, created_at)
    values ('supervisor', 'live', 'h', 200, '{}'::jsonb, ${ago(23 * HOUR)})`;
  // The current window of an hour-long limit, and the one before it, ended a moment ago.
  await w.f.sql`insert into rate_limit_windows (principal, action, window_start, hits) values ('supervisor', 'personal-data.read', ${ago(10 * 60_000)}, 1)`;
  await w.f.sql`insert into rate_limit_windows (principal, action, window_start, hits) values ('supervisor', 'personal-data.read', ${ago(HOUR + 10 * 60_000)}, 1)`;
});

const remaining = async () => ({
  keys: (await w.f.sql`select key from idempotency_keys order by key`).map((r) => r['key']),
  windows: (await w.f.sql`select action, window_start from rate_limit_windows`).length,
});

describe('the purge of idempotency keys and rate-limit windows', () => {
  it('deletes keys past their 24 hours and ended windows, in batches, and keeps the live ones', async () => {
    const purge = new RetentionPurge({ sql: w.f.sql, clock: w.f.clock, logger: w.logger, batchSize: 2 });
    expect(await purge.purge()).toEqual({ idempotencyKeys: 5, rateLimitWindows: 6 });
    expect(await remaining()).toEqual({ keys: ['live'], windows: 1 });
    expect(await purge.purge()).toEqual({ idempotencyKeys: 0, rateLimitWindows: 0 });
  });

  it('runs in the workers', async () => {
    const workers = await startWorldWorkers(w, { reconciler: { intervalMs: HOUR } });
    try {
      // Keys and windows are purged one after the other: wait for both (under load the keys may be done first).
      await waitFor('the first purge', async () => {
        const left = await remaining();
        return left.keys.length === 1 && left.windows === 1;
      });
      expect(await remaining()).toEqual({ keys: ['live'], windows: 1 });
      expect(w.logger.records).toContainEqual(expect.objectContaining({ event: 'purge.done', fields: { idempotencyKeys: 5, rateLimitWindows: 6 } }));
    } finally {
      await workers.stop();
    }
  });
});
