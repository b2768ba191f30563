import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningWorkers } from '../../../workers/start-workers.js';
import { createWorkerWorld, startWorldWorkers, waitFor, type WorkerWorld } from './worker-test-kit.js';

let w: WorkerWorld;
let workers: RunningWorkers;
beforeAll(async () => {
  w = await createWorkerWorld();
  workers = await startWorldWorkers(w, { readiness: { intervalMs: 100 } });
});
afterAll(async () => {
  await workers.stop();
  await w.close();
});

const logged = (event: string) => w.logger.records.filter((r) => r.event === event);

describe("the workers' readiness in their log", () => {
  it('reports ready once the reconciler has run, then names what is wrong when deliveries lag', async () => {
    const [ready] = await waitFor('workers.ready', async () => logged('workers.ready').length > 0 && logged('workers.ready'));
    expect(ready?.level).toBe('info');
    // Only what is logged from now on: before the reconciler's first run (slow under load) the workers were
    // not ready for another reason.
    const before = logged('workers.not-ready').length;
    // A row of a topic no relay knows stays unsent: the outbox lags.
    const fiveMinutesAgo = new Date(w.f.clock.now().getTime() - 5 * 60_000).toISOString();
    await w.f.sql`insert into outbox (topic, payload, created_at) values ('test.unknown', '{}'::jsonb, ${fiveMinutesAgo})`;
    const [notReady] = await waitFor('workers.not-ready', async () => logged('workers.not-ready').length > before && logged('workers.not-ready').slice(before));
    expect(notReady).toMatchObject({ level: 'warn', fields: { problems: 'outbox: oldest undelivered row is 300 s old (limit 60 s)' } });
  });
});
