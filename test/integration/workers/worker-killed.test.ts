import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { CONSTRUCTION_PERMIT_REVIEWS } from '../../../workflows/construction-permit.js';
import { deleteKeysWithPrefix } from '../../support/test-redis.js';
import { approveOpenTask, createWorkerWorld, startConstructionPermit, waitFor, type WorkerWorld } from './worker-test-kit.js';

/**
 * Issue 12 under a real fault: the workers' process is SIGKILLed while it fires a burst of warning rungs (some
 * committed and not yet acknowledged, some in their transaction, some not started), Redis is emptied, and the
 * workers are started again. Every
 * rung is reached once per clock and told once; no timer fires twice.
 */
const CASES = 30;
let w: WorkerWorld;
let caseIds: string[];
beforeAll(async () => {
  w = await createWorkerWorld();
  caseIds = [];
  for (let i = 0; i < CASES; i++) {
    const id = await startConstructionPermit(w.f);
    await approveOpenTask(w.f, id, 'window', 'window.clerk');
    caseIds.push(id);
  }
});
afterAll(() => w.close());

/** The workers as a process of their own, their clock standing at `now`. */
function workersProcess(now: Date): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['node_modules/.bin/tsx', 'test/support/worker-process.ts'], {
    env: { ...process.env, DATABASE_URL: w.f.db.url, REDIS_URL: inject('redisUrl'), TONGBAN_TEST_PREFIX: w.prefix, TONGBAN_TEST_NOW: now.toISOString() },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve(child));
    child.once('exit', (code) => reject(new Error(`the workers' process exited with ${code} before it was ready`)));
  });
}

const firedRungs = async () => (await w.f.sql<{ n: number }[]>`select count(*)::int as n from timers where kind = 'clock.rung' and status = 'fired'`)[0]?.n ?? 0;

describe('a workers process killed in the middle of a burst of rungs, and Redis emptied', () => {
  it('reaches every rung once per clock, tells each once, and fires no timer twice', async () => {
    const [first] = await w.f.sql<{ due: Date }[]>`select min(due_at) as due from tasks where key like 'review.%' and status = 'open'`;
    // Past the reviews' yellow and red: each review's rung timer reaches both.
    const now = new Date(new Date(first!.due).getTime() + 60_000);
    const due = CASES * CONSTRUCTION_PERMIT_REVIEWS.length;

    const doomed = await workersProcess(now);
    await waitFor('a part of the burst to fire', async () => (await firedRungs()) >= due / 4, 30_000);
    doomed.kill('SIGKILL');
    await new Promise((resolve) => doomed.once('exit', resolve));
    const atKill = await firedRungs();
    // And Redis loses every job of the prefix, the killed process's in-flight ones included.
    await deleteKeysWithPrefix(w.prefix);

    const again = await workersProcess(now);
    try {
      await waitFor('every due timer to fire', async () => {
        const [row] = await w.f.sql<{ n: number }[]>`select count(*)::int as n from timers where status = 'pending' and due_at <= ${now.toISOString()}::timestamptz`;
        return row?.n === 0;
      }, 60_000);
    } finally {
      again.kill('SIGTERM');
      await new Promise((resolve) => again.once('exit', resolve));
    }
    expect(atKill).toBeLessThan(due); // the kill came in the middle, not after

    const clocks = await w.f.sql<{ id: string; clocks: { id: string; warnings?: { rung: string }[] }[] }[]>`select id, clocks from cases where id in ${w.f.sql(caseIds)}`;
    for (const c of clocks) {
      for (const { department } of CONSTRUCTION_PERMIT_REVIEWS) {
        expect(c.clocks.find((k) => k.id === `task:review.${department}`)?.warnings?.map((x) => x.rung), `${c.id} ${department}`).toEqual(['yellow', 'red']);
      }
    }
    const told = await w.f.sql<{ n: number; most: number }[]>`
      select count(*)::int as n, max(c)::int as most from (
        select count(*) as c from notifications where template = 'warning.reached' and data->>'clock' like 'task:review.%'
        group by case_id, data->>'clock', data->>'rung', department_code) t`;
    // Per review: yellow to it, red to it and to the lead department, each once.
    expect(told[0]).toEqual({ n: due * 3, most: 1 });
    const twice = await w.f.sql`select a.data->>'timerId' as timer from audit_events a where a.data ? 'timerId' group by 1 having count(*) > 1`;
    expect(twice).toEqual([]);
  });
});
