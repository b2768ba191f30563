import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { caseOutcomes } from '../../../soak/case-outcomes.js';
import { beforeNextTimer, checkInvariants } from '../../../soak/invariants.js';
import { MixedLoad, runMixedLoad, seededRandom } from '../../../soak/mixed-load.js';
import { createEngineFixture, type EngineFixture } from '../../support/engine-fixture.js';
import { Fleet, type ApiProcess } from '../../support/fleet.js';
import { TEST_JWT_SECRET } from '../../support/test-auth.js';
import { createRedisConnection, deleteKeysWithPrefix, testQueuePrefix } from '../../support/test-redis.js';
import { waitFor } from '../workers/worker-test-kit.js';

/**
 * Issue 18, scenario 12: several processes at once under mixed load.
 *
 * Fault: none injected but concurrency itself — 2 API and 2 workers processes (test/support/fleet.ts) on one
 * database and one queue prefix, a mixed load through both API processes (soak/mixed-load.ts: starts, acceptances
 * and returns for a supplement, supplements, claims, reviews approved, returned for correction or rejected,
 * decisions and decisions sent back, withdrawals, reads) while the test clock moves half a day at a time, so the
 * workers fire warning rungs, deadlines and the ends of public notices between and beside the commands.
 *
 * Expected: every case is where its last command left it, or completed once (a case whose public notice ran out
 * is approved with one licence); and the invariant checker (soak/invariants.ts) finds nothing — each case in a valid
 * state of its definition, each task completed at most once, each timer fired at most once, each rung reached
 * once per clock and told once per audience, every clock's ledger consistent, every audit chain intact, no
 * pending timer without its job.
 */
const CASES = 18;
const SEED = 1812;
const HALF_DAY_MS = 12 * 3_600_000;
let f: EngineFixture;
let fleet: Fleet;
let apis: ApiProcess[];
let redis: Redis;
const prefix = testQueuePrefix();

beforeAll(async () => {
  f = await createEngineFixture();
  // Four processes start at once: on a loaded box that takes longer than the fleet's usual 30 s.
  fleet = new Fleet({ databaseUrl: f.db.url, redisUrl: inject('redisUrl'), prefix, now: f.clock.now(), readyTimeoutMs: 80_000 });
  redis = createRedisConnection();
  const started = await Promise.all([fleet.api(), fleet.api(), fleet.workers(), fleet.workers()]);
  apis = started.filter((p): p is ApiProcess => p.kind === 'api');
}, 90_000);
afterAll(async () => {
  await fleet?.close();
  await redis?.quit();
  await deleteKeysWithPrefix(prefix);
  await f?.close();
});

/** Waits until the workers have fired every timer due by the fleet's clock and relayed every outbox row. */
async function caughtUp(): Promise<void> {
  await waitFor(
    'the workers to catch up',
    async () => {
      const [row] = await f.sql<{ due: number; unsent: number }[]>`
        select (select count(*) from timers t where t.status = 'pending' and t.due_at <= ${fleet.now().toISOString()}::timestamptz
                  and not exists (select 1 from cases c where c.id = t.case_id and c.status = 'suspended'))::int as due,
               (select count(*) from outbox where sent_at is null)::int as unsent`;
      return row?.due === 0 && row.unsent === 0;
    },
    30_000,
  );
}

describe('2 API and 2 workers processes under a mixed load, the clock moving', () => {
  it('completes each case once or leaves it where its last command did; the invariant checker finds nothing', async () => {
    const load = new MixedLoad({ apis: () => apis.map((a) => a.url), jwtSecret: TEST_JWT_SECRET, sql: f.sql, random: seededRandom(SEED), withdrawShare: 0.03 });
    let started = 0;
    const loading = runMixedLoad(load, {
      runners: 6,
      stop: () => started >= CASES && load.moving().every((c) => c.waiting),
      more: async () => {
        if (started >= CASES) return false;
        started += 1;
        await load.startCase();
        return true;
      },
    });
    // Half a working day at a time while the load runs: reviews go yellow and red under it, notices run out.
    let moving = true;
    const clock = (async () => {
      while (moving) {
        await fleet.setClock(new Date(fleet.now().getTime() + HALF_DAY_MS));
        await sleep(250);
      }
    })();
    await loading;
    moving = false;
    await clock;
    // With the clock half an hour before the next timer, once the reconciler has walked into the horizon: each timer
    // due within it has its job.
    await caughtUp();
    await fleet.setClock((await beforeNextTimer(f.sql, fleet.now()))!);
    const delivered = async () => (await checkInvariants({ sql: f.sql, redis, prefix, catalog: f.catalog, now: fleet.now() })).find((r) => r.name === 'pending-timers-delivered')!;
    await expect.poll(async () => (await delivered()).violations).toEqual([]);
    expect((await delivered()).lookedAt).toBeGreaterThan(0);
    // Then a month on: every rung and deadline of what was left open falls due, every public notice runs out.
    await fleet.setClock(new Date(fleet.now().getTime() + 30 * 86_400_000));
    await caughtUp();

    expect(load.cases.size).toBe(CASES);
    expect({ failed: load.figures.failed, unreachable: load.figures.unreachable, unavailable: load.figures.unavailable }).toEqual({ failed: 0, unreachable: 0, unavailable: 0 });
    const outcomes = await caseOutcomes(f.sql, load.cases);
    expect(outcomes.violations).toEqual([]);
    expect(outcomes.lookedAt).toBe(CASES);

    const results = await checkInvariants({ sql: f.sql, redis, prefix, catalog: f.catalog, now: fleet.now() });
    expect(results.flatMap((r) => r.violations.map((v) => `${r.name}: ${v.caseId} ${v.what}`))).toEqual([]);
    // Every pending timer fired by now: the horizon is empty at the end, and was looked at above.
    for (const r of results.filter((r) => r.name !== 'pending-timers-delivered')) expect(r.lookedAt, r.name).toBeGreaterThan(0);

    // The workers did fire under the load: rungs, deadlines and the ends of public notices.
    const fired = await f.sql<{ kind: string; n: number }[]>`select kind, count(*)::int as n from timers where status = 'fired' group by kind order by kind`;
    expect(fired.map((r) => r.kind)).toEqual(expect.arrayContaining(['clock.rung', 'task.deadline', 'period']));
  }, 90_000);
});
