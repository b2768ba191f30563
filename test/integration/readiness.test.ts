import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { apiDeps } from '../../apps/serve-api.js';
import { connect, type Sql } from '../../db/connection.js';
import { recordReconcilerRun } from '../../workers/reconciler-heartbeat.js';
import { connectForReadiness, type RedisView } from '../../workers/readiness.js';
import { createEngineFixture, type EngineFixture } from '../support/engine-fixture.js';
import { createRedisConnection, deleteKeysWithPrefix, testQueuePrefix } from '../support/test-redis.js';

let f: EngineFixture;
let redis: RedisView;
beforeAll(async () => {
  f = await createEngineFixture();
  redis = { connection: createRedisConnection(), prefix: testQueuePrefix() };
});
afterAll(async () => {
  await redis.connection.quit();
  await deleteKeysWithPrefix(redis.prefix);
  await f.close();
});

const MINUTE = 60_000;

async function probe(path: '/healthz' | '/readyz', deps: { sql?: Sql; redis?: RedisView } = { redis }) {
  const app = createApp(
    apiDeps({ ...f, sql: deps.sql ?? f.sql }, { auth: { jwtSecret: 'test-secret-of-at-least-thirty-two-characters' }, log: () => {}, redis: deps.redis }),
  );
  const res = await app.request(path);
  return { status: res.status, contentType: res.headers.get('content-type'), body: (await res.json()) as any };
}

const reconcilerRan = (msAgo: number) => recordReconcilerRun(redis.connection, redis.prefix, new Date(f.clock.now().getTime() - msAgo));

describe('liveness and readiness', () => {
  it('is ready when PostgreSQL answers with every migration applied, nothing lags, Redis answers and the reconciler ran', async () => {
    await reconcilerRan(20_000);
    const res = await probe('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ready: true, status: 'ready' });
    for (const name of ['postgres', 'migrations', 'outbox', 'redis', 'reconciler']) expect(res.body.checks[name].status, name).toBe('ok');
  });

  it('reads Redis and the reconciler as not configured where the process runs without Redis', async () => {
    const res = await probe('/readyz', {});
    expect(res).toMatchObject({ status: 200, body: { status: 'ready' } });
    expect(res.body.checks.redis.status).toBe('not-configured');
    expect(res.body.checks.reconciler.status).toBe('not-configured');
  });

  it('is live but not ready when PostgreSQL does not answer, and says so in problem+json', async () => {
    const broken = connect(f.db.url, { max: 1 });
    await broken.end();
    expect(await probe('/healthz', { sql: broken, redis })).toMatchObject({ status: 200, body: { ok: true } });
    const res = await probe('/readyz', { sql: broken, redis });
    expect(res).toMatchObject({ status: 503, contentType: 'application/problem+json', body: { status: 503, code: 'TB-NOT-READY' } });
    expect(res.body.detail).toContain('postgres: PostgreSQL failed');
    expect(res.body.checks.postgres.status).toBe('failing');
    expect(res.body.checks.outbox.status).toBe('unknown');
  });

  // Commands need PostgreSQL alone: a Redis outage delays deliveries, so the API stays in rotation, degraded.
  it('is degraded, still ready, naming Redis when it does not answer', async () => {
    const away = { connection: connectForReadiness('redis://127.0.0.1:1', () => {}), prefix: redis.prefix };
    try {
      const res = await probe('/readyz', { redis: away });
      expect(res).toMatchObject({ status: 200, body: { ready: true, status: 'degraded' } });
      expect(res.body.detail).toMatch(/^Degraded: redis: Redis (failed|did not answer)/);
      expect(res.body.checks.redis.status).toBe('failing');
      expect(res.body.checks.reconciler.status).toBe('unknown');
    } finally {
      away.connection.disconnect();
    }
  });

  it('is degraded, naming the reconciler, when it has not run lately, or not since Redis was emptied', async () => {
    await reconcilerRan(10 * MINUTE);
    const stale = await probe('/readyz');
    expect(stale).toMatchObject({ status: 200, body: { status: 'degraded' } });
    expect(stale.body.detail).toContain('reconciler: last ran 600 s ago (limit 300 s)');
    const never = await probe('/readyz', { redis: { connection: redis.connection, prefix: testQueuePrefix() } });
    expect(never.body.detail).toContain('reconciler: has not run since Redis was last emptied');
  });

  it('is degraded, naming the outbox, when deliveries lag', async () => {
    await reconcilerRan(0);
    const [row] = await f.sql`insert into outbox (topic, payload, created_at)
      values ('timer', '{}'::jsonb, ${new Date(f.clock.now().getTime() - 5 * MINUTE).toISOString()}) returning id`;
    try {
      const res = await probe('/readyz');
      expect(res).toMatchObject({ status: 200, body: { status: 'degraded' } });
      expect(res.body.detail).toBe('Degraded: outbox: oldest undelivered row is 300 s old (limit 60 s).');
    } finally {
      await f.sql`delete from outbox where id = ${row?.['id']}`;
    }
  });

  it('is not ready, naming them, when migrations are not applied', async () => {
    await reconcilerRan(0);
    const [last] = await f.sql`delete from drizzle.__drizzle_migrations
      where created_at = (select max(created_at) from drizzle.__drizzle_migrations) returning hash, created_at`;
    try {
      const res = await probe('/readyz');
      expect(res.status).toBe(503);
      expect(res.body.detail).toBe('Not ready: migrations: 1 migration(s) not applied.');
    } finally {
      await f.sql`insert into drizzle.__drizzle_migrations (hash, created_at) values (${last?.['hash']}, ${last?.['created_at']})`;
    }
  });
});
