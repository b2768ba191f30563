import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseDriver } from '../../support/case-driver.js';
import { expectAccessible, openWorkspace, screenshot, settled, type WorkspaceBrowser } from '../../support/workspace-browser.js';

/**
 * 电子证照核验 in a real browser: anyone, signed in nowhere, verifies a licence a business opening issued (valid, the
 * holder masked), one its issuing department revoked, and a forged one (a number nobody issued, a signature not its
 * own, in English); the lead reads the licence's standing on the case page, and a later case shows the licence it
 * reused on the material it stands for, each linking to the verification.
 */

const COMPANY = { name: '上海某网络科技有限公司', idType: 'uscc', idNumber: '91310000MA1FL1234Q' };
const OTHER = { name: '上海某文化传媒有限公司', idType: 'uscc', idNumber: '91310000MA1FL5678W' };

let w: WorkspaceBrowser;
let openingCase: string;
let valid: string;
let signature: string;
let revoked: string;
let reusingCase: string;

/** A business opening for `applicant` registered: its business licence's number and signature. */
async function issueBusinessLicence(applicant: object): Promise<{ caseId: string; number: string; signature: string }> {
  const drive = caseDriver(() => w.api);
  const caseId = await drive.start({ serviceItemCode: 'business-opening', applicant, materials: [] });
  await drive.complete('market.handler', 'registration', caseId);
  const [row] = await w.api.sql<{ number: string; signature: string }[]>`select number, signature from licences where case_id = ${caseId}`;
  return { caseId, number: row?.number ?? '', signature: row?.signature ?? '' };
}

beforeAll(async () => {
  w = await openWorkspace({ demoCases: false });
  ({ caseId: openingCase, number: valid, signature } = await issueBusinessLicence(COMPANY));
  revoked = (await issueBusinessLicence(OTHER)).number;
  expect((await w.api.as('market.lead').post(`/api/licences/${revoked}/revocation`, { reason: '企业申请注销登记' })).status).toBe(200);
  const started = await w.api.as('window.clerk').post('/api/cases', {
    serviceItemCode: 'food-business-licence',
    applicant: COMPANY,
    materials: [{ name: '营业执照 Business licence', licence: { licenceType: 'bl' } }],
  });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  reusingCase = started.body.caseId;
}, 120_000);
afterAll(async () => {
  await w?.close();
});

describe('the public verification page', () => {
  it('tells a valid licence, with what to compare and the holder masked, without signing in', async () => {
    const page = await w.open(null, '/verify');
    await page.locator('#verify-number').fill(valid);
    await page.locator('#verify-signature').fill(signature);
    await page.locator('[data-test="verify"]').click();
    await expect.poll(() => page.locator('[data-test="verdict"]').getAttribute('data-status')).toBe('valid');
    expect(await page.locator('[data-test="verdict-status"]').innerText()).toBe('有效');
    expect(await page.locator('[data-test="holder"]').innerText()).toBe('上海*******公司（统一社会信用代码 9131**********234Q）');
    expect(await page.locator('[data-test="validity"]').innerText()).toContain('长期有效');
    expect(await page.locator('[data-test="licence"]').innerText()).not.toContain(COMPANY.idNumber);
    // What was verified stays in the address, to share or reload.
    expect(new URL(page.url()).searchParams.get('number')).toBe(valid);
    await expectAccessible(page);
    await screenshot(page, 'licence-verification');
  });

  it('tells a revoked licence, with the date it was revoked', async () => {
    const page = await w.open(null, `/verify?number=${revoked}`);
    await expect.poll(() => page.locator('[data-test="verdict"]').getAttribute('data-status')).toBe('revoked');
    expect(await page.locator('[data-test="verdict-status"]').innerText()).toBe('已吊销');
    expect(await page.locator('[data-test="revoked-at"]').innerText()).toMatch(/\d{4}/);
    // The reason is the department's record, not the public's.
    expect(await page.locator('[data-test="verdict"]').innerText()).not.toContain('注销登记');
    // The frame's language switch turns the verdict into English.
    await page.locator('[data-test="language"]').click();
    await page.getByRole('option', { name: 'English' }).click();
    await expect.poll(() => page.locator('[data-test="verdict-status"]').innerText()).toBe('Revoked');
  });

  it('tells a forged licence, in English: a number nobody issued, or a signature that is not its own', async () => {
    const page = await w.open(null, '/verify?number=BL-20261130-FAKE0001', 'en');
    await expect.poll(() => page.locator('[data-test="verdict"]').getAttribute('data-status')).toBe('forged');
    expect(await page.locator('[data-test="verdict-status"]').innerText()).toBe('Not verified (possibly forged)');
    expect(await page.locator('[data-test="licence"]').count()).toBe(0);

    await page.locator('#verify-number').fill(valid);
    await page.locator('#verify-signature').fill(`${signature.slice(0, -4)}AAAA`);
    await page.locator('[data-test="verify"]').click();
    await expect.poll(() => page.locator('[data-test="verdict"]').getAttribute('data-status')).toBe('forged');
    await expectAccessible(page);
  });

  it('asks for a number before verifying', async () => {
    const page = await w.open(null, '/verify');
    await page.locator('[data-test="verify"]').click();
    await expect.poll(() => page.locator('[data-test="licence-query"] .el-form-item__error').innerText()).toBe('请输入证照编号');
    expect(await page.locator('[data-test="verdict"]').count()).toBe(0);
  });
});

describe('licences in the workspace', () => {
  it('the case page shows the licence’s issuer, validity and standing, linking to its verification', async () => {
    const page = await w.open('market.lead', `/cases/${openingCase}`);
    const row = page.locator('[data-test="licences"] .el-table__row', { hasText: valid });
    await row.waitFor();
    expect(await row.locator('[data-licence-status]').getAttribute('data-licence-status')).toBe('valid');
    expect(await row.innerText()).toContain('长期有效');
    await expectAccessible(page);
    await row.locator(`[data-verify="${valid}"]`).click();
    await expect.poll(() => page.locator('[data-test="verdict"]').getAttribute('data-status')).toBe('valid');
  });

  it('a case that reused the licence shows it on the material it stands for', async () => {
    const page = await w.open('window.clerk', `/cases/${reusingCase}`);
    const link = page.locator(`[data-reused-licence="${valid}"]`);
    await link.waitFor();
    await settled(page);
    await link.click();
    await expect.poll(() => page.locator('[data-test="verdict"]').getAttribute('data-status')).toBe('valid');
  });
});
