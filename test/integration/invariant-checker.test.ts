import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timerId } from '../../engine/ids.js';
import type { LegalClock } from '../../engine/time/legal-clock.js';
import { checkInvariants, INVARIANTS } from '../../soak/invariants.js';
import { createQueues, timerJob, timerJobId, type DeliveryQueues } from '../../workers/queues.js';
import { createEngineFixture, type EngineFixture } from '../support/engine-fixture.js';
import { createRedisConnection, deleteKeysWithPrefix, testQueuePrefix } from '../support/test-redis.js';
import { approveOpenTask, driveToPublicNotice, startConstructionPermit } from './workers/worker-test-kit.js';

/**
 * The invariant checker of issue 18 (soak/invariants.ts), which scenario 12 and the soak rely on to say "nothing
 * wrong": on a sound database every check looks at something and finds nothing; then one row is corrupted per
 * check, the way a defect would leave it, and that check reports it, naming the case.
 */
let f: EngineFixture;
let redis: Redis;
let queues: DeliveryQueues;
const prefix = testQueuePrefix();
let reviewed: string;
let noticed: string;

beforeAll(async () => {
  f = await createEngineFixture();
  redis = createRedisConnection();
  queues = createQueues({ connection: redis, prefix });
  // One case in its joint review, past its reviews' yellow rung; one through its decision into the public notice.
  reviewed = await startConstructionPermit(f);
  await approveOpenTask(f, reviewed, 'window', 'window.clerk');
  noticed = await driveToPublicNotice(f);
  const [review] = await f.sql<{ due: string }[]>`select min(due_at)::text as due from tasks where case_id = ${reviewed} and key like 'review.%'`;
  f.clock.set(new Date(new Date(review!.due).getTime() - 2 * 86_400_000));
  await fireWhatIsDue();
  // Half an hour before the next timer: it is within the scheduling horizon, and its job is in Redis as the relay left it.
  const [next] = await f.sql<{ id: string; due: string }[]>`select id, due_at::text as due from timers where status = 'pending' order by due_at limit 1`;
  f.clock.set(new Date(new Date(next!.due).getTime() - 30 * 60_000));
  const upcoming = await f.sql<{ id: string; due: string }[]>`select id, due_at::text as due from timers where status = 'pending' and due_at < ${new Date(f.clock.now().getTime() + 3_600_000).toISOString()}::timestamptz`;
  await queues.timers.addBulk(upcoming.map((t) => timerJob(t.id, new Date(t.due), f.clock)));
});
afterAll(async () => {
  await queues?.close();
  await redis?.quit();
  await deleteKeysWithPrefix(prefix);
  await f?.close();
});

/** Fires every timer due by the clock, as the timer worker would. */
async function fireWhatIsDue(): Promise<void> {
  const due = await f.sql<{ id: string }[]>`select id from timers where status = 'pending' and due_at <= ${f.clock.now().toISOString()}::timestamptz order by due_at`;
  for (const t of due) await f.engine.execute({ type: 'timer.fire', timerId: timerId(t.id) });
}

const check = () => checkInvariants({ sql: f.sql, redis, prefix, catalog: f.catalog, now: f.clock.now() });
const found = async (name: string) => (await check()).find((r) => r.name === name)!.violations;

/** Writes as someone with superuser access could, the append-only trigger of audit_events switched off. */
const tamper = (change: (tx: typeof f.sql) => Promise<unknown>) =>
  f.sql.begin(async (tx) => {
    await tx`set local session_replication_role = replica`;
    await change(tx as unknown as typeof f.sql);
  });

describe('the invariant checker', () => {
  it('finds nothing wrong with a sound database, and looked at something in every check', async () => {
    const results = await check();
    expect(results.map((r) => r.name)).toEqual([...INVARIANTS]);
    expect(results.flatMap((r) => r.violations)).toEqual([]);
    for (const r of results) expect(r.lookedAt, r.name).toBeGreaterThan(0);
  });

  it('case-state: a state label its snapshot does not have', async () => {
    await f.sql`update cases set state_label = 'nowhere' where id = ${noticed}`;
    expect(await found('case-state')).toEqual([{ caseId: noticed, what: 'state_label nowhere but its snapshot is in publicNotice' }]);
    await f.sql`update cases set state_label = 'publicNotice' where id = ${noticed}`;
  });

  it('task-completions: a task completed with no completion in the audit', async () => {
    await f.sql`update tasks set status = 'completed' where case_id = ${reviewed} and key = 'review.fire'`;
    expect(await found('task-completions')).toEqual([expect.objectContaining({ caseId: reviewed, what: expect.stringMatching(/^task review\.fire .* is completed with 0 completion events/) })]);
    await f.sql`update tasks set status = 'open' where case_id = ${reviewed} and key = 'review.fire'`;
  });

  it('timers-fired-once: a fired timer set pending again', async () => {
    const [fired] = await f.sql<{ id: string }[]>`select id from timers where case_id = ${reviewed} and status = 'fired' limit 1`;
    await f.sql`update timers set status = 'pending', fired_at = null where id = ${fired!.id}`;
    expect(await found('timers-fired-once')).toEqual([{ caseId: reviewed, what: `clock.rung timer ${fired!.id} is pending with 1 firing events in the audit` }]);
    await f.sql`update timers set status = 'fired', fired_at = now() where id = ${fired!.id}`;
  });

  it('clock-ledgers: a rung twice on a clock', async () => {
    const [row] = await f.sql<{ clocks: LegalClock[] }[]>`select clocks from cases where id = ${reviewed}`;
    const clocks = row!.clocks.map((c) => (c.id === 'task:review.water' ? { ...c, warnings: [...(c.warnings ?? []), ...(c.warnings ?? [])] } : c));
    await f.sql`update cases set clocks = ${JSON.stringify(clocks)}::jsonb where id = ${reviewed}`;
    expect(await found('clock-ledgers')).toEqual([{ caseId: reviewed, what: 'clock task:review.water: rung yellow is on its ledger twice' }]);
    await f.sql`update cases set clocks = ${JSON.stringify(row!.clocks)}::jsonb where id = ${reviewed}`;
  });

  it('pending-timers-delivered: a pending timer due within the horizon whose job was lost', async () => {
    const [next] = await f.sql<{ id: string; kind: string; case_id: string }[]>`select id, kind, case_id from timers where status = 'pending' order by due_at limit 1`;
    await queues.timers.remove(timerJobId(next!.id));
    expect(await found('pending-timers-delivered')).toEqual([{ caseId: next!.case_id, what: `pending ${next!.kind} timer ${next!.id} due within the horizon has no job, no outbox row and no open incident` }]);
  });

  it('rungs-once and audit-chains: a second event reaching one rung, appended past the chain head', async () => {
    const [reached] = await f.sql<{ seq: number; data: Record<string, unknown> }[]>`
      select seq, data from audit_events where case_id = ${reviewed} and type = 'warning.reached' order by seq limit 1`;
    await tamper(
      (tx) => tx`insert into audit_events (case_id, seq, type, actor_id, occurred_at, data, prev_hash, hash)
        select case_id, (select max(seq) + 1 from audit_events where case_id = ${reviewed}), type, actor_id, occurred_at, data, hash, hash
        from audit_events where case_id = ${reviewed} and seq = ${reached!.seq}`,
    );
    const results = await check();
    const of = (name: string) => results.find((r) => r.name === name)!.violations;
    expect(of('rungs-once')).toEqual([expect.objectContaining({ caseId: reviewed, what: expect.stringMatching(new RegExp(`^rung yellow of clock ${String(reached!.data['clock'])} reached again at seq`)) })]);
    expect(of('audit-chains')).toEqual([expect.objectContaining({ caseId: reviewed, what: expect.stringMatching(/^audit chain broken at seq/) })]);
  });
});
