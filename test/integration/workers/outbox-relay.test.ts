import { randomUUID } from 'node:crypto';
import { drizzle } from 'drizzle-orm/postgres-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEDULING_HORIZON_MS } from '../../../db/delivery-queries.js';
import { serviceItems } from '../../../db/schema/index.js';
import { demoActor } from '../../../apps/demo-users.js';
import { timeoutDefinition } from '../../unit/support/timeout-definition.js';
import { OutboxRelay } from '../../../workers/outbox-relay.js';
import { createQueues, timerJobId, type DeliveryQueues } from '../../../workers/queues.js';
import { approveOpenTask, createWorkerWorld, startConstructionPermit, waitFor, type WorkerWorld } from './worker-test-kit.js';

let w: WorkerWorld;
let queues: DeliveryQueues;
beforeAll(async () => {
  w = await createWorkerWorld();
  queues = createQueues({ connection: w.redis, prefix: w.prefix });
  // Its timer is due in a minute, long before the horizon ends.
  await w.f.catalog.publish(timeoutDefinition('reminder'));
  await drizzle(w.f.sql).insert(serviceItems).values({
    code: 'reminder',
    name: 'Reminder',
    legalBasis: 'test',
    leadDepartment: 'housing',
    legalLimitDays: 5,
    committedLimitDays: 5,
    definitionKey: 'reminder',
    definitionVersion: 1,
    calendarCode: 'cn',
  });
});
afterAll(async () => {
  await queues.close();
  await w.close();
});

const relayWith = (opts: { batchSize?: number; pollMs?: number } = {}) =>
  new OutboxRelay({ sql: w.f.sql, queues, clock: w.f.clock, logger: w.logger, ...opts });

async function unsentCount(): Promise<number> {
  const [row] = await w.f.sql<{ n: number }[]>`select count(*)::int as n from outbox where sent_at is null and topic = 'timer'`;
  return row?.n ?? -1;
}

const caseTimers = (caseId: string) =>
  w.f.sql<{ id: string; kind: string; dueAtMs: number; outboxRows: number }[]>`
    select t.id, t.kind, (extract(epoch from t.due_at) * 1000)::float8 as "dueAtMs",
      (select count(*) from outbox o where o.payload->>'timerId' = t.id::text)::int as "outboxRows"
    from timers t where t.case_id = ${caseId} order by t.due_at`;

const startReminder = async () =>
  (await w.f.engine.startCase({ type: 'case.start', actor: demoActor('window.clerk'), serviceItemCode: 'reminder', applicant: { name: 'A', idNumber: '1' }, materials: [] })).caseId;

describe('outbox relay', () => {
  it('delivers the notifications of commits in batches, each once', async () => {
    const caseId = await startConstructionPermit(w.f);
    const undelivered = () => w.f.sql<{ id: string }[]>`select id from notifications where case_id = ${caseId} and delivered_at is null`;
    expect(await undelivered()).toHaveLength(2); // case accepted (applicant), task opened (window)

    // Batches of 1 for 2 rows: the relay must go on after a full batch.
    expect(await relayWith({ batchSize: 1 }).flush()).toBe(2);
    expect(await undelivered()).toEqual([]);
    const delivered = await w.f.sql`select id, delivered_at from notifications where case_id = ${caseId} order by id`;

    expect(await relayWith().flush()).toBe(0);
    expect(await w.f.sql`select id, delivered_at from notifications where case_id = ${caseId} order by id`).toEqual(delivered);
  });

  it('shares the notifications between relays running side by side, delivering each once', async () => {
    await relayWith().flush();
    const cases = await Promise.all(Array.from({ length: 20 }, () => startConstructionPermit(w.f)));
    const [row] = await w.f.sql<{ n: number }[]>`select count(*)::int as n from notifications where delivered_at is null`;
    expect(row?.n).toBe(2 * cases.length);

    // Small batches, so that the relays' claims interleave; SKIP LOCKED keeps them off each other's rows.
    const delivered = await Promise.all([relayWith({ batchSize: 3 }).flush(), relayWith({ batchSize: 3 }).flush(), relayWith({ batchSize: 3 }).flush()]);

    expect(delivered.reduce((a, b) => a + b, 0)).toBe(2 * cases.length);
    const [left] = await w.f.sql<{ n: number }[]>`select count(*)::int as n from notifications where delivered_at is null`;
    expect(left?.n).toBe(0);
  });

  it('relays at commit only the timers due within twice the horizon; later ones are left to the reconciler', async () => {
    const permit = await caseTimers(await startConstructionPermit(w.f));
    // Deadlines and rungs (the first is the acceptance's yellow, at the next midnight) are hours to days away.
    expect(permit.map((t) => t.kind).sort()).toEqual(['case.deadline', 'clock.deadline', 'clock.rung', 'clock.rung', 'clock.rung', 'task.deadline']);
    for (const timer of permit) expect(timer.dueAtMs - w.f.clock.now().getTime()).toBeGreaterThan(2 * SCHEDULING_HORIZON_MS);
    expect(permit.map((t) => t.outboxRows)).toEqual(permit.map(() => 0));

    const reminder = await caseTimers(await startReminder());
    // Its deadline and its legal clock's fall due together (5 working days each), with their rungs: in kind order.
    expect(reminder.map((t) => [t.kind, t.outboxRows]).sort()).toEqual([
      ['case.deadline', 0],
      ['clock.deadline', 0],
      ['clock.rung', 0],
      ['clock.rung', 0],
      ['machine.delay', 1],
    ]);
  });

  it('turns outbox rows into delayed jobs with their ids and delays, in batches, and marks them sent', async () => {
    await relayWith().flush();
    const soon = await Promise.all([startReminder(), startReminder(), startReminder()]);
    const timers = (await Promise.all(soon.map(caseTimers))).flat().filter((t) => t.outboxRows === 1);
    expect(timers).toHaveLength(3);
    expect(await unsentCount()).toBe(3);

    // Batches of 2 for 3 rows (and 3 notifications).
    expect(await relayWith({ batchSize: 2 }).flush()).toBe(6);

    for (const timer of timers) {
      const job = await queues.timers.getJob(timerJobId(timer.id));
      expect(job?.data).toEqual({ timerId: timer.id });
      expect(await job?.getState()).toBe('delayed');
      // The clock stands still, so the delay is exactly the time left on the engine's clock.
      expect(job?.delay).toBe(timer.dueAtMs - w.f.clock.now().getTime());
    }
    expect(await unsentCount()).toBe(0);
  });

  it('adds no second job when the same rows are relayed again', async () => {
    const before = await queues.timers.getJobCounts();
    const resent = await w.f.sql`update outbox set sent_at = null where topic = 'timer' returning id`;
    expect(resent.length).toBeGreaterThanOrEqual(4);

    expect(await relayWith().flush()).toBe(resent.length);

    expect(await queues.timers.getJobCounts()).toEqual(before);
    expect(await unsentCount()).toBe(0);
  });

  it('leaves rows of topics it does not route for a relay that does', async () => {
    const [row] = await w.f.sql<{ id: string }[]>`insert into outbox (topic, payload) values ('webhook', '{}') returning id::text as id`;
    await relayWith().flush();
    const [after] = await w.f.sql<{ sentAt: Date | null }[]>`select sent_at as "sentAt" from outbox where id = ${row?.id ?? '0'}`;
    expect(after?.sentAt).toBeNull();
  });

  it('is woken by the commit notification, long before its next poll', async () => {
    const relay = relayWith({ pollMs: 60_000 });
    await relay.start();
    try {
      const caseId = await startReminder();
      const [timer] = (await caseTimers(caseId)).filter((t) => t.outboxRows === 1);
      await waitFor('the reminder as a job', () => queues.timers.getJob(timerJobId(timer?.id ?? '')), 5_000);
      const permit = await startConstructionPermit(w.f);
      await approveOpenTask(w.f, permit, 'window', 'window.clerk');
      await waitFor('the review notifications to be delivered', async () => {
        const [row] = await w.f.sql<{ n: number }[]>`select count(*)::int as n from notifications where case_id = ${permit} and delivered_at is null`;
        return row?.n === 0;
      }, 5_000);
    } finally {
      await relay.stop();
    }
  });

  it('polls, so a row committed without a notification is still relayed', async () => {
    const relay = relayWith({ pollMs: 100 });
    await relay.start();
    try {
      // Written without pg_notify, as if the notification were lost; the engine never fires an unknown timer.
      const orphan = randomUUID();
      const payload = JSON.stringify({ timerId: orphan, dueAt: w.f.clock.now().toISOString() });
      await w.f.sql`insert into outbox (topic, payload) values ('timer', ${payload}::jsonb)`;
      const job = await waitFor('the polled row as a job', () => queues.timers.getJob(timerJobId(orphan)), 5_000);
      expect(job.delay).toBe(0);
    } finally {
      await relay.stop();
    }
  });
});
