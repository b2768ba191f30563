import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseVersion, demoCaseId, expectAccessible, openWorkspace, screenshot, type WorkspaceBrowser } from '../../support/workspace-browser.js';

/**
 * 转办 on the case page, in a real browser over the demo data (the construction permit whose legal limit was
 * extended: its fire and water reviews are open). The fire handler claims the fire review and hands it to the
 * fire lead, with a reason the timeline keeps; the lead department's lead, in English, sends the water review to
 * the ecology bureau, which then holds it.
 */

let w: WorkspaceBrowser;
beforeAll(async () => {
  w = await openWorkspace();
}, 60_000);
afterAll(async () => {
  await w?.close();
});

const EXTENDED = '临港新城基础设施投资有限公司';
const caseDemo = (): Promise<string> => demoCaseId(w, EXTENDED);

const openCase = async (user: string, id: string, locale: 'zh-CN' | 'en' = 'zh-CN'): Promise<Page> => {
  const page = await w.open(user, `/cases/${id}`, locale);
  await page.locator('[data-test="case-title"]').waitFor();
  return page;
};
const transferButton = (page: Page, task: string) => page.locator(`[data-test="moves"] [data-move="task.transfer"][data-task="${task}"]`);
const holderOf = async (id: string, key: string) =>
  (await w.api.sql<{ department_code: string; assignee_id: string | null; status: string }[]>`select department_code, assignee_id, status from tasks
    where case_id = ${id} and key = ${key} and status in ('open', 'claimed')`)[0];

/** Picks `label` in the Element Plus select `selector` (its options are rendered in a popper outside the dialog). */
async function choose(page: Page, selector: string, label: string): Promise<void> {
  await page.locator(selector).click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: label }).click();
}

describe('转办 on the case page', () => {
  it('the fire handler claims the fire review and transfers it to the fire lead: claimed by them, on the timeline', async () => {
    const id = await caseDemo();
    const page = await openCase('fire.handler', id);
    // Unclaimed, the handler may not hand it on (only the department's lead could): no transfer until claimed.
    expect(await transferButton(page, 'review.fire').count()).toBe(0);
    await page.locator('[data-move="task.claim"][data-task="review.fire"]').click();
    await transferButton(page, 'review.fire').waitFor();

    await transferButton(page, 'review.fire').click();
    const dialog = page.locator('[data-test="move-dialog"]');
    await dialog.waitFor();
    // Only a person of the department is offered to a handler: no choice of a department.
    expect(await dialog.locator('[data-test="transfer-target"]').count()).toBe(0);
    // Nothing chosen, no reason: refused by the form, nothing sent.
    const version = await caseVersion(w, id);
    await dialog.locator('[data-test="submit-move"]').click();
    await expect.poll(() => dialog.locator('.el-form-item__error').count()).toBe(2);
    expect(await caseVersion(w, id)).toBe(version);

    await choose(page, '[data-test="transfer-person"]', 'fire.lead');
    await page.locator('#move-reason').fill('承办人出差，转负责人办理 The handler is away');
    await expectAccessible(page);
    await screenshot(page, 'transfer-to-a-person');
    await dialog.locator('[data-test="submit-move"]').click();
    await expect.poll(() => holderOf(id, 'review.fire')).toEqual({ department_code: 'fire', assignee_id: 'fire.lead', status: 'claimed' });
    await expect.poll(() => page.locator('[data-test="timeline"]').innerText()).toContain('转办给 fire.lead，理由：承办人出差，转负责人办理');
    expect(await transferButton(page, 'review.fire').count()).toBe(0);
  });

  it('the lead department’s lead (English) sends the water review to the ecology bureau, which now holds it', async () => {
    const id = await caseDemo();
    const page = await openCase('housing.lead', id, 'en');
    await transferButton(page, 'review.water').click();
    const dialog = page.locator('[data-test="move-dialog"]');
    await dialog.waitFor();
    expect(await dialog.locator('[data-test="move-explanation"]').innerText()).toContain('keeps its due date and clock');
    await choose(page, '[data-test="transfer-department"]', 'Ecology and environment');
    await page.locator('#move-reason').fill('Sent to the wrong office: the outfall is an ecology matter');
    await expectAccessible(page);
    await screenshot(page, 'transfer-to-a-department');
    await dialog.locator('[data-test="submit-move"]').click();
    await expect.poll(() => holderOf(id, 'review.water')).toEqual({ department_code: 'ecology', assignee_id: null, status: 'open' });
    await expect.poll(() => page.locator('[data-test="timeline"]').innerText()).toContain('transferred');
    // The ecology bureau sees it in its inbox and may claim it.
    const ecology = await openCase('ecology.handler', id, 'en');
    await ecology.locator('[data-move="task.claim"][data-task="review.water"]').waitFor();
  });
});
