import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from '../../../api/auth.js';
import { verifyCaseAudit } from '../../../db/audit-verification.js';
import { timerId } from '../../../engine/ids.js';
import type { CommandResult } from '../../../engine/operations/decision.js';
import { systemClock } from '../../../platform/system-clock.js';
import type { Answer } from '../../support/api-fixture.js';
import { CONSTRUCTION_APPLICATION } from '../../support/case-driver.js';
import { startApiFleet, type ApiFleet } from '../../support/api-fleet.js';
import type { EngineFixture } from '../../support/engine-fixture.js';
import type { ApiProcess, Fleet } from '../../support/fleet.js';
import { holdLock } from '../../support/held-lock.js';
import { TEST_JWT_SECRET } from '../../support/test-auth.js';

/**
 * Issue 18, scenario 7: two commands on one case at the same instant.
 * (a) Fault: two departments' handlers complete their own reviews of one case at the same instant, through two API
 *     processes, in several rounds on several cases at once. Expected: each is accepted (serialized by the case row
 *     lock, the second decided on the state the first committed) or refused 409, never a lost update: the case's
 *     snapshot holds every accepted decision, its version rose by their number, one audit event each, chain intact.
 * (b) Fault: a handler completes a review at the instant its deadline timer fires (the engine's `timer.fire`, as a
 *     worker runs it, beside the HTTP completion), on several cases. Expected: one goes first; either the completion
 *     cancels the deadline (which then fires nothing for it) or the deadline fires (red, its audit event) and the
 *     completion is decided after it; nothing happens twice, chain intact.
 * `test/integration/concurrency.test.ts` covers one task completed twice, in one process.
 */

let f: EngineFixture;
let fleet: Fleet;
let a: ApiProcess;
let b: ApiProcess;
const CASES = 4;
let w: ApiFleet;
beforeAll(async () => {
  w = await startApiFleet('simultaneous', { TONGBAN_JWT_MAX_LIFETIME_SECONDS: String(TOKEN_LIFETIME_SECONDS) });
  ({ f, fleet } = w);
  [a, b] = w.apis as [ApiProcess, ApiProcess];
}, 60_000);
afterAll(() => w?.close());

/**
 * Tokens minted before the race, so that both requests leave at once, living a month: the API processes check their
 * expiry on the real time and on the fleet's clock, which the test moves days on (TOKEN_LIFETIME_SECONDS allows it).
 */
const TOKEN_LIFETIME_SECONDS = 30 * 86_400;
const tokens = new Map<string, Promise<string>>();
function tokenOf(user: string): Promise<string> {
  if (!tokens.has(user)) tokens.set(user, mintToken(user, TEST_JWT_SECRET, systemClock, TOKEN_LIFETIME_SECONDS));
  return tokens.get(user)!;
}

async function complete(api: ApiProcess, user: string, taskId: string): Promise<Answer> {
  const res = await fetch(`${api.url}/api/tasks/${taskId}/complete`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await tokenOf(user)}`, 'content-type': 'application/json' },
    body: JSON.stringify({ outcome: 'approve', opinion: { text: '同意 Approved' } }),
  });
  return { status: res.status, body: await res.json(), contentType: res.headers.get('content-type') };
}

/** A construction permit accepted at the window through API process A: its five reviews open. */
async function inJointReview(): Promise<string> {
  const res = await fetch(`${a.url}/api/cases`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await tokenOf('window.clerk')}`, 'content-type': 'application/json' },
    body: JSON.stringify(CONSTRUCTION_APPLICATION),
  });
  expect(res.status).toBe(201);
  const { caseId } = (await res.json()) as { caseId: string };
  const accepted = await complete(a, 'window.clerk', await taskOf(caseId, 'acceptance'));
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
  return caseId;
}

async function taskOf(caseId: string, key: string): Promise<string> {
  const [task] = await f.sql`select id from tasks where case_id = ${caseId} and key = ${key} and status in ('open', 'claimed')`;
  if (!task) throw new Error(`case ${caseId} has no open ${key}`);
  return task['id'] as string;
}

const caseRow = async (caseId: string) =>
  (await f.sql<{ version: number; snapshot: { value: { jointReview?: Record<string, string> } } }[]>`select version, snapshot from cases where id = ${caseId}`)[0]!;
const approvals = async (caseId: string) =>
  (await f.sql`select data->>'taskId' as task from audit_events where case_id = ${caseId} and type = 'task.approved' order by seq`).map((e) => e['task'] as string);

describe('two departments complete their reviews of one case at the same instant', () => {
  it('both decisions stand, each once, whichever API process took it', { timeout: 60_000 }, async () => {
    const caseIds = await Promise.all(Array.from({ length: CASES }, inJointReview));
    const pairs = [
      ['planning', 'ecology'],
      ['fire', 'water'],
    ] as const;
    for (const [first, second] of pairs) {
      const before = await Promise.all(caseIds.map(caseRow));
      const tasks = await Promise.all(caseIds.map(async (caseId) => [await taskOf(caseId, `review.${first}`), await taskOf(caseId, `review.${second}`)] as const));
      // Every case's pair at once: one department through A, the other through B.
      const answers = await Promise.all(tasks.map(([one, other]) => Promise.all([complete(a, `${first}.handler`, one), complete(b, `${second}.handler`, other)])));

      for (const [i, caseId] of caseIds.entries()) {
        const accepted = answers[i]!.filter((answer) => answer.status === 200);
        for (const answer of answers[i]!) {
          expect([200, 409], JSON.stringify(answer.body)).toContain(answer.status);
          if (answer.status === 409) expect(answer.contentType).toContain('application/problem+json');
        }
        const after = await caseRow(caseId);
        expect(after.version).toBe(before[i]!.version + accepted.length);
        // The snapshot holds each accepted decision: neither overwrote the other.
        const decided = [first, second].filter((_, j) => answers[i]![j]!.status === 200);
        for (const department of decided) expect(after.snapshot.value.jointReview?.[department]).toBe('approved');
        const approved = await approvals(caseId);
        for (const [j, taskId] of tasks[i]!.entries()) expect(approved.filter((t) => t === taskId)).toHaveLength(answers[i]![j]!.status === 200 ? 1 : 0);
      }
    }
    for (const caseId of caseIds) expect(await verifyCaseAudit(f.sql, caseId)).toMatchObject({ ok: true });
  });
});

describe('a handler completes a review at the instant its deadline fires', () => {
  it('whichever goes first, the other is decided after it: nothing twice', { timeout: 60_000 }, async () => {
    const caseIds = await Promise.all(Array.from({ length: CASES }, inJointReview));
    const rounds = await Promise.all(
      caseIds.map(async (caseId) => {
        const taskId = await taskOf(caseId, 'review.fire');
        const [timer] = await f.sql<{ id: string; dueAtMs: number }[]>`
          select id, (extract(epoch from due_at) * 1000)::float8 as "dueAtMs" from timers where task_id = ${taskId} and kind = 'task.deadline' and status = 'pending'`;
        return { caseId, taskId, timer: timer! };
      }),
    );
    // Every case's fire review falls due at the same instant: both clocks, the API processes' and the engine's, stand there.
    const due = new Date(rounds[0]!.timer.dueAtMs);
    expect(rounds.every((r) => r.timer.dueAtMs === due.getTime())).toBe(true);
    await fleet.setClock(due);
    f.clock.set(due);

    // Both commands of each case in flight together: queued behind the test's lock on the case rows, in the order
    // chosen (the completion first on even cases, the deadline first on odd ones), then let go at once.
    const held = await holdLock(f.sql, (tx) => tx`select id from cases where id in ${tx(caseIds)} for update`);
    const outcomes: Promise<[Answer, CommandResult]>[] = [];
    for (const [i, { taskId, timer }] of rounds.entries()) {
      const completion = () => complete(i % 2 === 0 ? a : b, 'fire.handler', taskId);
      const fire = () => f.engine.execute({ type: 'timer.fire', timerId: timerId(timer.id) });
      let answered: Promise<Answer>;
      let fired: Promise<CommandResult>;
      if (i % 2 === 0) {
        answered = completion();
        await held.waiters(2 * i + 1);
        fired = fire();
      } else {
        fired = fire();
        await held.waiters(2 * i + 1);
        answered = completion();
      }
      await held.waiters(2 * i + 2);
      outcomes.push(Promise.all([answered, fired]));
    }
    await held.release();

    for (const [i, { caseId, taskId, timer }] of rounds.entries()) {
      const [completion, fired] = await outcomes[i]!;
      expect(completion.status, JSON.stringify(completion.body)).toBe(200);
      const [row] = await f.sql`select status from timers where id = ${timer.id}`;
      const elapsed = await f.sql`select seq from audit_events where case_id = ${caseId} and type = 'deadline.elapsed' and data->>'timerId' = ${timer.id}`;
      const approved = await f.sql`select seq from audit_events where case_id = ${caseId} and type = 'task.approved' and data->>'taskId' = ${taskId}`;
      expect(approved).toHaveLength(1);
      const [task] = await f.sql`select status, outcome, warning_level from tasks where id = ${taskId}`;
      expect(task).toMatchObject({ status: 'completed', outcome: 'approve' });
      if (i % 2 === 1) {
        // The deadline went first: recorded once, before the completion, which was decided on the red task.
        expect(row?.['status']).toBe('fired');
        expect(fired.changed).toBe(true);
        expect(elapsed).toHaveLength(1);
        expect(elapsed[0]!['seq']).toBeLessThan(approved[0]!['seq'] as number);
        expect(task?.['warning_level']).toBe('red');
      } else {
        // The completion went first and cancelled the deadline: its firing found nothing to do for the review.
        expect(row?.['status']).toBe('cancelled');
        expect(elapsed).toHaveLength(0);
        expect(task?.['warning_level']).not.toBe('red');
      }
      // No warning told twice: each notice (rung, task, recipient) written once.
      const twice = await f.sql`select data, department_code from notifications where case_id = ${caseId} and template = 'warning.reached'
        group by data::text, data, department_code, audience having count(*) > 1`;
      expect(twice).toEqual([]);
      expect(await verifyCaseAudit(f.sql, caseId)).toMatchObject({ ok: true });
    }
  });
});
