import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseVersion, demoCaseId, expectAccessible, openWorkspace, screenshot, settled, type WorkspaceBrowser } from '../../support/workspace-browser.js';

/**
 * 一次性告知 on the case page, in a real browser over the demo data (the construction permit waiting at the window): the
 * window returns it to the applicant choosing every material to supplement from the item's checklist, each with its
 * reason; the case page shows what was asked, awaited; after the applicant's supplement (of the contract alone), the
 * second return in English offers only what was named before or changed since, the others disabled with why.
 */

let w: WorkspaceBrowser;
beforeAll(async () => {
  w = await openWorkspace();
}, 60_000);
afterAll(async () => {
  await w?.close();
});

const AT_THE_WINDOW = '上海浦江建设有限公司';
const FORM = '建筑工程施工许可证申请表 Application form';
const CONTRACT = '施工合同 Construction contract';
const PLANNING_PERMIT = '建设工程规划许可证 Planning permit';

const openCase = async (id: string, locale: 'zh-CN' | 'en'): Promise<Page> => {
  const page = await w.open('window.clerk', `/cases/${id}`, locale);
  await page.locator('[data-test="case-title"]').waitFor();
  return page;
};
/** Opens the acceptance's completion and chooses the return (the applicant is its only target). */
async function returnForm(page: Page, returnLabel: string) {
  await page.locator('[data-move="task.complete"][data-task="acceptance"]').click();
  const dialog = page.locator('[data-test="move-dialog"]');
  await dialog.waitFor();
  expect(await dialog.locator('[data-test="supplement-checklist"]').count()).toBe(0);
  await dialog.getByRole('radio', { name: returnLabel }).check({ force: true });
  await dialog.locator('[data-test="supplement-checklist"]').waitFor();
  return dialog;
}
const material = (dialog: ReturnType<Page['locator']>, name: string) => dialog.locator(`[data-material="${name}"]`);

describe('补正告知 on the case page', () => {
  it('the window names every material to supplement with its reason; nothing chosen is refused by the form; the page shows what is awaited', async () => {
    const id = await demoCaseId(w, AT_THE_WINDOW);
    const page = await openCase(id, 'zh-CN');
    const dialog = await returnForm(page, '退回补正');
    await page.locator('#opinion-text').fill('申请材料不齐全，请一次性补正 Incomplete');
    const version = await caseVersion(w, id);
    await dialog.locator('[data-test="submit-move"]').click();
    await expect.poll(() => dialog.locator('[data-test="supplement-checklist"] .el-form-item__error').innerText()).toBe('请至少选择一项需补正的材料。');
    expect(await caseVersion(w, id)).toBe(version);

    for (const [name, reason] of [
      [FORM, '缺少法定代表人签字 Not signed'],
      [CONTRACT, '合同未盖章 Not sealed'],
    ] as const) {
      await material(dialog, name).locator('.el-checkbox').click();
      await material(dialog, name).locator('input[data-test="supplement-reason"]').fill(reason);
    }
    await expectAccessible(page);
    await screenshot(page, 'supplement-request-form');
    await dialog.locator('[data-test="submit-move"]').click();

    await page.locator('[data-test="supplement-awaited"]').waitFor();
    expect(await page.locator('[data-test="supplement-awaited"]').innerText()).toContain(`${CONTRACT}：合同未盖章 Not sealed`);
    expect(await page.locator('[data-test="supplement-status"]').innerText()).toBe('待补正');
    const [row] = await w.api.sql<{ materials: { name: string }[] }[]>`select materials from supplement_requests where case_id = ${id}`;
    expect(row?.materials.map((m) => m.name)).toEqual([FORM, CONTRACT]);
    expect(await page.locator('[data-test="timeline"]').innerText()).toContain(`一次性告知申请人补正：${FORM}、${CONTRACT}`);
    await expectAccessible(page);
    await screenshot(page, 'supplement-requests-awaited');
  });

  // After the request above: the applicant brings the contract again, the case is back at the window.
  it('in English: the second return offers what was named or changed, the rest disabled with why; the first request is answered', async () => {
    const id = await demoCaseId(w, AT_THE_WINDOW);
    const supplemented = await w.api.as('window.clerk').post(`/api/cases/${id}/supplements`, { materials: [{ name: CONTRACT, sha256: 'a'.repeat(64), sizeBytes: 2048 }] });
    expect(supplemented.status, JSON.stringify(supplemented.body)).toBe(200);
    const page = await openCase(id, 'en');
    await settled(page);
    expect(await page.locator('[data-test="supplement-status"]').innerText()).toMatch(/^Answered/);
    const dialog = await returnForm(page, 'Return for correction');
    expect(await material(dialog, CONTRACT).locator('input[type="checkbox"]').isDisabled()).toBe(false);
    expect(await material(dialog, FORM).locator('input[type="checkbox"]').isDisabled()).toBe(false);
    expect(await material(dialog, PLANNING_PERMIT).locator('input[type="checkbox"]').isDisabled()).toBe(true);
    expect(await material(dialog, PLANNING_PERMIT).innerText()).toContain('Not asked for the first time and unchanged since');
    await material(dialog, CONTRACT).locator('.el-checkbox').click();
    await material(dialog, CONTRACT).locator('input[data-test="supplement-reason"]').fill('The seal is illegible');
    await page.locator('#opinion-text').fill('The contract seal is illegible');
    await expectAccessible(page);
    await screenshot(page, 'supplement-request-again-en');
    await dialog.locator('[data-test="submit-move"]').click();
    await expect.poll(() => page.locator('[data-test="supplement-request"]').count()).toBe(2);
    expect(await page.locator('[data-test="supplement-awaited"]').innerText()).toContain(`${CONTRACT}: The seal is illegible`);
  });
});
