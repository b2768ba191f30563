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

/**
 * Keys kept 25 hours ago (five, to need several batches of two) and one kept 23 hours ago; windows likewise; uploads
 * staged 25 hours ago (three, with their chunks), one staged 23 hours ago, and one as old but attached to a case.
 */
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
  await w.f.sql`delete from material_blob_chunks`;
  await w.f.sql`delete from material_blobs`;
  const uploads: [string, number, string | null][] = [
    ...[1, 2, 3].map((i): [string, number, string | null] => [`00000000-0000-4000-8000-00000000000${i}`, 25 * HOUR, null]),
    ['00000000-0000-4000-8000-000000000004', 23 * HOUR, null],
    ['00000000-0000-4000-8000-000000000005', 25 * HOUR, '00000000-0000-4000-8000-0000000000ca'],
  ];
  for (const [id, age, caseId] of uploads) {
    await w.f.sql`insert into material_blobs (id, sha256, size_bytes, content_type, file_name, storage, scan_status, uploaded_by, uploaded_at, case_id)
      values (${id}, ${'a'.repeat(64)}, 4, 'application/pdf', 'f.pdf', 'pg', 'clean', 'window.clerk', ${ago(age)}, ${caseId})`;
    await w.f.sql`insert into material_blob_chunks (blob_id, seq, data) values (${id}, 0, ${Buffer.from('%PDF')})`;
  }
});

const remaining = async () => ({
  keys: (await w.f.sql`select key from idempotency_keys order by key`).map((r) => r['key']),
  windows: (await w.f.sql`select action, window_start from rate_limit_windows`).length,
  uploads: (await w.f.sql`select b.id from material_blobs b join material_blob_chunks c on c.blob_id = b.id order by b.id`).map((r) => String(r['id']).slice(-2)),
  chunks: (await w.f.sql`select count(*)::int as n from material_blob_chunks`)[0]?.['n'],
});

describe('the purge of idempotency keys and rate-limit windows', () => {
  it('deletes keys past their 24 hours, ended windows and uploads never attached within a day, in batches, and keeps the live ones', async () => {
    const purge = new RetentionPurge({ sql: w.f.sql, clock: w.f.clock, logger: w.logger, batchSize: 2 });
    expect(await purge.purge()).toEqual({ idempotencyKeys: 5, rateLimitWindows: 6, stagedUploads: 3 });
    expect(await remaining()).toEqual({ keys: ['live'], windows: 1, uploads: ['04', '05'], chunks: 2 });
    expect(await purge.purge()).toEqual({ idempotencyKeys: 0, rateLimitWindows: 0, stagedUploads: 0 });
  });

  it('runs in the workers', async () => {
    const workers = await startWorldWorkers(w, { reconciler: { intervalMs: HOUR } });
    try {
      // Keys, windows and uploads are purged one after the other: wait for all (under load the keys may be done first).
      await waitFor('the first purge', async () => {
        const left = await remaining();
        return left.keys.length === 1 && left.windows === 1 && left.uploads.length === 2;
      });
      expect(await remaining()).toEqual({ keys: ['live'], windows: 1, uploads: ['04', '05'], chunks: 2 });
      expect(w.logger.records).toContainEqual(expect.objectContaining({ event: 'purge.done', fields: { idempotencyKeys: 5, rateLimitWindows: 6, stagedUploads: 3 } }));
    } finally {
      await workers.stop();
    }
  });
});
