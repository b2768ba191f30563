import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCaseId, expectAccessible, openWorkspace, screenshot, type WorkspaceBrowser } from '../../support/workspace-browser.js';

/**
 * 代理 in a real browser over the demo data: the water handler, going away, names the water lead as substitute on
 * their own page (reached from their name in the header); the water lead sees whom they stand in for, and on the case
 * page (the construction permit whose water review the handler holds) takes the review over (接办): the task table
 * says for whom they hold it. Back early, the handler cancels the window.
 */

let w: WorkspaceBrowser;
beforeAll(async () => {
  w = await openWorkspace();
}, 60_000);
afterAll(async () => {
  await w?.close();
});

const EXTENDED = '临港新城基础设施投资有限公司';

/** Picks `label` in the Element Plus select `selector` (its options are rendered in a popper). */
async function choose(page: Page, selector: string, label: string): Promise<void> {
  await page.locator(selector).click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: label }).click();
}

describe('代理 on my page and the case page', () => {
  it('the water handler names the water lead as substitute; the lead takes over the water review the handler holds', async () => {
    const page = await w.open('water.handler', '/');
    await page.locator('[data-test="my-page"]').click();
    await page.locator('[data-test="substitute-form"]').waitFor();
    // Nothing chosen: the form refuses, nothing is sent.
    await page.locator('[data-test="substitute-submit"]').click();
    await expect.poll(() => page.locator('[data-test="substitute-form"] .el-form-item__error').count()).toBe(3);

    await choose(page, '[data-test="substitute-person"]', 'water.lead');
    // The engine's clock stands on Monday 30 November 2026: the window runs from now to Wednesday noon.
    await page.locator('#substitute-ends').fill('2026-12-02 12:00:00');
    await page.locator('#substitute-ends').press('Enter');
    await page.locator('#substitute-reason').fill('出差 A business trip');
    await page.locator('h1').click();
    await page.locator('[data-test="substitute-submit"]').click();
    await expect.poll(() => page.locator('[data-test="my-windows"]').innerText()).toContain('代理中');
    expect(await page.locator('[data-test="my-windows"]').innerText()).toContain('water lead');
    await expectAccessible(page);
    await screenshot(page, 'my-page-substitutes');

    const id = await demoCaseId(w, EXTENDED);
    const [review] = await w.api.sql<{ id: string }[]>`select id from tasks where case_id = ${id} and key = 'review.water' and status in ('open', 'claimed')`;
    expect((await w.api.as('water.handler').post(`/api/tasks/${review?.id}/claim`, {})).status).toBe(200);

    const lead = await w.open('water.lead', '/me');
    await expect.poll(() => lead.locator('[data-test="standing-in"]').innerText()).toContain('water handler');
    await lead.goto(`${w.base}/cases/${id}`);
    const takeOver = lead.locator('[data-test="moves"] [data-move="task.take-over"][data-task="review.water"]');
    await takeOver.click();
    await expect.poll(() => lead.locator('[data-task-holder="review.water"]').innerText()).toBe('water.lead（代 water.handler 办理）');
    await expect.poll(() => lead.locator('[data-test="timeline"]').innerText()).toContain('代 water.handler 接办');
    expect(await takeOver.count()).toBe(0);

    // Back early: the handler cancels the window; the review stays with the lead, who holds it for them.
    await page.locator('[data-test="my-windows"] [data-test="cancel-window"]').click();
    await expect.poll(() => page.locator('[data-test="my-windows"]').innerText()).toContain('已取消');
    expect(await page.locator('[data-test="cancel-window"]').count()).toBe(0);
  });
});
