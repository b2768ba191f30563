import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { apiDeps } from '../../apps/serve-api.js';
import { connect } from '../../db/connection.js';
import { systemClock } from '../../platform/system-clock.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { CONSTRUCTION_APPLICATION, caseDriver } from '../support/case-driver.js';

let f: ApiFixture;
let caseId: string;
beforeAll(async () => {
  f = await createApiFixture();
  const { startInJointReview, complete } = caseDriver(() => f);
  caseId = await startInJointReview();
  await complete('planning.handler', 'review.planning', caseId, 'approve', '规划内部意见');
});
afterAll(() => f.close());

const { idNumber, phone } = CONSTRUCTION_APPLICATION.applicant;

describe('what each role sees of one case, property by property', () => {
  it.each([
    // user, sees full personal data, sees planning's internal opinion
    ['window.clerk', true, false],
    ['housing.lead', true, true],
    ['housing.handler', true, true],
    ['planning.handler', false, true],
    ['fire.handler', false, false],
    ['supervisor', false, true],
  ])('%s', async (user, fullPersonalData, internalOpinion) => {
    const res = await f.as(user).get(`/api/cases/${caseId}`);
    expect(res.status).toBe(200);
    expect(res.body.applicant.name).toBe(CONSTRUCTION_APPLICATION.applicant.name);
    expect(res.body.applicant.idNumber === idNumber).toBe(fullPersonalData);
    expect(res.body.applicant.phone === phone).toBe(fullPersonalData);
    expect(res.body.opinions.some((o: { text: string }) => o.text === '规划内部意见')).toBe(internalOpinion);
    // The same shape for everyone: nothing internal (the machine snapshot, the chain head) leaks as a field.
    expect(Object.keys(res.body).sort()).toEqual(
      [
        ...['applicant', 'caseNumber', 'comments', 'completedAt', 'createdAt', 'definition', 'due', 'dueAt', 'id', 'intakeDepartment', 'leadDepartment', 'licences', 'materials'],
        ...['opinions', 'serviceItemCode', 'serviceItemVersion', 'state', 'status', 'tasks', 'timeline', 'version', 'warningLevel'],
      ].sort(),
    );
    expect(JSON.stringify(res.body.timeline)).not.toContain(idNumber);
  });

  it.each(['designer', 'admin', 'market.handler'])('%s cannot read it', async (user) => {
    expect([403, 404]).toContain((await f.as(user).get(`/api/cases/${caseId}`)).status);
  });
});

describe('an unexpected failure', () => {
  it('answers a bare 500 problem: no message, stack or SQL', async () => {
    // A database that does not exist (3D000): a failure nobody expects, unlike PostgreSQL being unavailable (503).
    const missing = new URL(f.db.url);
    missing.pathname = '/no_such_database';
    const broken = connect(missing.href, { max: 1 });
    const logged: unknown[] = [];
    const app = createApp(apiDeps({ ...f, sql: broken, clock: systemClock }, { auth: { jwtSecret: 'test-secret-of-at-least-thirty-two-characters' }, log: (e) => logged.push(e) }));
    const res = await app.request('/api/tasks', { headers: { authorization: `Bearer ${await f.token('fire.handler')}` } });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ type: 'https://tongban.dev/problems/internal', title: 'Internal server error', status: 500, code: 'TB-INTERNAL' });
    expect(logged).toHaveLength(1);
    await broken.end();
  });
});
