import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { CONSTRUCTION_APPLICATION } from '../../support/case-driver.js';
import { createEngineFixture, MONDAY_MORNING, type EngineFixture } from '../../support/engine-fixture.js';
import { Fleet, type ApiProcess, type FleetProcess } from '../../support/fleet.js';
import { expectReviewRungsFiredOnce, pastTheReviewsDue } from '../../support/fired-once.js';
import { startPrivateRedis, type PrivateRedis } from '../../support/private-services.js';
import { testQueuePrefix } from '../../support/test-redis.js';
import { approveOpenTask, startConstructionPermit, waitFor } from '../workers/worker-test-kit.js';

/**
 * Issue 18, scenario 5: Redis unreachable for 30 s.
 *
 * Fault: the fleet's private Redis is frozen (SIGSTOP: connections stay open and nothing answers, as behind a network
 * partition) for 30 s while an API process and a workers process run on it. During the outage construction permits
 * are applied for and accepted through the API, and the fleet's clock moves past every review's due, so that each
 * review's yellow and red rungs (red escalating to the lead department) fall due while nothing can be delivered.
 *
 * Expected: the API commits every command (it needs PostgreSQL alone); its `/readyz` answers within its own timeout,
 * 200 `degraded`, naming Redis and the reconciler (commands still run: the process stays in rotation). Once Redis
 * answers again, the same workers process (not restarted) relays every outbox row and fires every timer due
 * meanwhile, each once (test/support/fired-once.ts), and `/readyz` is `ready` again.
 */
const OUTAGE_MS = 30_000;
let f: EngineFixture;
let redis: PrivateRedis;
let fleet: Fleet;
let api: ApiProcess;
let workers: FleetProcess;
const caseIds: string[] = [];

beforeAll(async () => {
  [f, redis] = await Promise.all([createEngineFixture(), startPrivateRedis()]);
  fleet = new Fleet({ databaseUrl: f.db.url, redisUrl: redis.url, prefix: testQueuePrefix(), now: MONDAY_MORNING });
  [api, workers] = await Promise.all([fleet.api(), fleet.workers()]);
}, 60_000);
afterAll(async () => {
  await fleet?.close();
  await redis?.stop();
  await f?.close();
});

const readyz = async () => {
  const res = await fetch(`${api.url}/readyz`);
  return { status: res.status, body: (await res.json()) as { status: string; detail: string; checks: Record<string, { status: string; detail: string }> } };
};

/** A construction permit applied for and accepted at the window through the API; returns its id. */
async function applyAndAccept(): Promise<string> {
  const clerk = fleet.as('window.clerk');
  const started = await clerk.post(api, '/api/cases', CONSTRUCTION_APPLICATION);
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  const caseId = started.body.caseId as string;
  const [task] = await f.sql<{ id: string }[]>`select id from tasks where case_id = ${caseId} and department_code = 'window' and status = 'open'`;
  const accepted = await clerk.post(api, `/api/tasks/${task!.id}/complete`, { outcome: 'approve', opinion: { text: '受理' } });
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
  return caseId;
}

const undelivered = async () => {
  const [row] = await f.sql<{ n: number }[]>`
    select ((select count(*) from outbox where sent_at is null) + (select count(*) from notifications where delivered_at is null))::int as n`;
  return row!.n;
};

describe('Redis unreachable for 30 s', () => {
  it('commands commit, /readyz says degraded and why, and the workers catch up by themselves: every row and rung once', async () => {
    // Before: everything delivered, the reconciler ran, the API ready.
    const before = await startConstructionPermit(f);
    await approveOpenTask(f, before, 'window', 'window.clerk');
    caseIds.push(before);
    await expect.poll(async () => (await readyz()).body.status).toBe('ready');

    redis.freeze();
    const outageEnds = performance.now() + OUTAGE_MS;
    try {
      // Commands commit through the API while Redis hangs; their in-app notifications need no Redis either.
      caseIds.push(await applyAndAccept(), await applyAndAccept());
      await waitFor('the notifications of the commands delivered', async () => (await undelivered()) === 0);

      // Readiness answers within its own timeout (2 s per dependency), degraded, naming what is wrong.
      const asked = performance.now();
      const probe = await readyz();
      expect(performance.now() - asked).toBeLessThan(10_000);
      expect(probe.status).toBe(200);
      expect(probe.body.status).toBe('degraded');
      expect(probe.body.checks['redis']).toEqual({ status: 'failing', detail: 'Redis did not answer within 2000 ms' });
      expect(probe.body.checks['reconciler']?.status).toBe('unknown');
      expect(probe.body.checks['postgres']?.status).toBe('ok');
      expect(probe.body.detail).toContain('redis: Redis did not answer');

      // Every review's rungs fall due while nothing can be delivered.
      await fleet.setClock(await pastTheReviewsDue(f.sql, caseIds));
      await sleep(Math.max(0, outageEnds - performance.now()));
      const [stillPending] = await f.sql<{ n: number }[]>`
        select count(*)::int as n from timers where case_id in ${f.sql(caseIds)} and status = 'pending' and due_at <= ${fleet.now().toISOString()}::timestamptz`;
      expect(stillPending!.n).toBeGreaterThan(0);
    } finally {
      redis.thaw();
    }

    // The same workers process reconnects and catches up: everything relayed, every due timer fired once.
    await waitFor('every outbox row and notification delivered', async () => (await undelivered()) === 0, 60_000);
    await waitFor(
      'every due timer fired',
      async () => {
        const [row] = await f.sql<{ n: number }[]>`
          select count(*)::int as n from timers where case_id in ${f.sql(caseIds)} and status = 'pending' and due_at <= ${fleet.now().toISOString()}::timestamptz`;
        return row!.n === 0;
      },
      60_000,
    );
    await expectReviewRungsFiredOnce(f.sql, caseIds, fleet.now());
    expect(workers.events('workers.started')).toHaveLength(1);
    expect(await Promise.race([workers.exited, sleep(0, 'running')])).toBe('running');
    await expect.poll(async () => (await readyz()).body.status).toBe('ready');
  }, 120_000);
});
