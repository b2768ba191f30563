import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseVersion, demoCaseId, expectAccessible, openWorkspace, screenshot, type WorkspaceBrowser } from '../../support/workspace-browser.js';

/**
 * 转办 on the case page, in a real browser over the demo data (the construction permit whose legal limit was
 * extended: its fire and water reviews are open). The fire handler claims the fire review and hands it to the
 * fire lead, with a reason the timeline keeps; the fire lead delegates it back to the handler (委派), who returns a
 * proposal the lead confirms; the lead department's lead, in English, sends the water review to the ecology bureau,
 * which then holds it.
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
const moveButton = (page: Page, move: string, task: string) => page.locator(`[data-test="moves"] [data-move="${move}"][data-task="${task}"]`);
const transferButton = (page: Page, task: string) => moveButton(page, 'task.transfer', task);
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

  // After the transfer above: the fire lead holds the fire review.
  it('委派: the fire lead, holding the fire review, delegates it to the handler, who returns a proposal; the lead confirms it from the pre-filled form', async () => {
    const id = await caseDemo();
    const lead = await openCase('fire.lead', id);
    await moveButton(lead, 'task.delegate', 'review.fire').click();
    const dialog = lead.locator('[data-test="move-dialog"]');
    await dialog.waitFor();
    await choose(lead, '[data-test="delegate-person"]', 'fire.handler');
    await lead.locator('#move-reason').fill('请起草消防审查意见');
    await dialog.locator('[data-test="submit-move"]').click();
    await expect.poll(() => holderOf(id, 'review.fire')).toEqual({ department_code: 'fire', assignee_id: 'fire.handler', status: 'claimed' });
    await expect.poll(() => lead.locator('[data-task-holder="review.fire"]').innerText()).toBe('委派给 fire.handler（待办理）');
    // Pending, the lead may only take it back (收回).
    await expect.poll(() => lead.locator('[data-test="moves"] [data-task="review.fire"]').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-move')))).toEqual(['task.delegation.recall']);

    const handler = await openCase('fire.handler', id, 'en');
    await moveButton(handler, 'task.delegation.resolve', 'review.fire').click();
    const proposal = handler.locator('[data-test="move-dialog"]');
    await proposal.waitFor();
    expect(await proposal.locator('[data-test="move-explanation"]').innerText()).toContain('whoever delegated the task');
    await proposal.getByRole('radio', { name: 'Approve' }).check({ force: true });
    await handler.locator('#opinion-text').fill('消防设计符合 GB 50016');
    await expectAccessible(handler);
    await proposal.locator('[data-test="submit-move"]').click();
    await expect.poll(() => holderOf(id, 'review.fire')).toEqual({ department_code: 'fire', assignee_id: 'fire.lead', status: 'claimed' });

    await lead.reload();
    await expect.poll(() => lead.locator('[data-task-holder="review.fire"]').innerText()).toBe('fire.lead：待确认 fire.handler 的意见');
    await moveButton(lead, 'task.complete', 'review.fire').click();
    const confirm = lead.locator('[data-test="move-dialog"]');
    await confirm.waitFor();
    expect(await confirm.locator('[data-test="drafted-by"]').innerText()).toContain('fire.handler');
    expect(await lead.locator('#opinion-text').inputValue()).toBe('消防设计符合 GB 50016');
    await screenshot(lead, 'delegation-confirm');
    await confirm.locator('[data-test="submit-move"]').click();
    await expect.poll(() => lead.locator('[data-task-status="review.fire"]').innerText()).toBe('已办结');
    expect(await lead.locator('[data-test="timeline"]').innerText()).toContain('退回 fire.lead 确认');
  }, 90_000); // two people, three forms, a reload: more than one page's time

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
