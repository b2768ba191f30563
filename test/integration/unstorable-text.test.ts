import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, type ApiFixture } from '../support/api-fixture.js';
import { CONSTRUCTION_APPLICATION, caseDriver } from '../support/case-driver.js';

let f: ApiFixture;
beforeAll(async () => {
  f = await createApiFixture();
});
afterAll(() => f.close());
const { start, openTask } = caseDriver(() => f);

const withApplicant = (applicant: object) => ({ ...CONSTRUCTION_APPLICATION, applicant: { ...CONSTRUCTION_APPLICATION.applicant, ...applicant } });
const counts = async () => (await f.sql`select (select count(*) from cases)::int as cases, (select count(*) from opinions)::int as opinions`)[0];

/** A 400 validation problem naming `path`, with nothing written. */
async function expectRefused(send: () => Promise<{ status: number; body: any }>, path: string) {
  const before = await counts();
  const res = await send();
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.body).toMatchObject({ type: 'https://tongban.dev/problems/validation', code: 'TB-VALIDATION' });
  expect(res.body.errors).toContainEqual({ path, message: expect.stringContaining('NUL') });
  expect(await counts()).toEqual(before);
}

describe('strings PostgreSQL cannot store are refused at validation, not answered 500', () => {
  it.each([
    ['a NUL in the applicant name', withApplicant({ name: 'a\u0000b' }), 'applicant.name'],
    ['a lone high surrogate in the applicant name', withApplicant({ name: 'a\ud800' }), 'applicant.name'],
    ['a lone low surrogate in the ID number', withApplicant({ idNumber: '\udc0091310000MA1FL' }), 'applicant.idNumber'],
    ['a NUL in the service item code', { ...CONSTRUCTION_APPLICATION, materials: [], serviceItemCode: 'a\u0000b' }, 'serviceItemCode'],
    ['a NUL in a material name', { ...CONSTRUCTION_APPLICATION, materials: [{ ...CONSTRUCTION_APPLICATION.materials[0], name: 'plan\u0000.pdf' }] }, 'materials.0.name'],
  ])('starting a case with %s → 400', async (_, body, path) => {
    await expectRefused(() => f.as('window.clerk').post('/api/cases', body), path);
  });

  it('a NUL in an opinion → 400, the task untouched', async () => {
    const id = await openTask('window.clerk', 'acceptance', await start());
    await expectRefused(() => f.as('window.clerk').post(`/api/tasks/${id}/complete`, { outcome: 'approve', opinion: { text: 'a\u0000b' } }), 'opinion.text');
  });

  it('a NUL in a query string → 400', async () => {
    await expectRefused(() => f.as('supervisor').get('/api/cases/export?serviceItemCode=a%00b'), 'serviceItemCode');
  });

  it('a name with a whole surrogate pair (an emoji, a rare CJK character) is stored and read back', async () => {
    const name = '𠮷野家 🏗️';
    const caseId = await start(withApplicant({ name }));
    expect((await f.as('window.clerk').get(`/api/cases/${caseId}`)).body.applicant.name).toBe(name);
  });
});
