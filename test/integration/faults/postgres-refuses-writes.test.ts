/**
 * Scenario 13 of issue 18: disk full, PostgreSQL refusing writes.
 *
 * Faults, each on a private PostgreSQL cluster under a real API process (the fleet's, on the cluster, not restarted):
 * (a) the server refusing writes — `default_transaction_read_only` switched on for the whole server and reloaded, as a
 *     managed PostgreSQL does when its disk fills, and as a standby answers after a failover (25006);
 * (b) a real disk full — the database lives in a tablespace on a small tmpfs (mounted here: CI runs as root), filled by
 *     a filler table until PostgreSQL cannot extend a file (53100).
 *
 * Expected in both: a command answers 503 problem+json `TB-UNAVAILABLE` with Retry-After and leaves nothing behind
 * (the case at its version, no row of the command anywhere, no kept answer under its Idempotency-Key); reads still
 * answer 200; once writes are allowed again (the setting reset, the filler dropped) the same requests, retried with
 * their keys, succeed — nothing restarted.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, mkdirSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Sql } from '../../../db/connection.js';
import { CONSTRUCTION_APPLICATION } from '../../support/case-driver.js';
import { createEngineFixture, MONDAY_MORNING, type EngineFixture } from '../../support/engine-fixture.js';
import { Fleet, type ApiProcess, type FleetAnswer } from '../../support/fleet.js';
import { startPrivatePostgres, type PrivatePostgres } from '../../support/private-services.js';
import { testQueuePrefix } from '../../support/test-redis.js';
import { waitFor } from '../workers/worker-test-kit.js';

/** The tables a command writes: what "nothing left behind" counts. */
const COMMAND_TABLES = ['cases', 'tasks', 'timers', 'audit_events', 'outbox', 'idempotency_keys', 'opinions', 'materials', 'notifications'] as const;

let pg: PrivatePostgres;
let f: EngineFixture;
let fleet: Fleet;
let api: ApiProcess;

beforeAll(async () => {
  pg = await startPrivatePostgres();
  f = await createEngineFixture(MONDAY_MORNING, pg.database);
  fleet = new Fleet({ databaseUrl: pg.url, prefix: testQueuePrefix(), now: MONDAY_MORNING });
  api = await fleet.api();
}, 60_000);

afterAll(async () => {
  await fleet?.close();
  await f?.close();
  await pg?.stop();
});

const clerk = () => fleet.as('window.clerk');

/** How many rows each table a command writes holds. */
async function rowCounts(sql: Sql): Promise<Record<string, number>> {
  const counts = await Promise.all(COMMAND_TABLES.map(async (table) => [table, (await sql.unsafe<{ n: number }[]>(`select count(*)::int as n from ${table}`))[0]!.n] as const));
  return Object.fromEntries(counts);
}

/** A case started before the fault, with its acceptance task open. */
async function caseAtAcceptance(): Promise<{ caseId: string; acceptance: string }> {
  const started = await clerk().post(api, '/api/cases', CONSTRUCTION_APPLICATION);
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  const caseId = started.body.caseId as string;
  const [task] = await f.sql<{ id: string }[]>`select id from tasks where case_id = ${caseId} and key = 'acceptance' and status = 'open'`;
  return { caseId, acceptance: task!.id };
}

/** The commands a test sends under the fault, each with its Idempotency-Key, to send again once it is over. */
function commandsOn({ caseId, acceptance }: { caseId: string; acceptance: string }, key: string) {
  return {
    accept: () => clerk().post(api, `/api/tasks/${acceptance}/complete`, { outcome: 'approve', opinion: { text: '同意' } }, { 'idempotency-key': `${key}-accept` }),
    start: () => clerk().post(api, '/api/cases', CONSTRUCTION_APPLICATION, { 'idempotency-key': `${key}-start` }),
    read: () => fleet.as('supervisor').get(api, `/api/cases/${caseId}`),
    inbox: () => clerk().get(api, '/api/tasks?view=todo'),
  };
}

function expectUnavailable(answer: FleetAnswer): void {
  expect([answer.status, answer.body?.code], JSON.stringify(answer.body)).toEqual([503, 'TB-UNAVAILABLE']);
  expect(answer.contentType).toContain('application/problem+json');
  expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(JSON.stringify(answer.body)).not.toMatch(/25006|53100|read-only|could not extend|tablespace|postgres/i);
}

/** Refused commands, then writes allowed again: what both variants check. */
async function refusedThenServed(on: { caseId: string; acceptance: string }, key: string, before: { counts: Record<string, number>; version: number }, allowWrites: () => Promise<void>) {
  const commands = commandsOn(on, key);
  expectUnavailable(await commands.accept());
  expectUnavailable(await commands.start());
  expect((await commands.read()).status).toBe(200);
  expect((await commands.inbox()).status).toBe(200);
  expect(await rowCounts(f.sql)).toEqual(before.counts);
  expect(await caseVersion(on.caseId)).toBe(before.version);
  expect(await f.sql`select 1 from idempotency_keys where key like ${`${key}-%`}`).toHaveLength(0);

  await allowWrites();
  const accepted = await commands.accept();
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
  expect(accepted.body.version).toBe(before.version + 1);
  expect((await commands.start()).status).toBe(201);
  // Each retried once, each took effect once.
  expect(await f.sql`select 1 from idempotency_keys where key like ${`${key}-%`}`).toHaveLength(2);
  expect(await caseVersion(on.caseId)).toBe(before.version + 1);
}

async function caseVersion(caseId: string): Promise<number> {
  const [row] = await f.sql<{ version: number }[]>`select version from cases where id = ${caseId}`;
  return row!.version;
}

describe('PostgreSQL refusing writes (scenario 13a)', () => {
  /** Sets `default_transaction_read_only` for the whole server and waits until a new session has it. */
  async function readOnly(on: boolean): Promise<void> {
    // A session of its own that may write whatever the server's default: ALTER SYSTEM cannot run in a transaction.
    const admin = connect(pg.url, { max: 1 });
    try {
      await admin`set default_transaction_read_only = off`;
      await admin.unsafe(on ? 'alter system set default_transaction_read_only = on' : 'alter system reset default_transaction_read_only');
      await admin`select pg_reload_conf()`;
    } finally {
      await admin.end();
    }
    await waitFor('the server to reload its settings', async () => {
      const probe = connect(pg.url, { max: 1 });
      try {
        const [row] = await probe`show default_transaction_read_only`;
        return row?.['default_transaction_read_only'] === (on ? 'on' : 'off');
      } finally {
        await probe.end();
      }
    });
  }

  it('answers commands 503 with nothing written, reads 200, and serves the same commands once writes are allowed again', async () => {
    const on = await caseAtAcceptance();
    const before = { counts: await rowCounts(f.sql), version: await caseVersion(on.caseId) };
    await readOnly(true);
    try {
      await refusedThenServed(on, 'read-only', before, () => readOnly(false));
    } finally {
      // Again when an assertion failed before it: the cluster is the file's, the next test writes.
      await readOnly(false);
    }
  });
});

describe('PostgreSQL with its disk full (scenario 13b)', () => {
  /** A small tmpfs of its own for the test database's tablespace; unmounted in afterAll, whatever happened. */
  const mountPoint = () => `${pg.dataDir}-tablespace`;
  let mounted = false;

  afterAll(() => {
    if (mounted) execFileSync('umount', ['--lazy', mountPoint()]);
    rmSync(mountPoint(), { recursive: true, force: true });
  });

  it('answers the command that finds no space 503 with nothing written, reads 200, and serves it once space returns', async () => {
    const dir = mountPoint();
    mkdirSync(dir, { recursive: true });
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${TABLESPACE_BYTES}`, 'tmpfs', dir], { stdio: 'pipe' });
    } catch (error) {
      throw new Error(`scenario 13b mounts a tmpfs for a tablespace and needs root (CI runs as root): ${String(error)}`);
    }
    mounted = true;
    // PostgreSQL runs as `postgres` when the tests run as root (platform/embedded-postgres.ts).
    const owner = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    chownSync(dir, owner, Number(execFileSync('id', ['-g', 'postgres']).toString().trim()));

    const on = await caseAtAcceptance();
    await f.sql.unsafe(`create tablespace small location '${dir}'`);
    // Every table and index of the database moves there, so every write of a command needs its space.
    await f.sql.unsafe('alter table all in tablespace pg_default set tablespace small');
    await f.sql.unsafe('alter index all in tablespace pg_default set tablespace small');
    await f.sql.unsafe('create table filler (pad text) tablespace small');
    await fill(f.sql);

    // Writes that fit in pages already allocated succeed; the first that needs a new page finds no space. Cases are
    // started until one is refused: nothing of it may remain.
    let refused: { key: string; before: Record<string, number> } | null = null;
    for (let i = 0; i < MAX_STARTS_UNTIL_FULL && !refused; i += 1) {
      const key = `disk-full-${i}`;
      const before = await rowCounts(f.sql);
      const answer = await clerk().post(api, '/api/cases', CONSTRUCTION_APPLICATION, { 'idempotency-key': key });
      if (answer.status === 503) {
        expectUnavailable(answer);
        expect(await rowCounts(f.sql)).toEqual(before);
        refused = { key, before };
      } else {
        expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      }
    }
    expect(refused, `a case start refused within ${MAX_STARTS_UNTIL_FULL}`).not.toBeNull();
    expect((await fleet.as('supervisor').get(api, `/api/cases/${on.caseId}`)).status).toBe(200);
    expect(await f.sql`select 1 from idempotency_keys where key = ${refused!.key}`).toHaveLength(0);

    await f.sql.unsafe('drop table filler');
    const retried = await clerk().post(api, '/api/cases', CONSTRUCTION_APPLICATION, { 'idempotency-key': refused!.key });
    expect(retried.status, JSON.stringify(retried.body)).toBe(201);
    expect(await f.sql`select 1 from idempotency_keys where key = ${refused!.key}`).toHaveLength(1);
  });
});

/** The tablespace's size: the test database's tables and indexes take a few MB. */
const TABLESPACE_BYTES = '64m';
const MAX_STARTS_UNTIL_FULL = 40;

/**
 * Fills the tablespace with the filler table until PostgreSQL says the disk is full (53100): first a thousand rows at
 * a time, then one row at a time, so that less than a page is left. Rows of 1,500 bytes stay below the size at which
 * PostgreSQL would compress them (about 2 kB), so each takes its full size.
 */
async function fill(sql: Sql): Promise<void> {
  for (const rows of [1_000, 1]) {
    for (;;) {
      const full = await sql`insert into filler select repeat('x', 1500) from generate_series(1, ${rows})`.then(
        () => false,
        (error: unknown) => {
          if ((error as { code?: unknown }).code === '53100') return true;
          throw error;
        },
      );
      if (full) break;
    }
  }
}
