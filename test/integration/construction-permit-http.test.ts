import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timerId } from '../../engine/ids.js';
import { CONSTRUCTION_PERMIT_REVIEWS } from '../../workflows/construction-permit.js';
import { APPLICATION as BENCH_APPLICATION } from '../../bench/tongban-flow.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { caseDriver } from '../support/case-driver.js';

let f: ApiFixture;
beforeAll(async () => {
  f = await createApiFixture();
});
afterAll(() => f.close());
const { start, complete, openTask, returnToApplicant } = caseDriver(() => f);

describe('construction permit through HTTP, a different user per department', () => {
  it('starts from the application the commands benchmark sends (a change to the item that refuses it stops the benchmark)', async () => {
    const caseId = await start(BENCH_APPLICATION);
    expect((await f.as('window.clerk').get(`/api/cases/${caseId}`)).body.status).toBe('running');
  });

  it('goes from application to licence', async () => {
    const caseId = await start();
    await complete('window.clerk', 'acceptance', caseId, 'approve', '材料齐全，予以受理');
    for (const review of CONSTRUCTION_PERMIT_REVIEWS) {
      const handler = `${review.department}.handler`;
      const id = await openTask(handler, `review.${review.department}`, caseId);
      expect((await f.as(handler).post(`/api/tasks/${id}/claim`)).status).toBe(200);
      await complete(handler, `review.${review.department}`, caseId);
    }
    const decided = await complete('housing.lead', 'decision', caseId, 'approve', '联合审批通过');
    expect(decided.state).toBe('publicNotice');

    // The public notice runs five working days on a durable timer; fire it as the timer worker would.
    const [timer] = await f.sql`select id from timers where case_id = ${caseId} and kind = 'period' and status = 'pending'`;
    f.clock.advance({ days: 8 });
    const fired = await f.engine.execute({ type: 'timer.fire', timerId: timerId(timer?.['id'] as string) });
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
    const [pending] = await f.sql`select count(*)::int as n from timers where case_id = ${caseId} and status = 'pending'`;
    expect(pending?.['n']).toBe(0);
  });

  it('ends in a joint refusal with every department’s reasons once all reviews are finished', async () => {
    const caseId = await start();
    await complete('window.clerk', 'acceptance', caseId, 'approve', '予以受理');
    await complete('planning.handler', 'review.planning', caseId);
    const rejected = await complete('fire.handler', 'review.fire', caseId, 'reject', '消防车道宽度不足4米，不符合GB 50016');
    expect(rejected.state).toBe('jointReview');

    // The other departments still review: the refusal will give the applicant all their reasons at once.
    await complete('water.handler', 'review.water', caseId, 'reject', '排水方案未取得排水许可');
    await complete('ecology.handler', 'review.ecology', caseId);
    const finished = await complete('civil-air-defence.handler', 'review.civil-air-defence', caseId);
    expect(finished.state).toBe('jointRefusal');

    const refused = await complete('housing.lead', 'refusal', caseId, 'approve', '不予许可：消防、水务审查不通过');
    expect(refused.status).toBe('refused');
    const read = await f.as('housing.lead').get(`/api/cases/${caseId}`);
    expect(read.body.opinions.map((o: { text: string }) => o.text)).toEqual(expect.arrayContaining(['消防车道宽度不足4米，不符合GB 50016', '排水方案未取得排水许可']));
    expect(read.body.licences).toEqual([]);
    const [notice] = await f.sql`select data from notifications where case_id = ${caseId} and template = 'case.refused'`;
    expect(notice?.['data']).toEqual({
      reasons: [
        { department: 'fire', reason: '消防车道宽度不足4米，不符合GB 50016' },
        { department: 'water', reason: '排水方案未取得排水许可' },
      ],
    });
  });

  it('loops through a supplement (补正) and a correction before going on', async () => {
    const caseId = await start();
    const returned = await returnToApplicant(caseId, '缺少施工合同 Missing the construction contract');
    expect(returned.state).toBe('supplement');
    const supplied = await f.as('window.clerk').post(`/api/cases/${caseId}/supplements`, {
      materials: [{ name: '施工合同 Construction contract', sha256: 'c'.repeat(64), sizeBytes: 4096 }],
    });
    expect(supplied.status).toBe(200);
    expect(supplied.body.state).toBe('acceptance');
    await complete('window.clerk', 'acceptance', caseId);
    await complete('water.handler', 'review.water', caseId, 'return', '排水方案需补充雨污分流说明');
    await complete('housing.handler', 'correction.water', caseId, 'approve', '已补充雨污分流说明');
    const again = await openTask('water.handler', 'review.water', caseId);
    expect(again).toBeTruthy();
  });
});
