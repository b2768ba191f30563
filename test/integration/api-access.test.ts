import { sign } from 'hono/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { apiDeps } from '../../apps/serve-api.js';
import { ManualClock } from '../../engine/time/wall-clock.js';
import { systemClock } from '../../platform/system-clock.js';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { caseDriver } from '../support/case-driver.js';

const SECRET = 'test-secret-of-at-least-thirty-two-characters';
let f: ApiFixture;
let caseId: string;
let fireTask: string;
beforeAll(async () => {
  f = await createApiFixture();
  ({ caseId, taskId: fireTask } = await caseDriver(() => f).startAtFireReview());
});
afterAll(() => f.close());

describe('authentication', () => {
  it('every data route needs a bearer token', async () => {
    for (const path of ['/api/tasks', `/api/cases/${caseId}`, '/api/service-items', '/api/process-definitions']) {
      const res = await f.as(null).get(path);
      expect(res.status, path).toBe(401);
      expect(res.body.type).toBe('https://tongban.dev/problems/unauthenticated');
    }
  });

  it('refuses expired, unsigned-by-us, expiry-less tokens and unknown users', async () => {
    const now = Math.floor(Date.now() / 1000);
    const bad = [
      await sign({ sub: 'fire.handler', iat: now - 600, exp: now - 10 }, SECRET, 'HS256'),
      await sign({ sub: 'fire.handler', iat: now, exp: now + 600 }, 'another-secret-that-is-long-enough-too', 'HS256'),
      await sign({ sub: 'fire.handler', iat: now }, SECRET, 'HS256'),
      await sign({ sub: 'nobody', iat: now, exp: now + 600 }, SECRET, 'HS256'),
    ];
    for (const token of bad) {
      const res = await f.app.request('/api/tasks', { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(401);
    }
  });

  it('refuses a token without an issue time, or living longer than the configured maximum (12 h unless set)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const status = async (claims: Record<string, number>, app = f.app) =>
      (await app.request('/api/tasks', { headers: { authorization: `Bearer ${await sign({ sub: 'fire.handler', ...claims }, SECRET, 'HS256')}` } })).status;
    expect(await status({ iat: now, exp: now + 12 * 3600 })).toBe(200);
    expect(await status({ iat: now, exp: now + 10 * 365 * 24 * 3600 })).toBe(401);
    expect(await status({ iat: now - 12 * 3600, exp: now + 60 })).toBe(401);
    expect(await status({ exp: now + 600 })).toBe(401);
    const hourly = createApp(apiDeps({ ...f, clock: systemClock }, { auth: { jwtSecret: SECRET, maxTokenLifetimeSeconds: 3600 }, log: () => {} }));
    expect(await status({ iat: now, exp: now + 3600 }, hourly)).toBe(200);
    expect(await status({ iat: now, exp: now + 3601 }, hourly)).toBe(401);
  });

  it('a token verified once is still refused once it expires', async () => {
    const clock = new ManualClock(new Date());
    const app = createApp(apiDeps({ ...f, clock }, { auth: { jwtSecret: SECRET }, log: () => {} }));
    const now = Math.floor(Date.now() / 1000);
    const token = await sign({ sub: 'fire.handler', iat: now, exp: now + 60 }, SECRET, 'HS256');
    const get = async () => (await app.request('/api/tasks', { headers: { authorization: `Bearer ${token}` } })).status;
    expect(await get()).toBe(200);
    clock.advance({ minutes: 2 });
    expect(await get()).toBe(401);
  });

  it('the OpenAPI document and docs page are public and describe the routes', async () => {
    const doc = await f.as(null).get('/api/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/api/cases', '/api/cases/{caseId}', '/api/tasks', '/api/tasks/{taskId}/complete', '/api/tasks/{taskId}/claim']),
    );
    const page = await f.app.request('/api/docs');
    expect(await page.text()).toContain('/api/docs/assets/swagger-ui-bundle.js');
    expect((await f.app.request('/api/docs/assets/swagger-ui-bundle.js')).status).toBe(200);
  });
});

describe('a user acts for their department only', () => {
  it("another department's task answers 404 when read, claimed or completed", async () => {
    expect((await f.as('water.handler').get(`/api/tasks/${fireTask}`)).status).toBe(404);
    expect((await f.as('water.handler').post(`/api/tasks/${fireTask}/claim`)).status).toBe(404);
    const completed = await f.as('water.lead').post(`/api/tasks/${fireTask}/complete`, { outcome: 'approve', opinion: { text: 'x' } });
    expect(completed.status).toBe(404);
    const [task] = await f.sql`select status, assignee_id from tasks where id = ${fireTask}`;
    expect(task).toEqual({ status: 'open', assignee_id: null });
  });

  it("inboxes list only the department's own tasks", async () => {
    const water = await f.as('water.handler').get('/api/tasks?view=todo&pageSize=100');
    expect(water.body.items.length).toBeGreaterThan(0);
    expect(new Set(water.body.items.map((t: { departmentCode: string }) => t.departmentCode))).toEqual(new Set(['water']));
    const market = await f.as('market.handler').get('/api/tasks?view=todo');
    expect(market.body).toMatchObject({ items: [], total: 0, totalExact: true });
  });

  it('a department not taking part in the case cannot read it; a supervisor can, with masked personal data', async () => {
    expect((await f.as('market.handler').get(`/api/cases/${caseId}`)).status).toBe(404);
    const fire = await f.as('fire.handler').get(`/api/cases/${caseId}`);
    expect(fire.status).toBe(200);
    expect(fire.body.applicant.idNumber).toMatch(/^9131\*+234X$/);
    const window = await f.as('window.clerk').get(`/api/cases/${caseId}`);
    expect(window.body.applicant.idNumber).toBe('91310000MA1FL1234X');
    const supervisor = await f.as('supervisor').get(`/api/cases/${caseId}`);
    expect(supervisor.status).toBe(200);
    expect(supervisor.body.applicant.idNumber).not.toBe('91310000MA1FL1234X');
  });

  it('roles: a handler cannot sign the joint decision, a supervisor or designer cannot act', async () => {
    const { startInJointReview, complete, openTask } = caseDriver(() => f);
    const other = await startInJointReview();
    for (const d of ['planning', 'ecology', 'fire', 'civil-air-defence', 'water']) await complete(`${d}.handler`, `review.${d}`, other);
    const decision = await openTask('housing.lead', 'decision', other);
    const asHandler = await f.as('housing.handler').post(`/api/tasks/${decision}/complete`, { outcome: 'approve', opinion: { text: 'ok' } });
    expect(asHandler.status).toBe(403);
    expect(asHandler.body.code).toBe('TB-FORBIDDEN');

    const asDesigner = await f.as('designer').post('/api/cases', { serviceItemCode: 'construction-permit', applicant: { name: 'x', idNumber: '123456' } });
    expect(asDesigner.status).toBe(403);
    const asSupervisor = await f.as('supervisor').post(`/api/tasks/${fireTask}/claim`);
    expect(asSupervisor.status).toBe(403);
  });
});
