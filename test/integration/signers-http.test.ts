import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EIA_EXPERTS } from '../../workflows/eia-approval.js';
import { ROAD_OCCUPATION_DEPUTIES } from '../../workflows/road-occupation.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { CONSTRUCTION_APPLICATION, caseDriver } from '../support/case-driver.js';
import { caseFootprint, expectRefused } from '../support/case-footprint.js';

/**
 * 加签 and 减签 through the HTTP API on the shipped countersign steps: a deputy director adds a signer to the road
 * occupation's sign-off (或签) with `POST /api/tasks/{id}/signers`; the lead of the lead department removes a pending
 * signer with `POST /api/cases/{id}/countersigns/{step}/signers/{task}/removal`, and removing pending experts decides
 * the EIA panel's vote (票签) at once. Whatever is refused answers problem+json and changes nothing.
 */

let f: ApiFixture;
beforeAll(async () => {
  f = await createApiFixture();
  await f.sql`insert into users (id, name, department_code, roles) values ('urban-management.director', 'Director', 'urban-management', ${['lead']})`;
});
afterAll(() => f.close());
const { start, complete, openTask } = caseDriver(() => f);

const [DEPUTY_A, DEPUTY_B] = ROAD_OCCUPATION_DEPUTIES as unknown as [string, string];
const DIRECTOR = 'urban-management.director';
const reason = '涉及主干道，需局长共同把关 A main road: the director signs too';

async function roadAtSignOff(): Promise<string> {
  const caseId = await start({ ...CONSTRUCTION_APPLICATION, materials: [], serviceItemCode: 'road-occupation' });
  await complete('window.clerk', 'acceptance', caseId);
  await complete('traffic-police.handler', 'review.traffic-police', caseId);
  expect((await complete('municipal-roads.handler', 'review.municipal-roads', caseId)).state).toBe('signOff');
  return caseId;
}

const addSigner = (user: string, taskId: string, body: object, headers: Record<string, string> = {}) => f.as(user).post(`/api/tasks/${taskId}/signers`, { reason, ...body }, headers);
const removeSigner = (user: string, caseId: string, step: string, task: string) =>
  f.as(user).post(`/api/cases/${caseId}/countersigns/${step}/signers/${encodeURIComponent(task)}/removal`, { reason: '回避 Conflict of interest' });
const tasksOf = async (caseId: string, prefix: string) =>
  Object.fromEntries((await caseFootprint(f, caseId)).tasks.filter((t: { key: string }) => t.key.startsWith(prefix)).map((t: { key: string; status: string; assigneeId: string | null }) => [t.key, [t.status, t.assigneeId]]));

describe('加签: a signer adds one to their step', () => {
  it('a deputy adds the director alongside: 200, the director’s task opens claimed by them; the same Idempotency-Key adds once; the moves offer it', async () => {
    const caseId = await roadAtSignOff();
    const own = await openTask(DEPUTY_A, `signOff.${DEPUTY_A}`, caseId);
    const moves = (await f.as(DEPUTY_A).get(`/api/cases/${caseId}/moves`)).body.moves;
    expect(moves).toContainEqual({ type: 'countersign.signer.add', taskId: own, task: `signOff.${DEPUTY_A}`, positions: ['alongside', 'after'] });

    const headers = { 'idempotency-key': `add-signer-${own}` };
    const res = await addSigner(DEPUTY_A, own, { department: 'urban-management', person: DIRECTOR, position: 'alongside' }, headers);
    expect([res.status, res.body.state, res.body.changed], JSON.stringify(res.body)).toEqual([200, 'signOff', true]);
    const again = await addSigner(DEPUTY_A, own, { department: 'urban-management', person: DIRECTOR, position: 'alongside' }, headers);
    expect([again.status, again.body.version]).toEqual([200, res.body.version]);

    expect(await tasksOf(caseId, 'signOff.')).toEqual({
      [`signOff.${DEPUTY_A}`]: ['claimed', DEPUTY_A],
      [`signOff.${DEPUTY_B}`]: ['claimed', DEPUTY_B],
      [`signOff.${DIRECTOR}`]: ['claimed', DIRECTOR],
    });
    const { timeline } = await caseFootprint(f, caseId);
    expect(timeline.filter((e: { type: string }) => e.type === 'countersign.signer-added')).toEqual([
      expect.objectContaining({ actorId: DEPUTY_A, data: expect.objectContaining({ step: 'signOff', task: `signOff.${DIRECTOR}`, person: DIRECTOR, position: 'alongside', reason }) }),
    ]);
    // The added signer decides the 或签 like the others.
    expect((await complete(DIRECTOR, `signOff.${DIRECTOR}`, caseId)).status).toBe('approved');
  });

  it('refused and nothing changed: `before` in a 或签, a signer twice, a person not of the department, another’s task, a handler of elsewhere', async () => {
    const caseId = await roadAtSignOff();
    const own = await openTask(DEPUTY_A, `signOff.${DEPUTY_A}`, caseId);
    await expectRefused(f, caseId, () => addSigner(DEPUTY_A, own, { department: 'urban-management', person: DIRECTOR, position: 'before' }), 409, 'TB-SIGNER-CHANGE-NOT-ALLOWED');
    await expectRefused(f, caseId, () => addSigner(DEPUTY_A, own, { department: 'urban-management', person: DEPUTY_B, position: 'after' }), 409, 'TB-SIGNER-CHANGE-NOT-ALLOWED');
    await expectRefused(f, caseId, () => addSigner(DEPUTY_A, own, { department: 'traffic-police', person: DIRECTOR, position: 'after' }), 422, 'TB-COMMAND-INVALID');
    await expectRefused(f, caseId, () => addSigner(DEPUTY_A, own, { department: 'nowhere', position: 'after' }), 422, 'TB-COMMAND-INVALID');
    await expectRefused(f, caseId, () => addSigner(DEPUTY_B, own, { department: 'traffic-police', position: 'after' }), 409, 'TB-SIGNER-CHANGE-NOT-ALLOWED');
    await expectRefused(f, caseId, () => addSigner('traffic-police.lead', own, { department: 'traffic-police', position: 'after' }), 404, 'TB-TASK-404');
    await expectRefused(f, caseId, () => addSigner('supervisor', own, { department: 'traffic-police', position: 'after' }), 403, 'TB-PERMISSION');
  });
});

describe('减签: the lead of the lead department removes a pending signer', () => {
  it('removes a deputy: 200, their task is cancelled and audited; the last signer stays (409); a deputy’s vote cannot be removed', async () => {
    const caseId = await roadAtSignOff();
    const moves = (await f.as('urban-management.lead').get(`/api/cases/${caseId}/moves`)).body.moves;
    expect(moves.filter((m: { type: string }) => m.type === 'countersign.signer.remove').map((m: { task: string }) => m.task)).toEqual([`signOff.${DEPUTY_A}`, `signOff.${DEPUTY_B}`]);

    const res = await removeSigner('urban-management.lead', caseId, 'signOff', `signOff.${DEPUTY_B}`);
    expect([res.status, res.body.state], JSON.stringify(res.body)).toEqual([200, 'signOff']);
    expect(await tasksOf(caseId, 'signOff.')).toEqual({ [`signOff.${DEPUTY_A}`]: ['claimed', DEPUTY_A], [`signOff.${DEPUTY_B}`]: ['cancelled', DEPUTY_B] });
    const { timeline } = await caseFootprint(f, caseId);
    expect(timeline.at(-1)).toMatchObject({ type: 'countersign.signer-removed', actorId: 'urban-management.lead', data: { step: 'signOff', task: `signOff.${DEPUTY_B}`, reason: '回避 Conflict of interest' } });
    await expectRefused(f, caseId, () => removeSigner('urban-management.lead', caseId, 'signOff', `signOff.${DEPUTY_A}`), 409, 'TB-SIGNER-CHANGE-NOT-ALLOWED');
  });

  it('only the lead, of the lead department: a handler 403, another department 404, an unknown step 409', async () => {
    const caseId = await roadAtSignOff();
    await expectRefused(f, caseId, () => removeSigner('urban-management.handler', caseId, 'signOff', `signOff.${DEPUTY_B}`), 403, 'TB-PERMISSION');
    await expectRefused(f, caseId, () => removeSigner('traffic-police.lead', caseId, 'signOff', `signOff.${DEPUTY_B}`), 404, 'TB-CASE-404');
    await expectRefused(f, caseId, () => removeSigner('urban-management.lead', caseId, 'nothing', `signOff.${DEPUTY_B}`), 409, 'TB-SIGNER-CHANGE-NOT-ALLOWED');
  });

  it('票签: removing a pending expert after three approvals decides the panel at once (3 of 4 reach two thirds) and the case moves on', async () => {
    const caseId = await start({ ...CONSTRUCTION_APPLICATION, materials: [], serviceItemCode: 'eia-approval' });
    await complete('window.clerk', 'acceptance', caseId);
    await complete('ecology.handler', 'technicalReview', caseId, 'approve', '报告表编制规范 The report form is complete');
    for (const expert of EIA_EXPERTS.slice(0, 3)) await complete(expert, `expertPanel.${expert}`, caseId, 'approve', '同意 Agreed');
    const [fourth, fifth] = EIA_EXPERTS.slice(3) as [string, string];
    expect((await removeSigner('ecology.lead', caseId, 'expertPanel', `expertPanel.${fifth}`)).body.state).toBe('decision');
    // The removed expert's task is cancelled by the removal, the fourth's with the step it decided.
    const tasks = await tasksOf(caseId, 'expertPanel.');
    expect([tasks[`expertPanel.${fourth}`]?.[0], tasks[`expertPanel.${fifth}`]?.[0]]).toEqual(['cancelled', 'cancelled']);
  });
});
