import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCaseId, expectAccessible, openWorkspace, screenshot, type WorkspaceBrowser } from '../../support/workspace-browser.js';

/**
 * 加签 and 减签 on the case page, in a real browser over the demo data (the road occupation waiting for either deputy
 * director's sign-off, 或签): deputy A adds the bureau's lead as a signer alongside them — only the positions a 或签
 * allows are offered — and the lead, in English, removes deputy B, who has not signed, from the joint-review panel.
 */

let w: WorkspaceBrowser;
beforeAll(async () => {
  w = await openWorkspace();
}, 60_000);
afterAll(async () => {
  await w?.close();
});

const OR_SIGN = '外滩脚手架工程有限公司';
const DEPUTY_A = 'signOff.urban-management.deputy-a';
const DEPUTY_B = 'signOff.urban-management.deputy-b';
const LEAD = 'signOff.urban-management.lead';

const openCase = async (user: string, id: string, locale: 'zh-CN' | 'en' = 'zh-CN'): Promise<Page> => {
  const page = await w.open(user, `/cases/${id}`, locale);
  await page.locator('[data-test="case-title"]').waitFor();
  return page;
};
const standing = (page: Page, task: string) => page.locator(`[data-signer="${task}"]`);
const tasksOf = async (id: string) =>
  Object.fromEntries(
    (await w.api.sql<{ key: string; status: string; assignee_id: string | null }[]>`select key, status, assignee_id from tasks where case_id = ${id} and key like 'signOff.%'`).map((t) => [t.key, [t.status, t.assignee_id]]),
  );

describe('加签 and 减签 on the case page', () => {
  it('deputy A adds the lead alongside them with a reason: the lead’s signature opens, claimed by them, and the timeline says who and why', async () => {
    const id = await demoCaseId(w, OR_SIGN);
    const page = await openCase('urban-management.deputy-a', id);
    // 加签 is offered on one's own signer task only: deputy B's task is theirs.
    expect(await page.locator('[data-test="moves"] [data-move="countersign.signer.add"]').count()).toBe(1);
    await page.locator(`[data-test="moves"] [data-move="countersign.signer.add"][data-task="${DEPUTY_A}"]`).click();
    const dialog = page.locator('[data-test="move-dialog"]');
    await dialog.waitFor();
    // A 或签 signs all at once: nobody signs before another.
    expect(await dialog.locator('[data-position]').evaluateAll((radios) => radios.map((r) => r.getAttribute('data-position')))).toEqual(['alongside', 'after']);
    // Nothing is sent without a department and a reason.
    await dialog.locator('[data-test="submit-move"]').click();
    await expect.poll(() => dialog.locator('.el-form-item__error').count()).toBe(2);

    await page.locator('[data-test="signer-department"]').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '城市管理综合执法局' }).click();
    // The choice is shown before the form goes on (a busy box may still be closing the list).
    await expect.poll(() => page.locator('[data-test="signer-department"]').innerText()).toContain('城市管理综合执法局');
    await page.locator('#signer-person').fill('urban-management.lead');
    await page.locator('#move-reason').fill('占用主干道，需局长共同签署');
    await expectAccessible(page);
    await screenshot(page, 'signers-add');
    await dialog.locator('[data-test="submit-move"]').click();
    // Sent and accepted: the dialog closes (a refusal would keep it open with the problem in it).
    await dialog.waitFor({ state: 'hidden' });

    await expect.poll(() => standing(page, LEAD).count()).toBe(1);
    expect(await standing(page, LEAD).innerText()).toBe('尚未签署');
    expect(await tasksOf(id)).toMatchObject({ [LEAD]: ['claimed', 'urban-management.lead'], [DEPUTY_A]: ['claimed', 'urban-management.deputy-a'] });
    await expect.poll(() => page.locator('[data-test="timeline"]').innerText()).toContain('加签 urban-management.lead（与我同时签署），理由：占用主干道，需局长共同签署');
  });

  it('the lead, in English, removes deputy B (not yet signed) from the joint-review panel: B’s task is cancelled, A’s and the lead’s stand', async () => {
    const id = await demoCaseId(w, OR_SIGN);
    const page = await openCase('urban-management.lead', id, 'en');
    const panel = page.locator('[data-test="joint-reviews"]');
    await panel.waitFor();
    const remove = panel.locator(`[data-move="countersign.signer.remove"][data-task="${DEPUTY_B}"]`);
    expect(await remove.innerText()).toBe('Remove signer: urban-management.deputy-b');
    await remove.click();
    const dialog = page.locator('[data-test="move-dialog"]');
    await dialog.waitFor();
    expect(await dialog.locator('[data-test="move-explanation"]').innerText()).toContain('their task is cancelled');
    await page.locator('#move-reason').fill('On leave until next month');
    await expectAccessible(page);
    await screenshot(page, 'signers-remove');
    await dialog.locator('[data-test="submit-move"]').click();

    await expect.poll(() => standing(page, DEPUTY_B).count()).toBe(0);
    expect(await tasksOf(id)).toEqual({
      [DEPUTY_A]: ['claimed', 'urban-management.deputy-a'],
      [DEPUTY_B]: ['cancelled', 'urban-management.deputy-b'],
      [LEAD]: ['claimed', 'urban-management.lead'],
    });
    await expect.poll(() => page.locator('[data-test="timeline"]').innerText()).toContain('removed the signer urban-management.deputy-b, because: On leave until next month');
  });
});
