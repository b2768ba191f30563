import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Sql } from '../../db/connection.js';
import { verifyAllCases, verifyCaseAudit, type AuditVerdict } from '../../db/audit-verification.js';
import { chainAuditEvent } from '../../engine/audit/audit-chain.js';
import { caseId as toCaseId } from '../../engine/ids.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { caseDriver } from '../support/case-driver.js';
import { tongban } from '../support/cli-run.js';

// Tampering happens as the database superuser with `session_replication_role = replica`, which switches
// ordinary triggers off — the append-only trigger included — for that transaction only.

let f: ApiFixture;
let admin: Sql;
const { start, complete } = caseDriver(() => f);

/**
 * A construction permit through the API: started, accepted, reviewed by three departments — five audit
 * events (seq 1..5), at instants with milliseconds, so that the hashed ISO strings have to round-trip.
 */
async function buildCase(): Promise<string> {
  const id = await start();
  f.clock.advance({ ms: 123 });
  await complete('window.clerk', 'acceptance', id);
  for (const dept of ['planning', 'ecology', 'fire']) {
    f.clock.advance({ minutes: 7, ms: 457 });
    await complete(`${dept}.handler`, `review.${dept}`, id);
  }
  return id;
}

const cases: Record<string, string> = {};

beforeAll(async () => {
  f = await createApiFixture();
  admin = connect(f.db.url, { max: 1 });
  for (const name of ['untouched', 'alsoUntouched', ...TAMPERED]) cases[name] = await buildCase();
}, 120_000);
afterAll(async () => {
  await admin?.end();
  await f?.close();
});

/** Runs `change` with the append-only trigger switched off, as someone with superuser access could. */
async function tamper(change: (tx: postgres.TransactionSql) => Promise<unknown>): Promise<void> {
  await admin.begin(async (tx) => {
    await tx`set local session_replication_role = replica`;
    await change(tx);
  });
}

const verify = (name: string) => verifyCaseAudit(f.sql, cases[name]!);

/** `npm run tongban -- audit verify`, in this process, on the test database (or without one). */
const cli = (args: string[], databaseUrl: string | null = f.db.url) => tongban(['audit', 'verify', ...args], { env: databaseUrl ? { DATABASE_URL: databaseUrl } : {} });

describe('chains as the engine wrote them', () => {
  it('verify, events and head read back exactly as they were hashed (jsonb key order, millisecond instants)', async () => {
    expect(await verify('untouched')).toEqual({ caseId: cases['untouched'], ok: true, length: 5, headSeq: 5 });
    // The round trip is not trivial: jsonb gives keys back in its own order, and the instants have milliseconds.
    const rows = await f.sql`select data, occurred_at from audit_events where case_id = ${cases['untouched']!} order by seq`;
    expect(rows.some((r) => JSON.stringify(Object.keys(r['data'])) !== JSON.stringify(Object.keys(r['data']).sort()))).toBe(true);
    expect(rows.some((r) => new Date(r['occurred_at']).getUTCMilliseconds() !== 0)).toBe(true);
  });

  it('every case verifies, across batches', async () => {
    const verdicts: AuditVerdict[] = [];
    const sweep = await verifyAllCases(f.sql, (v) => void verdicts.push(v), { batchSize: 3 });
    expect(sweep).toEqual({ cases: 10, events: 50, broken: 0 });
    expect(new Set(verdicts.map((v) => v.caseId))).toEqual(new Set(Object.values(cases)));
    expect(verdicts.every((v) => v.ok)).toBe(true);
  });

  it('the CLI exits 0 and says how much it checked', async () => {
    const run = await cli([]);
    expect(run.stdout.trim().split('\n')).toEqual(['audit verify: security log, 0 events verified', 'audit verify: 10 cases, 50 events, 0 broken']);
    expect(run.code).toBe(0);
  });

  it('an unknown or malformed case id is no case', async () => {
    expect(await verifyCaseAudit(f.sql, '6f1c1d8e-0000-4000-8000-000000000099')).toBeNull();
    expect(await verifyCaseAudit(f.sql, 'not-a-uuid')).toBeNull();
  });
});

describe('the append-only trigger', () => {
  it('rejects UPDATE, DELETE and TRUNCATE for a normal session, and nothing changes', async () => {
    const id = cases['untouched']!;
    const attempts = [
      f.sql`update audit_events set data = '{}'::jsonb where case_id = ${id} and seq = 2`,
      f.sql`delete from audit_events where case_id = ${id} and seq = 5`,
      f.sql`truncate audit_events`,
    ];
    for (const attempt of attempts) {
      await expect(attempt).rejects.toMatchObject({ code: '42501', message: expect.stringMatching(/append-only: (UPDATE|DELETE|TRUNCATE) is not allowed/) });
    }
    expect(await verify('untouched')).toMatchObject({ ok: true, length: 5 });
    expect(await f.sql`select count(*)::int as n from audit_events`).toEqual([{ n: 50 }]);
  });
});

type Verdict = { readonly brokenAtSeq: number; readonly reason: 'hash' | 'link' | 'sequence'; readonly length: number };
type Change = (tx: postgres.TransactionSql, id: string) => Promise<unknown>;

/** One way to tamper with a case of its own (seq 1..5, head at 5): the verdict that must follow, and the change. */
const TAMPERINGS: readonly (readonly [name: string, title: string, verdict: Verdict, change: Change])[] = [
  ['edited', 'an edited row, at that row: its content no longer matches its hash', { brokenAtSeq: 3, reason: 'hash', length: 5 },
    (tx, id) => tx`update audit_events set data = data || '{"outcome": "reject"}'::jsonb where case_id = ${id} and seq = 3`],
  ['retimedByAMicrosecond', 'an instant moved by one microsecond, which a millisecond Date would round away', { brokenAtSeq: 3, reason: 'hash', length: 5 },
    (tx, id) => tx`update audit_events set occurred_at = occurred_at + interval '1 microsecond' where case_id = ${id} and seq = 3`],
  ['deletedMiddle', 'a deleted middle row, at the gap', { brokenAtSeq: 3, reason: 'sequence', length: 4 },
    (tx, id) => tx`delete from audit_events where case_id = ${id} and seq = 3`],
  ['deletedAndRenumbered', 'a deleted middle row with the later rows renumbered to close the gap, at the row that moved up',
    { brokenAtSeq: 3, reason: 'link', length: 4 },
    async (tx, id) => {
      await tx`delete from audit_events where case_id = ${id} and seq = 3`;
      // In two steps, so that no intermediate seq collides with the primary key.
      await tx`update audit_events set seq = -seq where case_id = ${id} and seq > 3`;
      await tx`update audit_events set seq = -seq - 1 where case_id = ${id} and seq < 0`;
    }],
  ['deletedLast', 'a deleted last row, through the head kept on the case', { brokenAtSeq: 5, reason: 'sequence', length: 4 },
    (tx, id) => tx`delete from audit_events where case_id = ${id} and seq = 5`],
  // UPDATE ... FROM reads `b` as it was before the statement: a swap in one statement.
  ['contentsSwapped', 'two rows reordered by swapping their contents, at the lower one', { brokenAtSeq: 2, reason: 'link', length: 5 },
    (tx, id) => tx`update audit_events a set type = b.type, actor_id = b.actor_id, acting_for = b.acting_for,
      occurred_at = b.occurred_at, data = b.data, prev_hash = b.prev_hash, hash = b.hash
      from audit_events b where a.case_id = ${id} and b.case_id = ${id} and ((a.seq = 2 and b.seq = 4) or (a.seq = 4 and b.seq = 2))`],
  ['seqsSwapped', 'two rows reordered by swapping their seq values, at the lower one', { brokenAtSeq: 2, reason: 'link', length: 5 },
    async (tx, id) => {
      await tx`update audit_events set seq = -1 where case_id = ${id} and seq = 2`;
      await tx`update audit_events set seq = 2 where case_id = ${id} and seq = 4`;
      await tx`update audit_events set seq = 4 where case_id = ${id} and seq = -1`;
    }],
  ['appended', 'a correctly chained event appended behind the case’s back, through the head', { brokenAtSeq: 6, reason: 'sequence', length: 6 },
    async (tx, id) => {
      const [last] = await tx`select seq, hash from audit_events where case_id = ${id} order by seq desc limit 1`;
      const forged = chainAuditEvent(
        { seq: last!['seq'], hash: last!['hash'] },
        { caseId: toCaseId(id), type: 'task.approved', actorId: 'housing.lead', actingFor: 'housing', occurredAt: f.clock.now(), data: { forged: true } },
      );
      await tx`insert into audit_events (case_id, seq, type, actor_id, acting_for, occurred_at, data, prev_hash, hash)
        values (${id}, ${forged.seq}, ${forged.type}, ${forged.actorId}, ${forged.actingFor}, ${forged.occurredAt.toISOString()},
          ${JSON.stringify(forged.data)}::jsonb, ${forged.prevHash}, ${forged.hash})`;
    }],
];
const TAMPERED = TAMPERINGS.map(([name]) => name);

describe('tampering is found at the first broken link', () => {
  it.each(TAMPERINGS)('%s: %s', async (name, _title, verdict, change) => {
    await tamper((tx) => change(tx, cases[name]!));
    expect(await verify(name)).toEqual({ caseId: cases[name], ok: false, headSeq: 5, ...verdict });
  });

  it('the other cases are untouched and still verify; the sweep finds exactly the tampered ones', async () => {
    for (const name of ['untouched', 'alsoUntouched']) expect(await verify(name)).toMatchObject({ ok: true, length: 5 });
    const brokenIds: string[] = [];
    const sweep = await verifyAllCases(f.sql, (v) => void (v.ok || brokenIds.push(v.caseId)), { batchSize: 4 });
    expect(sweep).toMatchObject({ cases: 10, broken: TAMPERED.length });
    expect(brokenIds.sort()).toEqual(TAMPERED.map((name) => cases[name]).sort());
  });
});

describe('GET /api/cases/{caseId}/audit/verification', () => {
  const path = (name: string) => `/api/cases/${cases[name]}/audit/verification`;

  it('answers the verdict to a lead of a participating department, a supervisor and an administrator', async () => {
    for (const user of ['housing.lead', 'fire.lead', 'supervisor', 'admin']) {
      const res = await f.as(user).get(path('untouched'));
      expect([user, res.status, res.body]).toEqual([user, 200, { caseId: cases['untouched'], ok: true, length: 5, headSeq: 5 }]);
    }
    const edited = await f.as('housing.lead').get(path('edited'));
    expect(edited.body).toEqual({ caseId: cases['edited'], ok: false, length: 5, brokenAtSeq: 3, reason: 'hash', headSeq: 5 });
    const truncated = await f.as('supervisor').get(path('deletedLast'));
    expect(truncated.body).toEqual({ caseId: cases['deletedLast'], ok: false, length: 4, brokenAtSeq: 5, reason: 'sequence', headSeq: 5 });
  });

  it('404 to a lead whose department takes no part in the case, and for an unknown case', async () => {
    const res = await f.as('market.lead').get(path('untouched'));
    expect([res.status, res.body.code]).toEqual([404, 'TB-CASE-404']);
    const unknown = await f.as('supervisor').get('/api/cases/6f1c1d8e-0000-4000-8000-000000000099/audit/verification');
    expect(unknown.status).toBe(404);
  });

  it('403 to roles outside the permission matrix, even in a participating department', async () => {
    for (const user of ['fire.handler', 'window.clerk', 'designer']) {
      const res = await f.as(user).get(path('untouched'));
      expect([user, res.status, res.body.code]).toEqual([user, 403, 'TB-PERMISSION']);
    }
  });

  it('is documented with its operation in the OpenAPI document', async () => {
    const doc = await f.as(null).get('/api/openapi.json');
    expect(doc.body.paths['/api/cases/{caseId}/audit/verification'].get['x-permission']).toBe('case.audit.verify');
  });
});

describe('npm run tongban -- audit verify', () => {
  it('exits 1 with one line per broken case and a summary', async () => {
    const run = await cli([]);
    const lines = run.stdout.trim().split('\n');
    expect(lines.at(-1)).toBe(`audit verify: 10 cases, 48 events, ${TAMPERED.length} broken`);
    expect(lines[0]).toBe('audit verify: security log, 0 events verified');
    const reported = lines.slice(1, -1);
    expect(reported).toHaveLength(TAMPERED.length);
    for (const name of TAMPERED) expect(reported.filter((l) => l.includes(cases[name]!)), name).toHaveLength(1);
    expect(reported.find((l) => l.includes(cases['edited']!))).toMatch(/^BROKEN case \S+ at seq 3: hash/);
    expect(run.code).toBe(1);
  });

  it('verifies one case: 0 when intact, 1 when broken, 2 when there is no such case', async () => {
    const intact = await cli([cases['untouched']!]);
    expect([intact.code, intact.stdout.trim()]).toEqual([0, `ok: case ${cases['untouched']}, 5 events verified`]);
    const swapped = await cli([cases['seqsSwapped']!]);
    expect([swapped.code, swapped.stdout]).toEqual([1, expect.stringMatching(/^BROKEN case \S+ at seq 2: link/)]);
    const unknown = await cli(['6f1c1d8e-0000-4000-8000-000000000099']);
    expect([unknown.code, unknown.stderr.trim()]).toEqual([2, 'audit verify: no case 6f1c1d8e-0000-4000-8000-000000000099']);
  });

  it('exits 2 with a hint when DATABASE_URL is not set', async () => {
    const run = await cli([], null);
    expect([run.code, run.stderr]).toEqual([2, expect.stringContaining('DATABASE_URL is not set')]);
  });
});
