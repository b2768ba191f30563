import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';

let f: ApiFixture;
beforeAll(async () => {
  f = await createApiFixture();
});
afterAll(() => f.close());

describe('the departments', () => {
  it('are listed by code with their names and parents, to everyone who reads the catalogue', async () => {
    const stored = await f.sql<{ code: string; name: string; parentCode: string | null }[]>`
      select code, name, parent_code as "parentCode" from departments order by code`;
    expect(stored.length).toBeGreaterThan(10);
    for (const user of ['admin', 'fire.handler', 'supervisor', 'designer']) {
      const res = await f.as(user).get('/api/departments');
      expect([res.status, res.body.items], user).toEqual([200, stored]);
    }
    expect(stored).toContainEqual(expect.objectContaining({ code: 'fire', parentCode: expect.any(String) }));
  });

  it('are not listed without credentials', async () => {
    expect((await f.as(null).get('/api/departments')).status).toBe(401);
  });
});
