import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';

let demo: ApiFixture;
let real: ApiFixture;

beforeAll(async () => {
  [demo, real] = await Promise.all([createApiFixture({ demoSignIn: true }), createApiFixture()]);
});

afterAll(async () => {
  await Promise.all([demo?.close(), real?.close()]);
});

describe('who I am, and the demo sign-in', () => {
  it('GET /api/me names the person, the department they act for (with its name) and their roles', async () => {
    const me = await demo.as('fire.handler').get('/api/me');
    expect(me.status).toBe(200);
    const [dept] = await demo.sql<{ name: string }[]>`SELECT name FROM departments WHERE code = 'fire'`;
    expect(me.body).toEqual({ id: 'fire.handler', name: 'fire handler (承办人)', departmentCode: 'fire', departmentName: dept!.name, roles: ['handler'] });
    expect((await demo.as(null).get('/api/me')).status).toBe(401);
  });

  it('a deactivated person is no longer anyone', async () => {
    await demo.sql`UPDATE users SET active = false WHERE id = 'water.lead'`;
    const res = await demo.freshApp().request('/api/me', { headers: { authorization: `Bearer ${await demo.token('water.lead')}` } });
    expect(res.status).toBe(401);
    const people = await demo.as(null).get('/api/demo-users');
    expect(people.body.items.map((p: { id: string }) => p.id)).not.toContain('water.lead');
  });

  it('with demo sign-in, anyone may list the people and take a token that the API accepts', async () => {
    const people = await demo.as(null).get('/api/demo-users');
    expect(people.status).toBe(200);
    expect(people.body.items).toContainEqual(expect.objectContaining({ id: 'supervisor', departmentCode: 'supervision', roles: ['supervisor'] }));
    const session = await demo.as(null).post('/api/demo-sessions', { userId: 'housing.lead' });
    expect(session.status).toBe(201);
    expect(session.body.profile).toMatchObject({ id: 'housing.lead', departmentCode: 'housing', roles: ['lead'] });
    const me = await demo.app.request('/api/me', { headers: { authorization: `Bearer ${session.body.token}` } });
    expect(await me.json()).toMatchObject({ id: 'housing.lead' });
    // It expires as every token does: within the longest lifetime allowed.
    const hours = (Date.parse(session.body.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(11.9);
    expect(hours).toBeLessThanOrEqual(12);
  });

  it('an unknown or missing person is refused with a problem, and no token is given', async () => {
    const unknown = await demo.as(null).post('/api/demo-sessions', { userId: 'nobody' });
    expect(unknown.status).toBe(422);
    expect(unknown.contentType).toContain('problem+json');
    expect(unknown.body.token).toBeUndefined();
    const missing = await demo.as(null).post('/api/demo-sessions', {});
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('TB-VALIDATION');
  });

  it('GET /api/sign-in-options says how one signs in here, without credentials', async () => {
    expect((await demo.as(null).get('/api/sign-in-options')).body).toEqual({ demoSignIn: true, identityProvider: null });
    expect((await real.as(null).get('/api/sign-in-options')).body).toEqual({ demoSignIn: false, identityProvider: null });
    const sso = await createApiFixture({ identityProvider: { name: '一网通办', signInUrl: 'https://sso.example.gov.cn/login' } });
    try {
      expect((await sso.as(null).get('/api/sign-in-options')).body).toEqual({ demoSignIn: false, identityProvider: { name: '一网通办', signInUrl: 'https://sso.example.gov.cn/login' } });
    } finally {
      await sso.close();
    }
  });

  it('without demo sign-in the routes do not exist, and the OpenAPI document has them only where they exist', async () => {
    expect((await real.as(null).get('/api/demo-users')).status).toBe(401);
    expect((await real.as(null).post('/api/demo-sessions', { userId: 'admin' })).status).toBe(401);
    const doc = (await real.as(null).get('/api/openapi.json')).body;
    expect(Object.keys(doc.paths)).not.toContain('/api/demo-users');
    expect(Object.keys(doc.paths)).toContain('/api/me');
  });
});
