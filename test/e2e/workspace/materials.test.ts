import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSTRUCTION_PERMIT_MATERIALS } from '../../../workflows/construction-permit.js';
import { SHIPPED_DEPARTMENTS } from '../../../workflows/departments.js';
import { CONSTRUCTION_APPLICATION, caseDriver } from '../../support/case-driver.js';
import { pdfOf, uploadedMaterial } from '../../support/material-uploads.js';
import { expectAccessible, openWorkspace, screenshot, type WorkspaceBrowser } from '../../support/workspace-browser.js';

/**
 * Materials on the case page in a real browser: the window uploads a file at a supplement (its next version), the
 * page lists every version with who sees it, a member department sees only what its review needs, and downloads it.
 */
const { form, contract, drawings } = CONSTRUCTION_PERMIT_MATERIALS;

let w: WorkspaceBrowser;
let caseId: string;
const driver = caseDriver(() => w.api);
beforeAll(async () => {
  w = await openWorkspace({ demoCases: false });
  const started = await w.api.as('window.clerk').post('/api/cases', {
    ...CONSTRUCTION_APPLICATION,
    materials: [
      { name: form, blobId: await uploadedMaterial(w.api, 'window.clerk', pdfOf('申请表'), '申请表.pdf') },
      { name: contract, blobId: await uploadedMaterial(w.api, 'window.clerk', pdfOf('施工合同'), 'contract.pdf') },
      { name: drawings, blobId: await uploadedMaterial(w.api, 'window.clerk', pdfOf('图纸 v1'), 'drawings-v1.pdf') },
    ],
  });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  caseId = started.body.caseId;
  const acceptance = await driver.openTask('window.clerk', 'acceptance', caseId);
  const returned = await w.api.as('window.clerk').post(`/api/tasks/${acceptance}/complete`, {
    outcome: 'return',
    opinion: { text: '图纸缺页 Drawings incomplete' },
    supplementRequest: { materials: [{ name: drawings, reason: '缺少第3页 Page 3 missing' }] },
  });
  expect(returned.status, JSON.stringify(returned.body)).toBe(200);
}, 60_000);
afterAll(async () => {
  await w?.close();
});

type Page = Awaited<ReturnType<WorkspaceBrowser['open']>>;

const rowsOf = async (page: Page) =>
  page.locator('[data-test="materials"] [data-material]').evaluateAll((spans) => spans.map((s) => `${s.getAttribute('data-material')} v${s.getAttribute('data-version')}`));

/** What the page says of who sees each row's material ("name vN" → its visible-to cell). */
const seenByOf = async (page: Page) =>
  Object.fromEntries(
    await page.locator('[data-test="materials"] .el-table__row').evaluateAll((rows) =>
      rows.map((r) => {
        const named = r.querySelector('[data-material]');
        return [`${named?.getAttribute('data-material')} v${named?.getAttribute('data-version')}`, r.querySelector('[data-test="visible-to"]')?.textContent ?? ''];
      }),
    ),
  );

/** The departments as the page names them, in the order the API lists their codes (alphabetical). */
const departments = (...codes: string[]) => codes.map((code) => SHIPPED_DEPARTMENTS.find((d) => d.code === code)?.name ?? code);
/** Names listed as each language lists them: 「甲、乙和丙」, "a, b, and c" (what `Intl.ListFormat` gives). */
const inChinese = (names: string[]) => (names.length < 2 ? names.join('') : `${names.slice(0, -1).join('、')}和${names.at(-1)}`);
const inEnglish = (names: string[]) => (names.length < 3 ? names.join(' and ') : `${names.slice(0, -1).join(', ')}, and ${names.at(-1)}`);
/** The form and the drawings are every member's to review; the contract stays with the lead department and the window. */
const EVERY_MEMBER = departments('civil-air-defence', 'ecology', 'fire', 'housing', 'planning', 'water', 'window');
const LEAD_AND_WINDOW = departments('housing', 'window');
const headerOf = (page: Page) => page.locator('[data-test="materials"] .el-table__header th').allInnerTexts();

describe('materials on the case page', () => {
  it('the window uploads the drawings at the supplement: the case lists both versions, each with who sees it', async () => {
    const page = await w.open('window.clerk', `/cases/${caseId}`);
    await page.locator('[data-move="supplement.submit"]').click();
    const dialog = page.locator('[data-test="move-dialog"]');
    await dialog.waitFor();
    await dialog.locator('#material-name-0').click();
    await page.locator('.el-select-dropdown__item', { hasText: drawings }).click();
    await dialog.locator('[data-test="material-file-0"]').setInputFiles({ name: 'drawings-v2.pdf', mimeType: 'application/pdf', buffer: pdfOf('图纸 v2') });
    await expect.poll(() => dialog.locator('[data-test="material-uploaded-0"]').innerText()).toContain('已上传：drawings-v2.pdf');
    await expectAccessible(page);
    await screenshot(page, 'case-supplement-upload');
    await dialog.locator('[data-test="submit-move"]').click();
    await expect.poll(() => page.locator('[data-test="case-step"]').innerText()).toBe('受理审查 Acceptance check');
    await expect.poll(() => rowsOf(page)).toEqual([`${form} v1`, `${drawings} v1`, `${drawings} v2`, `${contract} v1`].sort((a, b) => a.localeCompare(b)));
    expect(await page.locator('[data-test="materials"]').innerText()).toContain('第 2 版');
    expect(await headerOf(page)).toContain('可见部门');
    await expect.poll(() => seenByOf(page)).toEqual({
      [`${form} v1`]: inChinese(EVERY_MEMBER),
      [`${drawings} v1`]: inChinese(EVERY_MEMBER),
      [`${drawings} v2`]: inChinese(EVERY_MEMBER),
      [`${contract} v1`]: inChinese(LEAD_AND_WINDOW),
    });
  });

  it('a member department sees only what its review needs, with who sees it, and downloads it (audited)', async () => {
    await driver.complete('window.clerk', 'acceptance', caseId);
    const page = await w.open('fire.handler', `/cases/${caseId}`, 'en');
    await page.locator('[data-test="case-title"]').waitFor();
    await expect.poll(() => rowsOf(page)).toEqual([`${form} v1`, `${drawings} v1`, `${drawings} v2`].sort((a, b) => a.localeCompare(b)));
    expect(await page.locator('[data-test="materials"]').innerText()).not.toContain(contract);
    expect(await page.locator('[data-test="materials"]').innerText()).toContain('Version 2');
    expect(await headerOf(page)).toContain('Seen by');
    const everyMember = inEnglish(EVERY_MEMBER);
    await expect.poll(() => seenByOf(page)).toEqual({ [`${form} v1`]: everyMember, [`${drawings} v1`]: everyMember, [`${drawings} v2`]: everyMember });
    await expectAccessible(page);
    await screenshot(page, 'case-materials-en');

    const v2 = (await w.api.as('fire.handler').get(`/api/cases/${caseId}`)).body.materials.find((m: { name: string; version: number }) => m.name === drawings && m.version === 2);
    // The object URL the page hands the browser stays readable after the download began: some browsers read it later.
    await page.evaluate(() => {
      const recorded = globalThis as unknown as { objectUrls: string[] };
      const create = URL.createObjectURL.bind(URL);
      recorded.objectUrls = [];
      URL.createObjectURL = (blob) => {
        const url = create(blob);
        recorded.objectUrls.push(url);
        return url;
      };
    });
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-download="${v2.id}"]`).click()]);
    expect(download.suggestedFilename()).toBe('drawings-v2.pdf');
    expect(readFileSync((await download.path())!).equals(pdfOf('图纸 v2'))).toBe(true);
    const stillReadable = await page
      .evaluate(async () => {
        const [url] = (globalThis as unknown as { objectUrls: string[] }).objectUrls;
        return url ? (await fetch(url)).ok : 'no object URL';
      })
      .catch((error: unknown) => String(error));
    expect(stillReadable).toBe(true);
    const timeline = (await w.api.as('supervisor').get(`/api/cases/${caseId}`)).body.timeline;
    expect(timeline.at(-1)).toMatchObject({ type: 'material.read', actorId: 'fire.handler', data: { name: drawings, version: 2 } });
  });

  it('a copy’s recipient sees no material: the supplement request says it names none the department sees', async () => {
    const copied = await w.api.as('housing.lead').post(`/api/cases/${caseId}/copies`, { recipients: [{ departmentCode: 'market' }], note: '请知悉' });
    expect(copied.status, JSON.stringify(copied.body)).toBe(200);
    const page = await w.open('market.handler', `/cases/${caseId}`);
    const requests = page.locator('section[aria-labelledby="supplement-requests-title"]');
    await expect.poll(() => requests.locator('[data-test="supplement-none-seen"]').innerText()).toBe('所告知补正的材料均不在本部门可见范围内。');
    expect(await requests.innerText()).not.toContain(drawings);
    expect(await page.locator('[data-test="materials"] [data-material]').count()).toBe(0);
    await expectAccessible(page);
  });
});
