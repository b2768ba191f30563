import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createEngineFixture, type EngineFixture } from '../../support/engine-fixture.js';
import { Fleet, type FleetProcess } from '../../support/fleet.js';
import { JUMPING_WALL_CLOCK, type WallClockJump } from '../../support/jumping-wall-clock.js';
import { deleteKeysWithPrefix, testQueuePrefix } from '../../support/test-redis.js';
import { reviewsUnderWay } from '../../support/fired-once.js';
import { waitFor } from '../workers/worker-test-kit.js';

/**
 * Issue 18, scenario 10: the wall clock of a workers process jumps an hour forward, then an hour back, while
 * deadlines are pending.
 *
 * Fault: a workers process on production's clock (`TONGBAN_TEST_CLOCK=steady`: PostgreSQL's time on the monotonic
 * clock, platform/steady-clock.ts) whose host wall clock — `Date.now()` and `new Date()`, which BullMQ schedules its
 * delayed jobs on — is stepped by a preload (test/support/jumping-wall-clock.ts): +1 h before the first timer is due,
 * then −2 h (an hour behind) after it fired. The timers are rung timers of real cases, pulled to a few seconds ahead
 * in real time (by PostgreSQL's clock).
 *
 * Expected, by PostgreSQL's clock (a trigger notes `clock_timestamp()` as each timer turns fired): nothing fires
 * before its due instant; nothing fires twice; every timer fires within the reconciler's interval and grace, plus a
 * few seconds, of its due; the process logs each jump as `clock.skew` and follows neither.
 *
 * On the host's clock (`TONGBAN_TEST_CLOCK: 'system'` below, what production read before) the same test fails: an
 * hour ahead, the process fires every timer at once, seconds before it is due.
 */
const TIMERS = 3;
const RECONCILER_MS = 1_000;
const GRACE_MS = 1_000;
/** What a timer may be late by: the sweep's interval and grace, and room for a busy machine. */
const LATENESS_MS = RECONCILER_MS + GRACE_MS + 5_000;
const HOUR = 3_600_000;
let f: EngineFixture;
let fleet: Fleet;
const prefix = testQueuePrefix();
const timerIds: string[] = [];

beforeAll(async () => {
  // Real time: the cases start now, so that the steady clock and their ledgers agree.
  f = await createEngineFixture(new Date());
  for (const caseId of await reviewsUnderWay(f, TIMERS)) {
    const [rung] = await f.sql<{ id: string }[]>`select id from timers where case_id = ${caseId} and kind = 'clock.rung' and status = 'pending' order by id limit 1`;
    timerIds.push(rung!.id);
  }
  await f.sql`create table timer_firings (timer_id uuid not null, due_at timestamptz not null, at timestamptz not null default clock_timestamp())`;
  await f.sql`create function note_timer_firing() returns trigger language plpgsql as $$
    begin insert into timer_firings (timer_id, due_at) values (new.id, new.due_at); return new; end $$`;
  await f.sql`create trigger timer_firings after update on timers for each row when (new.status = 'fired') execute function note_timer_firing()`;
  fleet = new Fleet({ databaseUrl: f.db.url, redisUrl: inject('redisUrl'), prefix, now: new Date() });
});
afterAll(async () => {
  await fleet?.close();
  await deleteKeysWithPrefix(prefix);
  await f?.close();
});

const jump = (process: FleetProcess, ms: number) =>
  process.request({ jumpWallClockMs: ms } satisfies WallClockJump, (reply) => (reply as { wallClockJumped?: number } | null)?.wallClockJumped === ms);

const firings = () =>
  f.sql<{ timerId: string; earlyMs: number; lateMs: number }[]>`
    select timer_id as "timerId", (extract(epoch from due_at - at) * 1000)::float8 as "earlyMs", (extract(epoch from at - due_at) * 1000)::float8 as "lateMs"
    from timer_firings order by at`;

describe('the wall clock of a workers process jumping an hour forward and back', () => {
  it('fires nothing early and nothing twice, and every timer within bounded lateness', async () => {
    const workers = await fleet.workers(
      { TONGBAN_TEST_CLOCK: 'steady', TONGBAN_TEST_RECONCILER_MS: String(RECONCILER_MS), TONGBAN_TEST_GRACE_MS: String(GRACE_MS) },
      { preload: JUMPING_WALL_CLOCK },
    );
    await jump(workers, HOUR);
    // Due 2, 4 and 6 s from now on PostgreSQL's clock; the reconciler hands them to BullMQ within its next tick.
    for (const [i, id] of timerIds.entries()) await f.sql`update timers set due_at = clock_timestamp() + ${`${2 * (i + 1)} seconds`}::interval where id = ${id}`;

    await waitFor('the first timer to fire', async () => (await firings()).length > 0, 20_000);
    await jump(workers, -2 * HOUR);
    await waitFor('every timer to fire', async () => (await firings()).length >= TIMERS, 30_000);

    const fired = await firings();
    expect(fired.map((r) => r.timerId).sort()).toEqual([...timerIds].sort()); // each once
    for (const r of fired) {
      expect(r.earlyMs, `${r.timerId} fired before its due`).toBeLessThanOrEqual(0);
      expect(r.lateMs, `${r.timerId} fired late`).toBeLessThanOrEqual(LATENESS_MS);
    }
    const skews = workers.events('clock.skew').map((e) => Math.round(Number(e['skewMs']) / 60_000));
    expect(skews).toEqual([60, -60]); // in minutes: each jump seen once, neither followed
    await workers.kill('SIGTERM');
  });
});
