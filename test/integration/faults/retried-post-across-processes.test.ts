import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCaseAudit } from '../../../db/audit-verification.js';
import { mintToken } from '../../../api/auth.js';
import { systemClock } from '../../../platform/system-clock.js';
import { CONSTRUCTION_APPLICATION } from '../../support/case-driver.js';
import { startApiFleet, type ApiFleet } from '../../support/api-fleet.js';
import type { EngineFixture } from '../../support/engine-fixture.js';
import type { ApiProcess } from '../../support/fleet.js';
import { holdLock } from '../../support/held-lock.js';
import { TEST_JWT_SECRET } from '../../support/test-auth.js';

/**
 * Issue 18, scenario 8: a client retries a POST after a timeout, across two API processes.
 * Fault: a start, then a completion, sent with an Idempotency-Key to API process A; the client gives up while the
 * command is in flight (the fetch is aborted while A's transaction waits on a lock the test holds, so A is sure to be
 * mid-command), then retries with the same key on B, and on A and B at once, before the lock is let go.
 * Expected: one case, one completion, one audit event; every retry answered with the first command's result
 * (`Idempotent-Replayed: true`); a later retry the same; the same key with another body 422, changing nothing.
 */

let f: EngineFixture;
let a: ApiProcess;
let b: ApiProcess;
let w: ApiFleet;
beforeAll(async () => {
  w = await startApiFleet('retries');
  ({ f } = w);
  [a, b] = w.apis as [ApiProcess, ApiProcess];
}, 60_000);
afterAll(() => w?.close());

interface Answer {
  readonly status: number;
  readonly replayed: string | null;
  readonly body: Record<string, unknown>;
}

/** A POST with an Idempotency-Key, as a department system sends it; `signal` lets the client give up. */
async function post(api: ApiProcess, user: string, path: string, body: unknown, key: string, signal?: AbortSignal): Promise<Answer> {
  const res = await fetch(`${api.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await mintToken(user, TEST_JWT_SECRET, systemClock)}`, 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });
  return { status: res.status, replayed: res.headers.get('idempotent-replayed'), body: (await res.json()) as Record<string, unknown> };
}

/**
 * Sends `body` to A and gives up once A's command waits on the lock the test holds; retries on B alone and on A and B
 * at once (each waiting too); lets the lock go. Answers the retries.
 */
async function giveUpThenRetry(lock: (tx: typeof f.sql) => Promise<unknown>, user: string, path: string, body: unknown, key: string): Promise<Answer[]> {
  const held = await holdLock(f.sql, lock);
  const giveUp = new AbortController();
  const first = post(a, user, path, body, key, giveUp.signal);
  await held.waiters(1);
  giveUp.abort();
  await expect(first).rejects.toThrow(/abort/i);
  const retries = Promise.all([post(b, user, path, body, key), post(a, user, path, body, key), post(b, user, path, body, key)]);
  await held.waiters(4);
  await held.release();
  return retries;
}

describe('a POST retried after the client gave up', () => {
  let caseId: string;

  it('a start: one case, each retry answered with it', { timeout: 30_000 }, async () => {
    const applicant = { ...CONSTRUCTION_APPLICATION.applicant, name: '重试的申请人 Retrying applicant' };
    const body = { ...CONSTRUCTION_APPLICATION, applicant };
    // Holding SHARE on `cases` keeps every start from inserting its case until the test lets go.
    const retries = await giveUpThenRetry((tx) => tx`lock table cases in share mode`, 'window.clerk', '/api/cases', body, 'start-retried-0001');

    const cases = await f.sql`select id from cases where applicant->>'name' = ${applicant.name}`;
    expect(cases).toHaveLength(1);
    caseId = cases[0]!['id'] as string;
    const kept = await post(b, 'window.clerk', '/api/cases', body, 'start-retried-0001');
    expect(kept).toMatchObject({ status: 201, replayed: 'true', body: { caseId, version: 1 } });
    // Once the lock goes, the four inserts race for the key (SHARE held back only their inserts, which do not exclude
    // each other): A's given-up start or one retry wins, and every other is answered with the winner's result. Only a
    // winning retry would carry a query code: a replay never repeats one.
    expect(retries.filter((r) => r.replayed !== 'true').length).toBeLessThanOrEqual(1);
    for (const { status, body: { queryCode, ...result } } of retries) {
      expect({ status, result }).toEqual({ status: 201, result: kept.body });
      if (queryCode !== undefined) expect(queryCode).toEqual(expect.any(String));
    }
    expect((await f.sql`select type from audit_events where case_id = ${caseId}`).map((e) => e['type'])).toEqual(['case.started']);

    const other = await post(b, 'window.clerk', '/api/cases', { ...body, applicant: { ...applicant, name: '另一个 Another' } }, 'start-retried-0001');
    expect([other.status, other.body['code']]).toEqual([422, 'TB-IDEMPOTENCY-MISMATCH']);
    expect(await f.sql`select id from cases where applicant->>'name' = '另一个 Another'`).toHaveLength(0);
  });

  it('a completion: one opinion, one audit event, each retry answered with the first result', { timeout: 30_000 }, async () => {
    const [task] = await f.sql`select id from tasks where case_id = ${caseId} and key = 'acceptance'`;
    const path = `/api/tasks/${String(task!['id'])}/complete`;
    const body = { outcome: 'approve', opinion: { text: '予以受理 Accepted' } };
    // Holding the case row keeps every command on the case waiting, as a long command before them would; row lock
    // waiters are served in turn, so A's given-up completion goes first and every retry replays it.
    const retries = await giveUpThenRetry((tx) => tx`select id from cases where id = ${caseId} for update`, 'window.clerk', path, body, 'complete-retried-0001');

    for (const retry of retries) expect(retry).toMatchObject({ status: 200, replayed: 'true', body: { caseId, version: 2, state: 'jointReview' } });
    expect(new Set(retries.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(await post(a, 'window.clerk', path, body, 'complete-retried-0001')).toEqual(retries[0]);
    const events = await f.sql`select type from audit_events where case_id = ${caseId} order by seq`;
    expect(events.map((e) => e['type'])).toEqual(['case.started', 'task.approved']);
    expect(await f.sql`select count(*)::int as n from opinions where task_id = ${task!['id'] as string}`).toEqual([{ n: 1 }]);

    const other = await post(b, 'window.clerk', path, { outcome: 'approve', opinion: { text: '另一个意见 Another opinion' } }, 'complete-retried-0001');
    expect([other.status, other.body['code']]).toEqual([422, 'TB-IDEMPOTENCY-MISMATCH']);
    expect(await f.sql`select version from cases where id = ${caseId}`).toEqual([{ version: 2 }]);
    expect(await verifyCaseAudit(f.sql, caseId)).toMatchObject({ ok: true });
  });
});
