import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EIA_EXPERTS } from '../../workflows/eia-approval.js';
import { ROAD_OCCUPATION_DEPUTIES } from '../../workflows/road-occupation.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { CONSTRUCTION_APPLICATION, caseDriver } from '../support/case-driver.js';
import { caseFootprint, expectRefused } from '../support/case-footprint.js';

/**
 * The shipped countersign steps through the HTTP API: the road occupation's sign-off by either deputy director
 * (或签: the first to sign decides, the other's task is cancelled) and the EIA expert panel's vote (票签, two
 * thirds: over as soon as its outcome cannot change). A named signer's task is theirs alone: a colleague
 * neither claims, completes nor releases it. `GET /api/cases/{id}/joint-reviews` shows each step's signers,
 * votes, threshold and outcome.
 */

let f: ApiFixture;
beforeAll(async () => {
  f = await createApiFixture();
});
afterAll(() => f.close());
const { start, complete, openTask } = caseDriver(() => f);

const [DEPUTY_A, DEPUTY_B] = ROAD_OCCUPATION_DEPUTIES;
const signerTask = (step: string, person: string) => `${step}.${person}`;
const expertTask = (expert: string) => signerTask('expertPanel', expert);

interface Countersign {
  readonly step: string;
  readonly mode: string;
  readonly threshold: { numerator: number; denominator: number } | null;
  readonly outcome: string | null;
  readonly signers: { task: string; department: string; person: string | null; weight: number; vote: string | null; reason: string | null; withheld: boolean }[];
}

async function countersignOf(user: string, caseId: string, step: string): Promise<Countersign | undefined> {
  const res = await f.as(user).get(`/api/cases/${caseId}/joint-reviews`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.countersigns.find((s: Countersign) => s.step === step);
}

/** The case's tasks of a step (`<step>.<signer>`) by key, as the supervisor reads the case: status and assignee. */
async function stepTasks(caseId: string, step: string): Promise<Record<string, { id: string; status: string; assigneeId: string | null }>> {
  const { tasks } = await caseFootprint(f, caseId);
  return Object.fromEntries(
    tasks.filter((t: { key: string }) => t.key.startsWith(`${step}.`)).map((t: { id: string; key: string; status: string; assigneeId: string | null }) => [t.key, { id: t.id, status: t.status, assigneeId: t.assigneeId }]),
  );
}

/** A road occupation whose two members approved: it waits for either deputy director's sign-off. */
async function roadAtSignOff(): Promise<string> {
  const caseId = await start({ ...CONSTRUCTION_APPLICATION, materials: [], serviceItemCode: 'road-occupation' });
  await complete('window.clerk', 'acceptance', caseId);
  await complete('traffic-police.handler', 'review.traffic-police', caseId);
  const reviewed = await complete('municipal-roads.handler', 'review.municipal-roads', caseId);
  expect(reviewed.state).toBe('signOff');
  return caseId;
}

/** An environmental impact approval before its expert panel: the five experts' tasks are open. */
async function eiaAtPanel(): Promise<string> {
  const caseId = await start({ ...CONSTRUCTION_APPLICATION, materials: [], serviceItemCode: 'eia-approval' });
  await complete('window.clerk', 'acceptance', caseId);
  const reviewed = await complete('ecology.handler', 'technicalReview', caseId, 'approve', '报告表编制规范 The report form is complete');
  expect(reviewed.state).toBe('expertPanel');
  return caseId;
}

describe('或签: the road occupation’s sign-off by either deputy director', () => {
  it('opens a task claimed for each deputy; the first to sign decides and the other’s task is cancelled, named in the audit event', async () => {
    const caseId = await roadAtSignOff();
    const opened = await stepTasks(caseId, 'signOff');
    expect(opened).toEqual({
      [signerTask('signOff', DEPUTY_A)]: { id: expect.any(String), status: 'claimed', assigneeId: DEPUTY_A },
      [signerTask('signOff', DEPUTY_B)]: { id: expect.any(String), status: 'claimed', assigneeId: DEPUTY_B },
    });
    expect(await countersignOf('urban-management.lead', caseId, 'signOff')).toMatchObject({
      mode: 'any',
      threshold: null,
      outcome: null,
      signers: [
        { task: signerTask('signOff', DEPUTY_A), department: 'urban-management', person: DEPUTY_A, weight: 1, vote: null, withheld: false },
        { task: signerTask('signOff', DEPUTY_B), department: 'urban-management', person: DEPUTY_B, weight: 1, vote: null, withheld: false },
      ],
    });

    const signed = await complete(DEPUTY_B, signerTask('signOff', DEPUTY_B), caseId, 'approve', '同意占用 Approved');
    expect(signed).toMatchObject({ status: 'approved' });
    const other = opened[signerTask('signOff', DEPUTY_A)]!;
    expect((await stepTasks(caseId, 'signOff'))[signerTask('signOff', DEPUTY_A)]?.status).toBe('cancelled');
    const { timeline } = await caseFootprint(f, caseId);
    const vote = timeline.find((e: { type: string; data: { task?: string } }) => e.type === 'task.approved' && e.data.task === signerTask('signOff', DEPUTY_B));
    expect(vote?.data).toMatchObject({ cancelledTasks: [other.id], countersign: { step: 'signOff', outcome: 'approved' } });
    expect(await countersignOf('urban-management.lead', caseId, 'signOff')).toMatchObject({
      outcome: 'approved',
      signers: [{ vote: null }, { vote: 'approve', reason: null }],
    });

    // The other deputy comes too late: their task is gone, the case closed; nothing changes.
    await expectRefused(f, caseId, () => f.as(DEPUTY_A).post(`/api/tasks/${other.id}/complete`, { outcome: 'approve', opinion: { text: '同意' } }), 409);
  });

  it('a named signer’s task is theirs: a colleague cannot claim or complete it (409), nobody releases it (403)', async () => {
    const caseId = await roadAtSignOff();
    const task = (await stepTasks(caseId, 'signOff'))[signerTask('signOff', DEPUTY_A)]!.id;
    const approve = { outcome: 'approve', opinion: { text: '同意' } };
    for (const colleague of ['urban-management.lead', DEPUTY_B]) {
      await expectRefused(f, caseId, () => f.as(colleague).post(`/api/tasks/${task}/claim`), 409, 'TB-TASK-CLAIMED');
      await expectRefused(f, caseId, () => f.as(colleague).post(`/api/tasks/${task}/complete`, approve), 409, 'TB-TASK-CLAIMED');
    }
    // Not even the department's lead (who releases anyone's claim) or the signer: the step would lose its signer.
    for (const who of ['urban-management.lead', DEPUTY_A]) await expectRefused(f, caseId, () => f.as(who).post(`/api/tasks/${task}/release`), 403, 'TB-FORBIDDEN');
    expect((await f.as(DEPUTY_A).post(`/api/tasks/${task}/complete`, approve)).status).toBe(200);
  });
});

describe('票签: the EIA expert panel, two thirds of five to pass', () => {
  it('opens a task claimed for each expert, and shows the vote and its threshold', async () => {
    const caseId = await eiaAtPanel();
    const opened = await stepTasks(caseId, 'expertPanel');
    expect(Object.entries(opened).map(([key, t]) => [key, t.status, t.assigneeId])).toEqual(EIA_EXPERTS.map((e) => [expertTask(e), 'claimed', e]));
    expect(await countersignOf('ecology.lead', caseId, 'expertPanel')).toMatchObject({
      mode: 'vote',
      threshold: { numerator: 2, denominator: 3 },
      outcome: null,
      signers: EIA_EXPERTS.map((person) => ({ person, department: 'expert-panel', weight: 1, vote: null })),
    });
  });

  it('two rejections of five: the outcome cannot reach two thirds, so the panel refuses at once, the others’ tasks cancelled, every reason kept', async () => {
    const caseId = await eiaAtPanel();
    const [first, second, ...rest] = EIA_EXPERTS as [string, string, ...string[]];
    const after1 = await complete(first, expertTask(first), caseId, 'reject', '大气防护距离论证不足 Air protection distance not shown');
    expect(after1.state).toBe('expertPanel');
    const after2 = await complete(second, expertTask(second), caseId, 'reject', '地下水监测方案缺失 No groundwater monitoring plan');
    expect(after2.state).toBe('refusal');
    await openTask('ecology.lead', 'refusal', caseId);

    const tasks = await stepTasks(caseId, 'expertPanel');
    expect(EIA_EXPERTS.map((e) => tasks[expertTask(e)]?.status)).toEqual(['completed', 'completed', 'cancelled', 'cancelled', 'cancelled']);
    expect(await countersignOf('ecology.lead', caseId, 'expertPanel')).toMatchObject({
      outcome: 'rejected',
      signers: [
        { vote: 'reject', reason: '大气防护距离论证不足 Air protection distance not shown' },
        { vote: 'reject', reason: '地下水监测方案缺失 No groundwater monitoring plan' },
        { vote: null },
        { vote: null },
        { vote: null },
      ],
    });
    // A third expert’s vote comes too late and changes nothing.
    const [third] = rest as [string];
    await expectRefused(f, caseId, () => f.as(third).post(`/api/tasks/${tasks[expertTask(third)]!.id}/complete`, { outcome: 'approve', opinion: { text: '同意' } }), 409);
  });

  it('three approvals of five are not enough; the fourth passes: the decision opens and the fifth expert’s task is cancelled', async () => {
    const caseId = await eiaAtPanel();
    const [e1, e2, e3, e4, e5] = EIA_EXPERTS as [string, string, string, string, string];
    for (const expert of [e1, e2, e3]) expect((await complete(expert, expertTask(expert), caseId)).state).toBe('expertPanel');
    expect((await countersignOf('ecology.lead', caseId, 'expertPanel'))?.outcome).toBeNull();
    const passed = await complete(e4, expertTask(e4), caseId, 'approve', '结论可信 Sound conclusion');
    expect(passed.state).toBe('decision');
    await openTask('ecology.lead', 'decision', caseId);
    expect((await stepTasks(caseId, 'expertPanel'))[expertTask(e5)]?.status).toBe('cancelled');
    expect(await countersignOf('ecology.lead', caseId, 'expertPanel')).toMatchObject({
      outcome: 'approved',
      signers: [{ vote: 'approve' }, { vote: 'approve' }, { vote: 'approve' }, { vote: 'approve' }, { vote: null }],
    });
  });
});
