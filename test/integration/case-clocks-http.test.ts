import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { caseDriver } from '../support/case-driver.js';

let f: ApiFixture;
beforeAll(async () => {
  f = await createApiFixture();
});
afterAll(() => f.close());
const { start, returnToApplicant } = caseDriver(() => f);

interface Clock {
  readonly id: string;
  readonly state: string;
  readonly budget: number;
  readonly remaining: number;
  readonly due: { due: string; derivation: { pausedWorkingDays: number; dueDate: string } } | null;
  readonly pauses: readonly { reason: { kind: string }; until: string | null; workingDaysNotCounted: number }[];
}

const clocksOf = async (user: string, caseId: string): Promise<Clock[]> => {
  const res = await f.as(user).get(`/api/cases/${caseId}/clocks`);
  expect(res.status).toBe(200);
  return res.body.clocks;
};

describe('GET /api/cases/{caseId}/clocks', () => {
  it("answers the case's legal, committed and task clocks, paused while the applicant supplements and running again after", async () => {
    const caseId = await start();
    const started = await clocksOf('housing.lead', caseId);
    expect(started.map((c) => [c.id, c.state, c.budget, c.remaining, c.pauses])).toEqual([
      ['legal', 'running', 15, 15, []],
      ['committed', 'running', 10, 10, []],
      ['task:acceptance', 'running', 1, 1, []],
    ]);
    expect(started.every((c) => c.due !== null && c.due.derivation.pausedWorkingDays === 0)).toBe(true);

    await returnToApplicant(caseId, '缺少消防设计文件');
    const paused = await clocksOf('window.clerk', caseId);
    expect(paused.map((c) => [c.id, c.state, c.due, c.pauses.map((p) => [p.reason.kind, p.until])])).toEqual([
      ['legal', 'paused', null, [['supplement', null]]],
      ['committed', 'paused', null, [['supplement', null]]],
      ['task:acceptance', 'paused', null, [['supplement', null]]],
    ]);

    f.clock.advance({ days: 1 });
    const supplemented = await f.as('window.clerk').post(`/api/cases/${caseId}/supplements`, { materials: [{ name: '施工图设计文件 Construction drawings', sha256: 'd'.repeat(64), sizeBytes: 2048 }] });
    expect(supplemented.status).toBe(200);
    const resumed = await clocksOf('housing.lead', caseId);
    expect(resumed.map((c) => [c.id, c.state, c.pauses.length, c.pauses[0]?.until !== null])).toEqual([
      ['legal', 'running', 1, true],
      ['committed', 'running', 1, true],
      ['task:acceptance', 'running', 1, true],
    ]);
  });

  it("moves the case deadline with the committed clock: its timer cancelled at the pause, a new one at the clock's due after the resume", async () => {
    const caseId = await start();
    const deadlineTimers = async () =>
      (await f.sql`select send_id, status, due_at from timers where case_id = ${caseId} and kind = 'case.deadline' order by status, due_at`).map((t) => ({
        sendId: t['send_id'],
        status: t['status'],
        dueAt: new Date(String(t['due_at'])).toISOString(),
      }));
    const caseDue = async () => {
      const [row] = await f.sql`select due_at, due_derivation from cases where id = ${caseId}`;
      return { dueAt: new Date(String(row?.['due_at'])).toISOString(), dueDate: (row?.['due_derivation'] as { dueDate: string }).dueDate };
    };
    const [original] = await deadlineTimers();
    expect(original).toMatchObject({ sendId: 'case.deadline', status: 'pending' });
    const startDue = await caseDue();

    await returnToApplicant(caseId, '缺少消防设计文件');
    expect(await deadlineTimers()).toEqual([{ ...original, status: 'cancelled' }]);
    expect(await caseDue()).toEqual(startDue);

    f.clock.advance({ days: 1 });
    const supplemented = await f.as('window.clerk').post(`/api/cases/${caseId}/supplements`, { materials: [{ name: '施工图设计文件 Construction drawings', sha256: 'd'.repeat(64), sizeBytes: 2048 }] });
    expect(supplemented.status).toBe(200);
    const committed = (await clocksOf('housing.lead', caseId)).find((c) => c.id === 'committed');
    const due = committed?.due;
    expect(due).not.toBeNull();
    expect(await caseDue()).toEqual({ dueAt: new Date(String(due?.due)).toISOString(), dueDate: due?.derivation.dueDate });
    expect(await deadlineTimers()).toEqual([
      { ...original, status: 'cancelled' },
      { sendId: 'case.deadline', status: 'pending', dueAt: new Date(String(due?.due)).toISOString() },
    ]);
  });

  it('is 404 for a department not taking part in the case', async () => {
    const caseId = await start();
    const res = await f.as('market.handler').get(`/api/cases/${caseId}/clocks`);
    expect(res.status).toBe(404);
    expect(res.body.type).toBeDefined();
  });
});
