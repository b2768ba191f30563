import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licenceDigest } from '../../engine/licences/electronic-licence.js';
import { createApiFixture, type Answer, type ApiFixture } from '../support/api-fixture.js';
import { caseDriver } from '../support/case-driver.js';
import { insertLicence } from '../support/licence-rows.js';
import { BUSINESS_OPENING_STEPS } from '../../workflows/business-opening.js';

/** 证照复用: a business licence issued by one case stands in for the 营业执照 material of the next. */

const COMPANY = { name: '上海某餐饮管理有限公司', idType: 'uscc', idNumber: '91310000MA1FL1234Q' } as const;
const OTHER_COMPANY = { name: '上海另一家餐饮有限公司', idType: 'uscc', idNumber: '91310000MA1FL5678W' } as const;
const BUSINESS_LICENCE = '营业执照 Business licence';

const businessOpening = (applicant: object) => ({
  serviceItemCode: 'business-opening',
  applicant,
  materials: [{ name: '企业登记申请书 Registration form', sha256: 'a'.repeat(64), sizeBytes: 1024 }],
});
const foodBusiness = (applicant: object, licence: object, name = BUSINESS_LICENCE) => ({
  serviceItemCode: 'food-business-licence',
  applicant,
  materials: [
    { name: '食品经营许可申请书 Application form', sha256: 'c'.repeat(64), sizeBytes: 2048 },
    { name, licence },
  ],
});

let f: ApiFixture;
const drive = caseDriver(() => f);
let openingCase: string;
let issued: { number: string; validUntil: string | null; issuingDepartment: string | null; signed: boolean };

/** What an intake refused must leave as it was: no case, no material, no licence changed. */
const counts = async () => (await f.sql`select (select count(*) from cases)::int as cases, (select count(*) from materials)::int as materials,
  (select count(*) from audit_events)::int as audits, (select coalesce(max(revoked_at)::text, '') from licences) as revoked`)[0];
async function expectIntakeRefused(send: () => Promise<Answer>, status: number, code: string): Promise<Answer> {
  const before = await counts();
  const res = await send();
  expect({ status: res.status, code: res.body?.code }, JSON.stringify(res.body)).toEqual({ status, code });
  expect(res.contentType).toContain('application/problem+json');
  expect(await counts()).toEqual(before);
  return res;
}

beforeAll(async () => {
  f = await createApiFixture();
  // The business opening: market registers the company (the business licence is issued), then the four setup steps.
  openingCase = await drive.start(businessOpening(COMPANY));
  await drive.complete('market.handler', 'registration', openingCase);
  for (const step of BUSINESS_OPENING_STEPS) await drive.complete(`${step.department}.handler`, `review.${step.department}`, openingCase);
  const opening = await f.as('market.lead').get(`/api/cases/${openingCase}`);
  expect(opening.body.status).toBe('approved');
  [issued] = opening.body.licences;
});
afterAll(() => f?.close());

describe('the business opening issues a signed business licence', () => {
  it('names its holder, issuer and validity, and verifies as valid', async () => {
    expect(issued).toMatchObject({ licenceType: 'bl', issuingDepartment: 'market', validUntil: null, signed: true, revokedAt: null });
    const [row] = await f.sql`select holder_id_type, holder_id_number, algorithm, key_id from licences where number = ${issued.number}`;
    expect(row).toEqual({ holder_id_type: 'uscc', holder_id_number: COMPANY.idNumber, algorithm: 'Ed25519', key_id: f.licenceSigner.keyId });
    const verdict = await f.as(null).get(`/api/licences/${issued.number}/verification`);
    expect(verdict.body.status).toBe('valid');
  });
});

describe('a food business licence case reuses it (证照复用)', () => {
  it('by holder and type: the material records the licence, and the case and its audit show the reuse', async () => {
    const caseId = await drive.start(foodBusiness(COMPANY, { licenceType: 'bl' }));
    const read = await f.as('window.clerk').get(`/api/cases/${caseId}`);
    const material = read.body.materials.find((m: { name: string }) => m.name === BUSINESS_LICENCE);
    const [stored] = await f.sql`select number, licence_type as "licenceType", title, holder_id_type, holder_id_number, issuing_department, case_id, valid_from, valid_until
      from licences where number = ${issued.number}`;
    const digest = licenceDigest({
      number: String(stored?.['number']),
      licenceType: 'bl',
      title: String(stored?.['title']),
      holder: { name: COMPANY.name, idType: 'uscc', idNumber: COMPANY.idNumber },
      issuingDepartment: 'market',
      caseId: openingCase,
      validFrom: new Date(String(stored?.['valid_from'])),
      validUntil: null,
    });
    expect(material).toMatchObject({ licenceNumber: issued.number, sha256: digest, hasFile: false });
    const started = read.body.timeline.find((e: { type: string }) => e.type === 'case.started');
    expect(started.data.reusedLicences).toEqual([{ material: BUSINESS_LICENCE, licence: issued.number }]);
  });

  it('by number', async () => {
    const caseId = await drive.start(foodBusiness(COMPANY, { number: issued.number }));
    const [row] = await f.sql`select licence_number from materials where case_id = ${caseId} and name = ${BUSINESS_LICENCE}`;
    expect(row?.['licence_number']).toBe(issued.number);
  });

  it('refuses a licence nobody holds: another applicant has none of the type, or the number does not exist', async () => {
    await expectIntakeRefused(() => f.as('window.clerk').post('/api/cases', foodBusiness(OTHER_COMPANY, { licenceType: 'bl' })), 404, 'TB-LICENCE-404');
    await expectIntakeRefused(() => f.as('window.clerk').post('/api/cases', foodBusiness(COMPANY, { number: 'BL-NOWHERE' })), 404, 'TB-LICENCE-404');
  });

  it('refuses another holder’s licence by number, and the same number under another ID type', async () => {
    const res = await expectIntakeRefused(() => f.as('window.clerk').post('/api/cases', foodBusiness(OTHER_COMPANY, { number: issued.number })), 409, 'TB-LICENCE-NOT-REUSABLE');
    expect(res.body.detail).toContain('does not hold it');
    const asPerson = { ...COMPANY, idType: undefined };
    await expectIntakeRefused(() => f.as('window.clerk').post('/api/cases', foodBusiness(asPerson, { number: issued.number })), 409, 'TB-LICENCE-NOT-REUSABLE');
  });

  it('refuses a material no licence stands in for, and a type the material does not take', async () => {
    await expectIntakeRefused(() => f.as('window.clerk').post('/api/cases', foodBusiness(COMPANY, { licenceType: 'bl' }, '经营场所平面图 Floor plan')), 422, 'TB-MATERIAL-NO-LICENCE');
    await expectIntakeRefused(() => f.as('window.clerk').post('/api/cases', foodBusiness(COMPANY, { licenceType: 'jy' })), 422, 'TB-MATERIAL-NO-LICENCE');
  });

  it('names the entry the caller sent when a file named after a reused licence is refused', async () => {
    const body = { serviceItemCode: 'food-business-licence', applicant: COMPANY, materials: [{ name: BUSINESS_LICENCE, licence: { licenceType: 'bl' } }, { name: '菜单 Menu', sha256: 'd'.repeat(64), sizeBytes: 10 }] };
    const res = await expectIntakeRefused(() => f.as('window.clerk').post('/api/cases', body), 422, 'TB-COMMAND-INVALID');
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'materials.1.name' })]);
  });

  it.each([
    ['expired', { validFrom: new Date('2015-01-01T00:00:00Z'), validUntil: new Date('2020-01-01T00:00:00Z') }, {}, 'it has expired'],
    ['revoked', {}, { revokedAt: new Date('2026-11-01T00:00:00Z') }, 'it was revoked'],
    ['tampered with after signing', {}, { title: '营业执照（改）' }, 'does not verify'],
  ])('refuses a licence %s', async (_, content, tamper, why) => {
    const holder = { name: '上海某贸易有限公司', idType: 'uscc' as const, idNumber: '91310000MA1FL99990' };
    const number = await insertLicence(f.sql, f.licenceSigner, { caseId: openingCase, holder, ...content }, tamper);
    for (const licence of [{ number }, { licenceType: 'bl' }]) {
      const res = await expectIntakeRefused(() => f.as('window.clerk').post('/api/cases', foodBusiness(holder, licence)), 409, 'TB-LICENCE-NOT-REUSABLE');
      expect(res.body.detail).toContain(why);
    }
    await f.sql`delete from licences where number = ${number}`;
  });

  it('takes the valid one of a holder’s licences of the type, however many revoked or expired ones are later', async () => {
    const holder = { name: '上海某食品有限公司', idType: 'uscc' as const, idNumber: '91310000MA1FL2222Q' };
    const valid = await insertLicence(f.sql, f.licenceSigner, { caseId: openingCase, holder, validFrom: new Date('2021-01-01T00:00:00Z') });
    await insertLicence(f.sql, f.licenceSigner, { caseId: openingCase, holder, validFrom: new Date('2022-01-01T00:00:00Z') }, { revokedAt: new Date('2023-01-01T00:00:00Z') });
    // The latest issued has expired.
    await insertLicence(f.sql, f.licenceSigner, { caseId: openingCase, holder, validFrom: new Date('2023-06-01T00:00:00Z'), validUntil: new Date('2024-06-01T00:00:00Z') });
    const caseId = await drive.start(foodBusiness(holder, { licenceType: 'bl' }));
    const [row] = await f.sql`select licence_number from materials where case_id = ${caseId} and name = ${BUSINESS_LICENCE}`;
    expect(row?.['licence_number']).toBe(valid);
  });

  it('takes the valid one behind more later revoked and expired ones than reuse reads at once', async () => {
    const holder = { name: '上海某餐饮连锁有限公司', idType: 'uscc' as const, idNumber: '91310000MA1FL3333R' };
    const valid = await insertLicence(f.sql, f.licenceSigner, { caseId: openingCase, holder, validFrom: new Date('2020-01-01T00:00:00Z') });
    // 21 issued after it, one a month: the odd ones revoked, the even ones expired.
    for (let i = 1; i <= 21; i++) {
      const validFrom = new Date(Date.UTC(2020, i, 1));
      if (i % 2 === 1) await insertLicence(f.sql, f.licenceSigner, { caseId: openingCase, holder, validFrom }, { revokedAt: new Date('2024-01-01T00:00:00Z') });
      else await insertLicence(f.sql, f.licenceSigner, { caseId: openingCase, holder, validFrom, validUntil: new Date(Date.UTC(2023, i, 1)) });
    }
    const caseId = await drive.start(foodBusiness(holder, { licenceType: 'bl' }));
    const [row] = await f.sql`select licence_number from materials where case_id = ${caseId} and name = ${BUSINESS_LICENCE}`;
    expect(row?.['licence_number']).toBe(valid);
  });

  it('refuses by type with the latest licence’s reason when none of the holder’s is valid', async () => {
    const holder = { name: '上海某餐饮服务有限公司', idType: 'uscc' as const, idNumber: '91310000MA1FL4444T' };
    await insertLicence(f.sql, f.licenceSigner, { caseId: openingCase, holder, validFrom: new Date('2021-01-01T00:00:00Z') }, { revokedAt: new Date('2022-01-01T00:00:00Z') });
    // The latest issued has expired: the window learns that, not the older revocation.
    await insertLicence(f.sql, f.licenceSigner, { caseId: openingCase, holder, validFrom: new Date('2022-06-01T00:00:00Z'), validUntil: new Date('2024-06-01T00:00:00Z') });
    const res = await expectIntakeRefused(() => f.as('window.clerk').post('/api/cases', foodBusiness(holder, { licenceType: 'bl' })), 409, 'TB-LICENCE-NOT-REUSABLE');
    expect(res.body.detail).toContain('it has expired');
  });

  it('refuses a holder’s ID number that is not one of its type', async () => {
    const res = await f.as('window.clerk').post('/api/cases', foodBusiness({ ...COMPANY, idNumber: '91310000MA1FL1234X' }, { licenceType: 'bl' }));
    expect([res.status, res.body.code]).toEqual([400, 'TB-VALIDATION']);
    expect(JSON.stringify(res.body.errors)).toContain('check character');
  });
});
