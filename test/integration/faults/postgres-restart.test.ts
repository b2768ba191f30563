/**
 * Scenario 6 of issue 18: PostgreSQL restarts under load.
 *
 * Fault: an API process and a workers process (the fleet) run on a private PostgreSQL cluster; four clients drive
 * construction permits through HTTP (start, accept at the window, the five department reviews), every command with
 * an Idempotency-Key; once the load is under way the cluster restarts (a fast shutdown cuts every connection and
 * rolls back what was uncommitted, then it starts again on the same port).
 *
 * Expected: every answer is the command's success or a clean 503 problem+json `TB-UNAVAILABLE` with Retry-After —
 * no 500, no connection cut, nothing hanging; a client retrying its 503'd command with the same key converges (the
 * command took effect once, or runs now); nothing is half-written (the invariants of the soak hold: each task
 * completed once, audit chains intact, every case in a valid state); and the SAME processes, not restarted, serve
 * commands again, relay every outbox row, and fire a timer due after the restart.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkInvariants } from '../../../soak/invariants.js';
import { CONSTRUCTION_PERMIT_REVIEWS } from '../../../workflows/construction-permit.js';
import { CONSTRUCTION_APPLICATION } from '../../support/case-driver.js';
import { createEngineFixture, MONDAY_MORNING, type EngineFixture } from '../../support/engine-fixture.js';
import { Fleet, type ApiProcess, type FleetAnswer, type FleetProcess } from '../../support/fleet.js';
import { startPrivatePostgres, type PrivatePostgres } from '../../support/private-services.js';
import { createRedisConnection, deleteKeysWithPrefix, testQueuePrefix } from '../../support/test-redis.js';
import { waitFor } from '../workers/worker-test-kit.js';

const CLIENTS = 4;
/** Each client's cap on cases, so that a restart that never ends cannot keep the load going forever. */
const MAX_CASES_PER_CLIENT = 6;
/** Commands answered before the restart: the load is under way. */
const ANSWERED_BEFORE_RESTART = 2 * CLIENTS;
/** An answer later than this is a hang: a restart takes seconds, and a request in it must fail fast. */
const ANSWER_BOUND_MS = 20_000;
/** How long a client keeps retrying a 503: the restart and the reconnection, on a busy machine. */
const RECOVERY_MS = 25_000;

let pg: PrivatePostgres;
let f: EngineFixture;
let fleet: Fleet;
let api: ApiProcess;
let workers: FleetProcess;
/** The fleet's processes that exited, with their last lines: none may, a restart of the database is no reason to. */
const exited: string[] = [];
const prefix = testQueuePrefix();

beforeAll(async () => {
  pg = await startPrivatePostgres();
  f = await createEngineFixture(MONDAY_MORNING, pg.database);
  fleet = new Fleet({ databaseUrl: pg.url, redisUrl: inject('redisUrl'), prefix, now: MONDAY_MORNING });
  [api, workers] = await Promise.all([fleet.api(), fleet.workers()]);
  // With its last lines: a process the restart killed says why (an uncaught error of the driver, say).
  for (const p of [api, workers]) void p.exited.then((exit) => exited.push(`${p.kind} exited (${exit.signal ?? exit.code}):\n${p.lines.slice(-20).join('\n')}`));
}, 60_000);

afterAll(async () => {
  await fleet?.close();
  await f?.close();
  await pg?.stop();
  await deleteKeysWithPrefix(prefix);
});

/** Every answer the clients got, with what they asked. */
const answers: { readonly what: string; readonly answer: FleetAnswer }[] = [];
let restarted = false;

/**
 * Sends `what` until it is answered with something else than a 503, retrying with the same request (so the same
 * Idempotency-Key). A real client waits Retry-After; the test retries sooner to stay short.
 */
async function untilServed(what: string, send: () => Promise<FleetAnswer>): Promise<FleetAnswer> {
  const giveUp = performance.now() + RECOVERY_MS;
  for (;;) {
    let hung: NodeJS.Timeout | undefined;
    const answer = await Promise.race([
      send(),
      new Promise<never>((_, reject) => (hung = setTimeout(() => reject(new Error(`${what}: no answer within ${ANSWER_BOUND_MS} ms; the API process's last lines:\n${api.lines.slice(-60).join('\n')}`)), ANSWER_BOUND_MS))),
    ]).finally(() => clearTimeout(hung));
    answers.push({ what, answer });
    if (answer.status !== 503) return answer;
    if (performance.now() > giveUp) throw new Error(`${what}: still 503 after ${RECOVERY_MS} ms`);
    await sleep(100);
  }
}

/** What one client drove: each case with the version its last command answered. */
interface Driven {
  readonly caseId: string;
  readonly version: number;
  readonly startedAfterRestart: boolean;
}

/** A client: construction permits, one after another, until one started after the restart is through its reviews. */
async function client(n: number): Promise<Driven[]> {
  const driven: Driven[] = [];
  for (let i = 0; i < MAX_CASES_PER_CLIENT && !driven.some((d) => d.startedAfterRestart); i += 1) {
    const key = `pg-restart-${n}-${i}`;
    const startedAfterRestart = restarted;
    const started = await untilServed(`${key} start`, () => fleet.as('window.clerk').post(api, '/api/cases', CONSTRUCTION_APPLICATION, { 'idempotency-key': `${key}-start` }));
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const caseId = started.body.caseId as string;
    /** The case's open tasks by key, as a supervisor reads them. */
    const openTasks = async (): Promise<Map<string, string>> => {
      const read = await untilServed(`${key} read`, () => fleet.as('supervisor').get(api, `/api/cases/${caseId}`));
      expect(read.status, JSON.stringify(read.body)).toBe(200);
      return new Map((read.body.tasks as { id: string; key: string; status: string }[]).filter((t) => t.status === 'open').map((t) => [t.key, t.id]));
    };
    const complete = async (user: string, taskKey: string, tasks: Map<string, string>): Promise<number> => {
      const done = await untilServed(`${key} ${taskKey}`, () =>
        fleet.as(user).post(api, `/api/tasks/${tasks.get(taskKey)}/complete`, { outcome: 'approve', opinion: { text: '同意' } }, { 'idempotency-key': `${key}-${taskKey}` }),
      );
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      return done.body.version as number;
    };
    await complete('window.clerk', 'acceptance', await openTasks());
    // The five reviews at once, as the departments work: their commands queue on the case row's lock.
    const reviews = await openTasks();
    const versions = await Promise.all(CONSTRUCTION_PERMIT_REVIEWS.map(({ department }) => complete(`${department}.handler`, `review.${department}`, reviews)));
    driven.push({ caseId, version: Math.max(...versions), startedAfterRestart });
  }
  return driven;
}

describe('PostgreSQL restarting under load (scenario 6)', () => {
  it('answers success or a clean 503, writes nothing half, and the same processes recover by themselves', async () => {
    const load = Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n)));
    await waitFor('the load to be under way', async () => answers.filter((a) => a.answer.status < 300).length >= ANSWERED_BEFORE_RESTART, 30_000);
    await pg.restart();
    restarted = true;
    const driven = (await load).flat();

    // Every answer: a success, or a clean 503 that says when to retry and leaks nothing.
    const unavailable = answers.filter((a) => a.answer.status === 503);
    expect(answers.filter((a) => a.answer.status >= 300 && a.answer.status !== 503).map((a) => `${a.what}: ${a.answer.status} ${JSON.stringify(a.answer.body)}`)).toEqual([]);
    expect(unavailable.length, 'some request met the restart').toBeGreaterThan(0);
    for (const { answer } of unavailable) {
      expect(answer.contentType).toContain('application/problem+json');
      expect(answer.body).toEqual(expect.objectContaining({ status: 503, code: 'TB-UNAVAILABLE' }));
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(JSON.stringify(answer.body)).not.toMatch(/ECONN|CONNECTION_|57P0|postgres|select|insert/i);
    }

    // The same processes served the commands after the restart: none was restarted.
    expect(driven.filter((d) => d.startedAfterRestart)).toHaveLength(CLIENTS);
    expect(exited).toEqual([]);

    // Nothing half-written: each case at the version its last answer said, each command kept once under its key.
    const stored = await f.sql<{ id: string; version: number }[]>`select id, version from cases`;
    expect(Object.fromEntries(stored.map((c) => [c.id, c.version]))).toEqual(Object.fromEntries(driven.map((d) => [d.caseId, d.version])));
    const commandsPerCase = 2 + CONSTRUCTION_PERMIT_REVIEWS.length;
    const [kept] = await f.sql<{ keys: number }[]>`select count(*)::int as keys from idempotency_keys where key like 'pg-restart-%'`;
    expect(kept?.keys).toBe(driven.length * commandsPerCase);

    // The workers deliver again: every outbox row relayed, and a timer due after the restart fires.
    await waitFor('every outbox row relayed', async () => (await f.sql`select 1 from outbox where sent_at is null limit 1`).length === 0, 15_000);
    const [timer] = await f.sql<{ id: string; dueAtMs: number }[]>`
      select id, (extract(epoch from due_at) * 1000)::float8 as "dueAtMs" from timers where status = 'pending' order by due_at, id limit 1`;
    expect(timer).toBeDefined();
    const now = new Date(timer!.dueAtMs + 1_000);
    await fleet.setClock(now);
    await waitFor('the timer to fire', async () => (await f.sql`select 1 from timers where id = ${timer!.id} and status = 'fired'`).length === 1, 15_000);
    // The invariants are read on a quiet system: every timer due by now fired (each case's rungs were due together).
    await waitFor('every due timer fired', async () => (await f.sql`select 1 from timers where status = 'pending' and due_at <= ${now.toISOString()} limit 1`).length === 0, 15_000);

    const redis = createRedisConnection();
    try {
      const results = await checkInvariants({ sql: f.sql, redis, prefix, catalog: f.catalog, now: fleet.now() });
      expect(results.find((r) => r.name === 'case-state')?.lookedAt).toBe(driven.length);
      expect(results.flatMap((r) => r.violations)).toEqual([]);
    } finally {
      await redis.quit();
    }
    expect(await f.sql`select 1 from timer_incidents`).toHaveLength(0);
  }, 90_000);
});
