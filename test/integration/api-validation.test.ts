import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { CONSTRUCTION_APPLICATION, caseDriver } from '../support/case-driver.js';

let f: ApiFixture;
beforeAll(async () => {
  f = await createApiFixture();
});
afterAll(() => f.close());
const { start, openTask } = caseDriver(() => f);

/** Row counts of every table a command writes: bad input must leave them all as they were. */
async function footprint() {
  const [row] = await f.sql`select
    (select count(*) from cases)::int as cases, (select coalesce(sum(version), 0) from cases)::int as versions,
    (select count(*) from tasks)::int as tasks, (select count(*) from tasks where status <> 'open')::int as touched,
    (select count(*) from opinions)::int as opinions, (select count(*) from audit_events)::int as audit,
    (select count(*) from timers)::int as timers, (select count(*) from outbox)::int as outbox`;
  return row;
}

describe('bad input gets a clear error and changes nothing', () => {
  it.each([
    ['no applicant', { serviceItemCode: 'construction-permit', materials: [] }, 'applicant'],
    ['an empty applicant name', { ...CONSTRUCTION_APPLICATION, applicant: { ...CONSTRUCTION_APPLICATION.applicant, name: ' ' } }, 'applicant.name'],
    ['a bad checksum', { ...CONSTRUCTION_APPLICATION, materials: [{ name: 'x', sha256: 'xyz', sizeBytes: 1 }] }, 'materials.0.sha256'],
    ['an unknown field', { ...CONSTRUCTION_APPLICATION, department: 'fire' }, '(root)'],
  ])('starting a case with %s → 400 with the field path', async (_, body, path) => {
    const before = await footprint();
    const res = await f.as('window.clerk').post('/api/cases', body);
    expect(res.status).toBe(400);
    expect(res.contentType).toContain('application/problem+json');
    expect(res.body.type).toBe('https://tongban.dev/problems/validation');
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(await footprint()).toEqual(before);
  });

  it('an unknown service item → 404 problem, nothing written', async () => {
    const before = await footprint();
    const res = await f.as('window.clerk').post('/api/cases', { ...CONSTRUCTION_APPLICATION, materials: [], serviceItemCode: 'no-such-item' });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('TB-SERVICE-ITEM-404');
    expect(await footprint()).toEqual(before);
  });

  it('malformed JSON, a wrong content type and an oversized body are refused', async () => {
    const caseId = await start();
    const id = await openTask('window.clerk', 'acceptance', caseId);
    const before = await footprint();
    const token = await f.token('window.clerk');
    const send = (body: string, type: string) =>
      f.app.request(`/api/tasks/${id}/complete`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body });
    const malformed = await send('{"outcome": "approve",', 'application/json');
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toContain('application/problem+json');
    const wrongType = await send('outcome=approve', 'application/x-www-form-urlencoded');
    expect(wrongType.status).toBe(415);
    expect(wrongType.headers.get('content-type')).toContain('application/problem+json');
    const huge = await send(JSON.stringify({ outcome: 'approve', opinion: { text: 'x'.repeat(300_000) } }), 'application/json');
    expect(huge.status).toBe(413);
    expect(await footprint()).toEqual(before);
  });

  it.each([
    ['an unknown outcome', { outcome: 'maybe', opinion: { text: 'x' } }, 'outcome'],
    ['no opinion', { outcome: 'approve' }, 'opinion'],
    ['an empty opinion', { outcome: 'reject', opinion: { text: '   ' } }, 'opinion.text'],
    ['a bad visibility', { outcome: 'approve', opinion: { text: 'ok', visibility: 'everyone' } }, 'opinion.visibility'],
  ])('completing a task with %s → 400, nothing written', async (_, body, path) => {
    const caseId = await start();
    const id = await openTask('window.clerk', 'acceptance', caseId);
    const before = await footprint();
    const res = await f.as('window.clerk').post(`/api/tasks/${id}/complete`, body);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(await footprint()).toEqual(before);
  });

  it('a task id that is not a uuid → 400; an unknown one → 404; pages are capped', async () => {
    expect((await f.as('fire.handler').post('/api/tasks/123/claim')).status).toBe(400);
    const unknown = await f.as('fire.handler').post('/api/tasks/00000000-0000-4000-8000-000000000000/claim');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('TB-TASK-404');
    const big = await f.as('fire.handler').get('/api/tasks?pageSize=100000');
    expect(big.status).toBe(400);
    expect(big.body.errors[0].path).toBe('pageSize');
  });

  it('errors never carry stacks or SQL', async () => {
    const res = await f.as('window.clerk').post('/api/cases', { ...CONSTRUCTION_APPLICATION, materials: [], serviceItemCode: 'x'.repeat(101) });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts|select |insert /i);
  });
});
