import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSTRUCTION_PERMIT_REVIEWS } from '../../workflows/construction-permit.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';

let f: ApiFixture;
beforeAll(async () => {
  f = await createApiFixture();
});
afterAll(() => f.close());

const application = {
  serviceItemCode: 'construction-permit',
  applicant: { name: '上海某建设有限公司', idNumber: '91310000MA1FL1234X', phone: '+86 21 5555 0000' },
  materials: [{ name: '建设工程规划许可证', sha256: 'b'.repeat(64), sizeBytes: 2048 }],
};

async function openTaskOf(user: string, key: string, caseId: string): Promise<string> {
  const inbox = await f.as(user).get(`/api/tasks?status=open&pageSize=100`);
  expect(inbox.status).toBe(200);
  const task = inbox.body.items.find((t: { caseId: string; key: string }) => t.caseId === caseId && t.key === key);
  expect(task, `${user} should see ${key}`).toBeDefined();
  return task.id;
}

async function complete(user: string, key: string, caseId: string, outcome: string, text: string) {
  const id = await openTaskOf(user, key, caseId);
  const res = await f.as(user).post(`/api/tasks/${id}/complete`, { outcome, opinion: { text } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

describe('construction permit through HTTP, a different user per department', () => {
  it('goes from application to licence', async () => {
    const started = await f.as('window.clerk').post('/api/cases', application);
    expect(started.status).toBe(201);
    const caseId: string = started.body.caseId;

    await complete('window.clerk', 'acceptance', caseId, 'approve', '材料齐全，予以受理');
    for (const review of CONSTRUCTION_PERMIT_REVIEWS) {
      const id = await openTaskOf(`${review.department}.handler`, `review.${review.department}`, caseId);
      const claimed = await f.as(`${review.department}.handler`).post(`/api/tasks/${id}/claim`);
      expect(claimed.status).toBe(200);
      await complete(`${review.department}.handler`, `review.${review.department}`, caseId, 'approve', '同意');
    }
    const decided = await complete('housing.lead', 'decision', caseId, 'approve', '联合审批通过');
    expect(decided.state).toBe('publicNotice');

    // The public notice runs five working days on a durable timer; fire it as the timer worker would.
    const [timer] = await f.sql`select id from timers where case_id = ${caseId} and kind = 'period' and status = 'pending'`;
    f.clock.advance({ days: 8 });
    const fired = await f.engine.execute({ type: 'timer.fire', timerId: timer?.['id'] });
    expect(fired.status).toBe('approved');

    const read = await f.as('housing.lead').get(`/api/cases/${caseId}`);
    expect(read.status).toBe(200);
    expect(read.body.status).toBe('approved');
    expect(read.body.licences).toHaveLength(1);
    expect(read.body.tasks.filter((t: { status: string }) => t.status === 'open')).toEqual([]);
    expect(read.body.timeline.map((e: { type: string }) => e.type)).toEqual([
      'case.started',
      'task.approved',
      ...CONSTRUCTION_PERMIT_REVIEWS.flatMap(() => ['task.claimed', 'task.approved']),
      'task.approved',
      'period.ended',
    ]);
    const pending = await f.sql`select count(*)::int as n from timers where case_id = ${caseId} and status = 'pending'`;
    expect(pending[0]?.['n']).toBe(0);
  });

  it('ends in a joint refusal with reasons when one department rejects', async () => {
    const started = await f.as('window.clerk').post('/api/cases', application);
    const caseId: string = started.body.caseId;
    await complete('window.clerk', 'acceptance', caseId, 'approve', '予以受理');
    await complete('planning.handler', 'review.planning', caseId, 'approve', '同意');
    const rejected = await complete('fire.handler', 'review.fire', caseId, 'reject', '消防车道宽度不足4米，不符合GB 50016');
    expect(rejected.state).toBe('jointRefusal');

    // The other departments' reviews are withdrawn from their inboxes.
    const water = await f.as('water.handler').get('/api/tasks?status=open');
    expect(water.body.items.filter((t: { caseId: string }) => t.caseId === caseId)).toEqual([]);

    const refused = await complete('housing.lead', 'refusal', caseId, 'approve', '不予许可：消防审查不通过');
    expect(refused.status).toBe('refused');
    const read = await f.as('housing.lead').get(`/api/cases/${caseId}`);
    expect(read.body.opinions.map((o: { text: string }) => o.text)).toContain('消防车道宽度不足4米，不符合GB 50016');
    expect(read.body.licences).toEqual([]);
  });
});
