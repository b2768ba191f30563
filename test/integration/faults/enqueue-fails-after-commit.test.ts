import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timerJobId } from '../../../workers/queues.js';
import { startWorkers, type RunningWorkers } from '../../../workers/start-workers.js';
import { createEngineFixture, type EngineFixture } from '../../support/engine-fixture.js';
import { installTestProcess, ONE_MINUTE_DELAY, startDelayCase } from '../../support/poison-timer.js';
import { startPrivateRedis, type PrivateRedis } from '../../support/private-services.js';
import { testQueuePrefix } from '../../support/test-redis.js';
import type { LogLevel } from '../../../platform/logger.js';
import { waitFor } from '../workers/worker-test-kit.js';

/**
 * Issue 18, scenario 3: the commit succeeds and enqueueing fails.
 *
 * Fault: the workers' private Redis stops (its port closed: every connection refused) while commands commit cases
 * whose timers the outbox relay must enqueue at once (a one-minute delay, within its reach); Redis then comes back
 * empty, as a restart without persistence leaves it.
 *
 * Expected: every command commits; while Redis is away no outbox row is marked sent (a row is marked only in the
 * transaction that enqueued its job); once Redis is back the relay alone (the reconciler does not tick meanwhile)
 * delivers every row, each marked sent once and each timer with exactly one job, found by its id. The clock then
 * passes the delays: every timer fires once — the timer enqueued before the outage too, its job lost with Redis'
 * content and rebuilt by the reconciler — and every case reaches its end.
 */
const DURING_OUTAGE = 5;
let f: EngineFixture;
let redis: PrivateRedis;
let workers: RunningWorkers;
const records: { level: LogLevel; event: string; fields: Record<string, unknown> }[] = [];

beforeAll(async () => {
  [f, redis] = await Promise.all([createEngineFixture(), startPrivateRedis()]);
  await installTestProcess(f, ONE_MINUTE_DELAY);
  workers = await startWorkers({
    sql: f.sql,
    redis: redis.url,
    engine: f.engine,
    clock: f.clock,
    prefix: testQueuePrefix(),
    logger: { log: (level, event, fields = {}) => records.push({ level, event, fields }) },
    relay: { pollMs: 100 },
    // The test ticks the reconciler itself, so that what is delivered after the outage is the relay's doing.
    reconciler: { intervalMs: 3_600_000, graceMs: 0 },
  });
}, 60_000);
afterAll(async () => {
  await workers?.stop();
  await redis?.stop();
  await f?.close();
});

const outboxOf = (timerIds: readonly string[]) =>
  f.sql<{ timerId: string; sent: boolean }[]>`
    select payload->>'timerId' as "timerId", sent_at is not null as sent from outbox where payload->>'timerId' in ${f.sql(timerIds)}`;

describe('the commit succeeds and enqueueing fails', () => {
  it('leaves the outbox rows unsent while Redis is away, then delivers each once; every timer fires once', async () => {
    const before = await startDelayCase(f, ONE_MINUTE_DELAY);
    await waitFor('the first timer relayed', async () => (await outboxOf([before.timerId]))[0]?.sent);

    await redis.down();
    const refusedFrom = records.length;
    const during = [];
    for (let i = 0; i < DURING_OUTAGE; i++) during.push(await startDelayCase(f, ONE_MINUTE_DELAY));
    const duringIds = during.map((c) => c.timerId);
    // The relay has tried since (woken by the commits, polling every 100 ms) and Redis refused it: nothing is sent.
    await waitFor('Redis refusing the workers', async () => records.slice(refusedFrom).some((r) => r.event === 'redis.error' && r.fields['errorCode'] === 'ECONNREFUSED'));
    expect(await outboxOf(duringIds)).toEqual(expect.arrayContaining(duringIds.map((timerId) => ({ timerId, sent: false }))));

    await redis.up();
    await waitFor('the relay to deliver every row', async () => (await outboxOf(duringIds)).every((r) => r.sent), 20_000);
    const rows = await outboxOf(duringIds);
    expect(rows.map((r) => r.timerId).sort()).toEqual([...duringIds].sort()); // one row per timer, each sent once
    const jobs = await Promise.all(duringIds.map(async (id) => (await workers.queues.timers.getJob(timerJobId(id)))?.getState()));
    expect(jobs).toEqual(duringIds.map(() => 'delayed'));
    // Redis came back empty: the jobs there are the relay's, one per timer; the first timer's job was lost with it.
    expect(await workers.queues.timers.getJobCounts('delayed', 'waiting', 'active')).toEqual({ delayed: DURING_OUTAGE, waiting: 0, active: 0 });

    // The delays pass: the reconciler (its marker gone with Redis' content) rebuilds, its sweep hands over what is due.
    f.clock.advance({ ms: 61_000 });
    await workers.reconciler.tick();
    const all = [before, ...during];
    await waitFor(
      'every timer fired and every case ended',
      async () => {
        const [row] = await f.sql<{ n: number }[]>`
          select count(*)::int as n from timers t join cases c on c.id = t.case_id
          where t.id in ${f.sql(all.map((c) => c.timerId))} and t.status = 'fired' and c.status <> 'running'`;
        return row!.n === all.length;
      },
      20_000,
    );
    const fired = await f.sql<{ n: number }[]>`
      select (select count(*) from audit_events a where a.case_id = t.case_id and a.data->>'timerId' = t.id::text)::int as n
      from timers t where t.id in ${f.sql(all.map((c) => c.timerId))}`;
    expect(fired.map((t) => t.n)).toEqual(all.map(() => 1));
    expect(records.filter((r) => r.event === 'timer.failed' || r.event === 'timer.retrying')).toEqual([]);
  });
});
